import { describe, expect, it } from 'vitest';
import rule from '../../rules/request-timeout.js';
import { runRules } from '../helpers/rule-harness.js';

describe('request-timeout', () => {
  it("reports scenario 12's 408 with the unfinished header section (headersTimeout)", async () => {
    const findings = await runRules('12-incomplete-headers.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'request-timeout', severity: 'warning', connection: 1, exchange: 1, frames: [4, 6, 8, 10, 12],
        message: "408 Request Timeout (frame 10) 1.200s after the request began (frame 4): its header section was unfinished (75 B in frames 4, 6, 8) (Node: headersTimeout); the server closed the connection (frame 12)" },
    ]);
  });
  it("reports scenario 13's 408 with the missing body bytes (requestTimeout)", async () => {
    const findings = await runRules('13-body-never-sent.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'request-timeout', severity: 'warning', connection: 1, exchange: 1, frames: [4, 8, 10],
        message: "408 Request Timeout (frame 8) 1.599s after the request began (frame 4): its body was unfinished: 0 of 3 declared bytes (header section in frame 4) (Node: requestTimeout); the server closed the connection (frame 10)" },
    ]);
  });
});
