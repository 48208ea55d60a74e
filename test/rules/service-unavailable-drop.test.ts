import { describe, expect, it } from 'vitest';
import rule from '../../rules/service-unavailable-drop.js';
import { runRules } from '../helpers/rule-harness.js';
import { brief } from './connection-fixtures.js';

describe('service-unavailable-drop', () => {
  it('is a warning linking the dropRequest event', () => {
    expect(rule.severity).toBe('warning');
    expect(rule.docs).toBe('https://nodejs.org/docs/latest-v20.x/api/http.html#event-droprequest');
  });

  it('11: the 503 for request 4, past max=3 and after response 3\'s Connection: close', async () => {
    expect(brief(await runRules('11-max-requests-per-socket.pcapng', [rule]))).toEqual([
      {
        ruleId: 'service-unavailable-drop',
        message:
          'request 4 (GET /4 HTTP/1.1) was answered 503 (frame 12), past the advertised max=3 and after response 3 said Connection: close (frame 10): dropped unprocessed',
        connection: 1,
        exchange: 4,
        frames: [4, 10, 12],
      },
    ]);
  });

  it('not on captures without a 503', async () => {
    expect(await runRules('20-pipelining.pcapng', [rule])).toEqual([]);
    expect(await runRules('01-agent-false.pcapng', [rule])).toEqual([]);
  });
});
