import { describe, expect, it } from 'vitest';
import rule from '../../rules/header-overflow.js';
import { runRules } from '../helpers/rule-harness.js';

describe('header-overflow', () => {
  it("reports scenario 14's 431 with the request's header-section size", async () => {
    const findings = await runRules('14-header-overflow.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'header-overflow', severity: 'warning', connection: 1, exchange: 1, frames: [4, 6, 8],
        message: "431 Request Header Fields Too Large (frame 6) for a 16558 B header section with 2 fields (frame 4), over Node's default maxHeaderSize of 16384 B, 536µs after the request began; the server closed the connection (frame 8)" },
    ]);
  });
});
