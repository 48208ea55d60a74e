import { describe, expect, it } from 'vitest';
import rule from '../../rules/headers-flushed-separately.js';
import { runRules } from '../helpers/rule-harness.js';

describe('headers-flushed-separately', () => {
  it("reports scenario 05's flushHeaders() then end(body) 50 ms later", async () => {
    const findings = await runRules('05-flushheaders-then-end.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'headers-flushed-separately', severity: 'note', connection: 1, exchange: 1, frames: [6, 8],
        message: "the 200 response: its 157 B header section went alone in frame 6; the body (12 B) followed in frame 8, 50.8ms after the headers, though all 179 B fit in one 1460 B segment" },
    ]);
  });
  it("exempts scenario 18's request, whose body waited for 100 Continue", async () => {
    const findings = await runRules('18-expect-100-continue.pcapng', [rule]);
    expect(findings).toEqual([]);
  });
  it("says nothing about scenario 04, whose body never came", async () => {
    const findings = await runRules('04-flushheaders-no-end.pcapng', [rule]);
    expect(findings).toEqual([]);
  });
});
