import { describe, expect, it } from 'vitest';
import rule from '../../rules/connection-refused.js';
import { runRules } from '../helpers/rule-harness.js';
import { brief, plainReset, refused } from './connection-fixtures.js';

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

  it('not for a RST after an established connection', async () => {
    expect(await runRules(plainReset(), [rule])).toEqual([]);
  });
});
