import { describe, expect, it } from 'vitest';
import rule from '../../rules/capture-gap.js';
import { runRules } from '../helpers/rule-harness.js';
import { brief, lostSegment } from './connection-fixtures.js';

describe('capture-gap', () => {
  it('is a warning', () => {
    expect(rule.severity).toBe('warning');
  });

  it('30 response bytes acknowledged by the client but never captured (synthetic)', async () => {
    expect(brief(await runRules(lostSegment(), [rule]))).toEqual([
      {
        ruleId: 'capture-gap',
        message:
          "connection 1 (127.0.0.1:40000 → 127.0.0.1:5000) is missing 30 B in 1 gap: 30 B of the server's stream at offset 20 (before frame 6, acknowledged by the peer but never captured)",
        connection: 1,
        exchange: null,
        frames: [6],
      },
    ]);
  });

  it('not on a complete recording', async () => {
    expect(await runRules('tour.pcapng', [rule])).toEqual([]);
  });
});
