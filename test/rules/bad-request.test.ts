import { describe, expect, it } from 'vitest';
import rule from '../../rules/bad-request.js';
import { runRules } from '../helpers/rule-harness.js';
import { conversationCapture } from './synthetic.js';

describe('bad-request', () => {
  it("reports scenario 15's 400 and links the malformed request line", async () => {
    const findings = await runRules('15-garbage-request-line.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'bad-request', severity: 'warning', connection: 1, exchange: 1, frames: [4, 6, 8],
        message: "400 Bad Request (frame 6) 478µs after the request (frame 4), whose fault is request line is not `method SP target SP version` (invalid-start-line at offset 0, frame 4) — see malformed-message; the server closed the connection (frame 8)" },
    ]);
  });
  it("links a framing conflict when that is what the server refused", async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
        ['server', 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'],
        ['fin', 'server'],
        ['fin', 'client'],
      ]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'bad-request', severity: 'warning', connection: 1, exchange: 1, frames: [4, 5, 6],
        message: "400 Bad Request (frame 5) 1.0ms after the request (frame 4), whose fault is Content-Length and Transfer-Encoding together; Transfer-Encoding wins (content-length-with-transfer-encoding at offset 45, frame 4) — see conflicting-framing; the server closed the connection (frame 6)" },
    ]);
  });
  it("ignores an application's 400 on a connection kept alive", async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'],
        ['server', 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'],
        ['fin', 'client'],
        ['fin', 'server'],
      ]), [rule]);
    expect(findings).toEqual([]);
  });
});
