import { describe, expect, it } from 'vitest';
import rule from '../../rules/request-after-connection-close.js';
import { runRules } from '../helpers/rule-harness.js';
import { brief, requestAfterClose } from './connection-fixtures.js';

describe('request-after-connection-close', () => {
  it('is an error', () => {
    expect(rule.severity).toBe('error');
    expect(rule.docs).toBe('https://nodejs.org/docs/latest-v20.x/api/http.html#servermaxrequestspersocket');
  });

  it('a request sent after a Connection: close response on the same connection (synthetic)', async () => {
    expect(brief(await runRules(requestAfterClose(), [rule]))).toEqual([
      {
        ruleId: 'request-after-connection-close',
        message: 'GET /2 HTTP/1.1 (frame 6) was sent after response 1 said Connection: close (frame 5); no response',
        connection: 1,
        exchange: 2,
        frames: [5, 6],
      },
    ]);
  });

  it('11: request 4 was pipelined in frame 4, before the Connection: close of frame 10 — not reported', async () => {
    expect(await runRules('11-max-requests-per-socket.pcapng', [rule])).toEqual([]);
  });

  it('01 and 24: Connection: close then the server closed, no further request', async () => {
    expect(await runRules('01-agent-false.pcapng', [rule])).toEqual([]);
    expect(await runRules('24-connection-close.pcapng', [rule])).toEqual([]);
  });
});
