import { describe, expect, it } from 'vitest';
import rule from '../../rules/unanswered-request.js';
import { runRules } from '../helpers/rule-harness.js';
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

  it('not when someone closed: 03 / 25 (client FIN), 10 / 21 (server FIN), 19 (server RST)', async () => {
    for (const file of ['03-writehead-no-end.pcapng', '25-client-destroy.pcapng', '10-strict-content-length.pcapng', '21-req-destroy.pcapng', '19-keepalive-reuse-race.pcapng']) {
      expect(await runRules(file, [rule])).toEqual([]);
    }
  });
});
