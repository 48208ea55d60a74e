import { describe, expect, it } from 'vitest';
import rule from '../../rules/max-requests-per-socket.js';
import { runRules } from '../helpers/rule-harness.js';
import { brief, requestAfterClose } from './connection-fixtures.js';

describe('max-requests-per-socket', () => {
  it('is a warning', () => {
    expect(rule.severity).toBe('warning');
    expect(rule.docs).toBe('https://nodejs.org/docs/latest-v20.x/api/http.html#servermaxrequestspersocket');
  });

  it('11: max=3 advertised, Connection: close at 3 with the socket kept open, 503 for the 4th', async () => {
    expect(brief(await runRules('11-max-requests-per-socket.pcapng', [rule]))).toEqual([
      {
        ruleId: 'max-requests-per-socket',
        message:
          'responses advertised Keep-Alive max=3 (frame 6); response 3 said Connection: close (frame 10) but the connection stayed open, and request 4 was answered 503 (frame 12)',
        connection: 1,
        exchange: 3,
        frames: [6, 10, 12],
      },
    ]);
  });

  it('not without max= and a 503 (a plain Connection: close, pipelining alone)', async () => {
    expect(await runRules(requestAfterClose(), [rule])).toEqual([]);
    expect(await runRules('20-pipelining.pcapng', [rule])).toEqual([]);
  });
});
