import { describe, expect, it } from 'vitest';
import rule from '../../rules/handshake-incomplete.js';
import { runRules } from '../helpers/rule-harness.js';
import { brief, incompleteHandshakes, midStreamResponse, refused } from './connection-fixtures.js';

describe('handshake-incomplete', () => {
  it('is a warning', () => {
    expect(rule.severity).toBe('warning');
  });

  it('a SYN never answered and a SYN-ACK never acknowledged (synthetic)', async () => {
    expect(brief(await runRules(incompleteHandshakes(), [rule]))).toEqual([
      {
        ruleId: 'handshake-incomplete',
        message: 'SYN from 127.0.0.1:40001 to 127.0.0.1:5000 (frame 1) got no SYN-ACK before the capture ended: 1 SYN frame',
        connection: 1,
        exchange: null,
        frames: [1],
      },
      {
        ruleId: 'handshake-incomplete',
        message: 'SYN-ACK from 127.0.0.1:5000 (frame 3) to the SYN in frame 2 was never acknowledged by 127.0.0.1:40002',
        connection: 2,
        exchange: null,
        frames: [2, 3],
      },
    ]);
  });

  it('not for a refused connection (connection-refused) nor a mid-stream one', async () => {
    expect(await runRules(refused(), [rule])).toEqual([]);
    expect(await runRules(midStreamResponse(), [rule])).toEqual([]);
  });
});
