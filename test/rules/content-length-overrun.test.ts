import { describe, expect, it } from 'vitest';
import rule from '../../rules/content-length-overrun.js';
import { runRules } from '../helpers/rule-harness.js';

describe('content-length-overrun', () => {
  it("reports scenario 08's 1 B excess and the frame that carried it", async () => {
    const findings = await runRules('08-content-length-overrun.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'content-length-overrun', severity: 'error', connection: 1, exchange: 1, frames: [6],
        message: "the 200 response: Content-Length: 3 but 4 B sent: 1 B excess in frame 6" },
    ]);
  });
  it("says the same on the loopback (lo0) recording", async () => {
    const findings = await runRules('08-content-length-overrun.lo0.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'content-length-overrun', severity: 'error', connection: 1, exchange: 1, frames: [6],
        message: "the 200 response: Content-Length: 3 but 4 B sent: 1 B excess in frame 6" },
    ]);
  });
});
