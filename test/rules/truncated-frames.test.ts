import { describe, expect, it } from 'vitest';
import rule from '../../rules/truncated-frames.js';
import { runRules } from '../helpers/rule-harness.js';
import { brief, snapped } from './connection-fixtures.js';

describe('truncated-frames', () => {
  it('is a warning naming -s 0', () => {
    expect(rule.severity).toBe('warning');
    expect(rule.help).toContain('tcpdump -s 0');
  });

  it('a capture written with a 100-byte snap length: request and response lose payload (synthetic)', async () => {
    expect(brief(await runRules(snapped(), [rule]))).toEqual([
      {
        ruleId: 'truncated-frames',
        message: '2 frames of connection 1 (127.0.0.1:40000 → 127.0.0.1:5000, frames 1–7) lost payload to the snap length',
        connection: 1,
        exchange: null,
        frames: [1, 7],
      },
    ]);
  });

  it('not on full-length recordings', async () => {
    expect(await runRules('tour.pcapng', [rule])).toEqual([]);
  });
});
