import { describe, expect, it } from 'vitest';
import rule from '../../rules/keepalive-hint-too-short.js';
import { runRules } from '../helpers/rule-harness.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { brief, get, ok } from './connection-fixtures.js';

describe('keepalive-hint-too-short', () => {
  it('is a warning with the hint limit as an option', () => {
    expect(rule.severity).toBe('warning');
    expect(rule.docs).toBe('https://nodejs.org/docs/latest-v20.x/api/http.html#serverkeepalivetimeout');
    expect([rule.options?.maxTimeout.default, rule.options?.closeWithin.default]).toEqual([2, 0.5]);
  });

  it('02b: timeout=1, the client closes within 3 ms and opens a new connection — reported once, at the first replacement', async () => {
    expect(brief(await runRules('02b-keepalive-hint-too-short.pcapng', [rule]))).toEqual([
      {
        ruleId: 'keepalive-hint-too-short',
        message:
          'response 1 on connection 1 advertised Keep-Alive: timeout=1 (frame 6); the client closed the connection 2.8ms later (frame 8) and opened connection 2 (SYN frame 11) for its next request',
        connection: 1,
        exchange: 1,
        frames: [6, 8, 11],
      },
    ]);
  });

  it('not on 02 (timeout=5, one reused connection), nor on 19 / 09 (timeout=1 but no new connection)', async () => {
    expect(await runRules('02-keepalive-agent.pcapng', [rule])).toEqual([]);
    expect(await runRules('19-keepalive-reuse-race.pcapng', [rule])).toEqual([]);
    expect(await runRules('09-content-length-underrun.pcapng', [rule])).toEqual([]);
  });

  it('maxTimeout 0 accepts timeout=1', async () => {
    expect(await runRules('02b-keepalive-hint-too-short.pcapng', [rule], { 'keepalive-hint-too-short': { maxTimeout: 0 } })).toEqual([]);
  });

  it('also when the replacement connection ends before the dropped one does (the server\'s FIN comes last)', async () => {
    const cap = new SyntheticCapture();
    const first = cap.conversation().handshake().send('client', get('/1')).send('server', ok('Keep-Alive: timeout=1\r\n')).fin('client'); // frames 1–6
    cap.conversation().handshake().send('client', get('/2')).send('server', ok('Keep-Alive: timeout=1\r\n')).fin('client').fin('server'); // frames 7–13
    first.wait(0.5).fin('server'); // frame 14
    expect(brief(await runRules(cap.writeTemp(), [rule]))).toEqual([
      {
        ruleId: 'keepalive-hint-too-short',
        message:
          'response 1 on connection 1 advertised Keep-Alive: timeout=1 (frame 5); the client closed the connection 1.0ms later (frame 6) and opened connection 2 (SYN frame 7) for its next request',
        connection: 1,
        exchange: 1,
        frames: [5, 6, 7],
      },
    ]);
  });

  it('timeout=2: an http.Agent keeps the socket its 1 s and closes idle — not reported; fetch closes at once — reported (46)', async () => {
    const cap = new SyntheticCapture();
    cap.conversation().handshake().send('client', get('/1')).send('server', ok('Keep-Alive: timeout=2\r\n')).wait(1.0).fin('client').fin('server');
    cap.conversation().handshake().send('client', get('/2')).send('server', ok('Keep-Alive: timeout=2\r\n')).fin('client').fin('server');
    expect(await runRules(cap.writeTemp('agent-timeout-2.pcapng'), [rule])).toEqual([]);
    expect(brief(await runRules('46-fetch-keepalive-hint.pcapng', [rule])).map((f) => f.frames)).toEqual([[6, 8, 11]]);
  });
});
