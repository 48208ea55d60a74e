import { describe, expect, it } from 'vitest';
import rule from '../../rules/malformed-message.js';
import { runRules } from '../helpers/rule-harness.js';

describe('malformed-message', () => {
  it("reports scenario 15's request line with its offset", async () => {
    const findings = await runRules('15-garbage-request-line.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'malformed-message', severity: 'error', connection: 1, exchange: 1, frames: [4],
        message: "the request (GET /hello): request line is not `method SP target SP version` (invalid-start-line at offset 0, frame 4)" },
    ]);
  });
});
