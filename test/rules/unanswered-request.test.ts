import { describe, expect, it } from 'vitest';
import rule from '../../rules/unanswered-request.js';
import { runRules } from '../helpers/rule-harness.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { runCli } from '../helpers/cli.js';
import { brief, captureEndsWaiting } from './connection-fixtures.js';

describe('unanswered-request', () => {
  it('is a note', () => {
    expect(rule.severity).toBe('note');
  });

  it('the capture ends 2.5 s after a GET with no response byte (synthetic)', async () => {
    expect(brief(await runRules(captureEndsWaiting(), [rule]))).toEqual([
      {
        ruleId: 'unanswered-request',
        message: 'GET /slow HTTP/1.1 (frame 4) had waited 2.501s without a response byte when the capture ended',
        connection: 1,
        exchange: 1,
        frames: [4],
      },
    ]);
  });

  it('a request that is the capture\'s last frame: no "waited 0µs", the capture stopped there', async () => {
    const cap = new SyntheticCapture();
    cap.conversation().handshake().send('client', 'GET /last HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(brief(await runRules(cap.writeTemp('ends-at-request.pcapng'), [rule])).map((f) => f.message)).toEqual([
      "GET /last HTTP/1.1 (frame 4) is the capture's last frame: it ended before a response could be seen",
    ]);
  });

  it('not for a response whose parse ended at a capture gap mid-capture (tcpdump dropped its tail): no stall, capture-gap says it', async () => {
    const cap = new SyntheticCapture();
    cap.conversation().handshake()
      .send('client', 'GET /1 HTTP/1.1\r\nHost: a\r\n\r\n')
      .send('server', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n')
      .lose('server', 60)
      .ack('client')
      .send('client', 'GET /2 HTTP/1.1\r\nHost: a\r\n\r\n')
      .send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
      .fin('client')
      .fin('server');
    const file = cap.writeTemp('gap-cut-response.pcapng');
    expect(await runRules(file, [rule])).toEqual([]);
    const r = await runCli(['report', '--json', file]);
    const first = (JSON.parse(r.stdout) as { records: Array<{ type: string; index?: number; response?: { complete: boolean; stall: unknown; deviations: Array<{ code: string }> } }> }).records.find((x) => x.type === 'exchange' && x.index === 1);
    expect(first?.response).toMatchObject({ complete: false, stall: null, deviations: [{ code: 'gap-in-message' }] });
  });

  it('not when someone closed: 03 / 25 (client FIN), 10 / 21 (server FIN), 19 (server RST)', async () => {
    for (const file of ['03-writehead-no-end.pcapng', '25-client-destroy.pcapng', '10-strict-content-length.pcapng', '21-req-destroy.pcapng', '19-keepalive-reuse-race.pcapng']) {
      expect(await runRules(file, [rule])).toEqual([]);
    }
  });
});
