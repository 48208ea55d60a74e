import { describe, expect, it } from 'vitest';
import rule from '../../rules/no-response.js';
import { runRules } from '../helpers/rule-harness.js';

describe('no-response', () => {
  it("reports scenario 03's unanswered request and the client's FIN after 1.5 s", async () => {
    const findings = await runRules('03-writehead-no-end.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'no-response', severity: 'warning', connection: 1, exchange: 1, frames: [4, 8],
        message: "no response to the request (GET /wait) (frame 4) in 1.499s: the client closed (FIN frame 8)" },
    ]);
  });
  it("reports scenario 25's client giving up after 0.1 s", async () => {
    const findings = await runRules('25-client-destroy.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'no-response', severity: 'warning', connection: 1, exchange: 1, frames: [4, 6],
        message: "no response to the request (GET /slow) (frame 4) in 99.3ms: the client closed (FIN frame 6)" },
    ]);
  });
});
