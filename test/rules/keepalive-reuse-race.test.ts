import { describe, expect, it } from 'vitest';
import rule from '../../rules/keepalive-reuse-race.js';
import { runRules } from '../helpers/rule-harness.js';
import { brief, requestAfterClose } from './connection-fixtures.js';

describe('keepalive-reuse-race', () => {
  it('is an error linking request.reusedSocket', () => {
    expect(rule.severity).toBe('error');
    expect(rule.docs).toBe('https://nodejs.org/docs/latest-v20.x/api/http.html#requestreusedsocket');
    expect(rule.help).toContain('ECONNRESET');
  });

  it.each(['19-keepalive-reuse-race.pcapng', '19-keepalive-reuse-race.lo0.pcapng'])('%s: GET /2 sent 101 ms after the server\'s FIN, answered by RST', async (file) => {
    expect(brief(await runRules(file, [rule]))).toEqual([
      {
        ruleId: 'keepalive-reuse-race',
        message:
          "GET /2 HTTP/1.1 (frame 10) reused connection 1 after 2.106s idle, 101.4ms after the server had closed it (FIN in frame 8); the server's RST followed 28µs later, without a response",
        connection: 1,
        exchange: 2,
        frames: [8, 10],
      },
    ]);
  });

  it('tour: the same race as connection 10, frames renumbered', async () => {
    expect(brief(await runRules('tour.pcapng', [rule])).map((f) => [f.connection, f.exchange, f.frames])).toEqual([[10, 2, [114, 116]]]);
  });

  it('not when the server had said Connection: close (request-after-connection-close) nor on clean keep-alive reuse', async () => {
    expect(await runRules(requestAfterClose(), [rule])).toEqual([]);
    expect(await runRules('02-keepalive-agent.pcapng', [rule])).toEqual([]);
  });
});
