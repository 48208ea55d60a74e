import { describe, expect, it } from 'vitest';
import rule from '../../rules/connection-reset.js';
import { runRules } from '../helpers/rule-harness.js';
import { brief, incompleteHandshakes, plainReset, refused } from './connection-fixtures.js';

describe('connection-reset', () => {
  it('is a warning', () => {
    expect(rule.severity).toBe('warning');
    expect(rule.help).toContain('(56) Recv failure: Connection reset by peer');
  });

  it('a client RST 0.5 s after a complete exchange (synthetic)', async () => {
    expect(brief(await runRules(plainReset(), [rule]))).toEqual([
      {
        ruleId: 'connection-reset',
        message: 'connection 1 (127.0.0.1:40000 → 127.0.0.1:5000, 1 exchange) was reset by the client: RST in frame 6, 501.0ms after the last exchange',
        connection: 1,
        exchange: null,
        frames: [6],
      },
    ]);
  });

  it('not for the reuse race\'s RST (19, tour), a refused SYN, or a SYN-ACK never acknowledged', async () => {
    expect(await runRules('19-keepalive-reuse-race.pcapng', [rule])).toEqual([]);
    expect(await runRules('tour.pcapng', [rule])).toEqual([]);
    expect(await runRules(refused(), [rule])).toEqual([]);
    expect(await runRules(incompleteHandshakes(), [rule])).toEqual([]);
  });
});
