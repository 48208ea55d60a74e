import { describe, expect, it } from 'vitest';
import rule from '../../rules/empty-reply.js';
import { runRules } from '../helpers/rule-harness.js';

describe('empty-reply', () => {
  it("reports scenario 10's close without a byte (a strictContentLength throw)", async () => {
    const findings = await runRules('10-strict-content-length.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'empty-reply', severity: 'error', connection: 1, exchange: 1, frames: [4, 6],
        message: "no response to the request (GET /) (frame 4): the server closed (FIN frame 6) 3.3ms after the request" },
    ]);
  });
  it("reports scenario 21's req.destroy()", async () => {
    const findings = await runRules('21-req-destroy.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'empty-reply', severity: 'error', connection: 1, exchange: 1, frames: [4, 6],
        message: "no response to the request (GET /) (frame 4): the server closed (FIN frame 6) 1.4ms after the request" },
    ]);
  });
  it("leaves the request sent after the server's FIN (scenario 19) to keepalive-reuse-race", async () => {
    const findings = await runRules('19-keepalive-reuse-race.pcapng', [rule]);
    expect(findings).toEqual([]);
  });
});
