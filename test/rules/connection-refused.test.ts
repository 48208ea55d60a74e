import { describe, expect, it } from 'vitest';
import rule from '../../rules/connection-refused.js';
import { runRules } from '../helpers/rule-harness.js';
import { brief, plainReset, refused, retriedRefusals } from './connection-fixtures.js';

describe('connection-refused', () => {
  it('is an error naming ECONNREFUSED', () => {
    expect(rule.severity).toBe('error');
    expect(rule.help).toContain('connect ECONNREFUSED');
  });

  it('a SYN answered by RST (synthetic)', async () => {
    expect(brief(await runRules(refused(), [rule]))).toEqual([
      {
        ruleId: 'connection-refused',
        message: 'SYN from 127.0.0.1:40000 to 127.0.0.1:5000 (frame 1) was answered by RST (frame 2): nothing was listening',
        connection: 1,
        exchange: null,
        frames: [1, 2],
      },
    ]);
  });

  it('a client retrying: the first refusal per client host and server at once, the rest in one finding until one is accepted or the capture ends (synthetic)', async () => {
    expect(brief(await runRules(retriedRefusals(), [rule]))).toEqual([
      {
        ruleId: 'connection-refused',
        message: 'SYN from 127.0.0.1:40000 to 127.0.0.1:5000 (frame 1) was answered by RST (frame 2): nothing was listening',
        connection: 1,
        exchange: null,
        frames: [1, 2],
      },
      {
        ruleId: 'connection-refused',
        message: 'SYN from 10.0.0.9:40003 to 127.0.0.1:5000 (frame 7) was answered by RST (frame 8): nothing was listening',
        connection: 4,
        exchange: null,
        frames: [7, 8],
      },
      {
        ruleId: 'connection-refused',
        message: '2 more SYNs from 127.0.0.1 to 127.0.0.1:5000 (frames 3–5) were answered by RST after the first (frame 1), over 204.0ms; connection 5 (SYN frame 9) was accepted 308.0ms after the first refusal',
        connection: 2,
        exchange: null,
        frames: [3, 5],
      },
      {
        ruleId: 'connection-refused',
        message: '1 more SYN from 10.0.0.9 to 127.0.0.1:5000 (frame 12) was answered by RST after the first (frame 7), over 205.0ms; none was accepted before the capture ended',
        connection: 6,
        exchange: null,
        frames: [12],
      },
    ]);
  });

  it('not for a RST after an established connection', async () => {
    expect(await runRules(plainReset(), [rule])).toEqual([]);
  });
});
