import { describe, expect, it } from 'vitest';
import rule from '../../rules/duplicate-header.js';
import { runRules } from '../helpers/rule-harness.js';
import { conversationCapture } from './synthetic.js';

describe('duplicate-header', () => {
  it("reports scenario 22's two Host fields and which one Node keeps", async () => {
    const findings = await runRules('22-duplicate-host.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'duplicate-header', severity: 'warning', connection: 1, exchange: 1, frames: [4],
        message: "the request (GET /) has Host 2 times: \"127.0.0.1:5122\" at offset 16, \"evil.example\" at offset 38 (frame 4); Node keeps \"127.0.0.1:5122\"" },
    ]);
  });
  it("leaves different Content-Length values to conflicting-framing", async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'],
        ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabc'],
        ['fin', 'server'],
        ['fin', 'client'],
      ]), [rule]);
    expect(findings).toEqual([]);
  });
});
