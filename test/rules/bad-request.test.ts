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
  it("says when the 400 is Node's answer to its client's FIN in the middle of the body (an aborted upload)", async () => {
    // What a Node server does when req.destroy() cuts an upload: clientError HPE_INVALID_EOF_STATE, 400 on the half-open socket.
    const findings = await runRules(
      conversationCapture([
        ['client', `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n${'a'.repeat(30)}`],
        ['fin', 'client'],
        ['server', 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'],
        ['fin', 'server'],
      ]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'bad-request', severity: 'warning', connection: 1, exchange: 1, frames: [4, 6, 7],
        message: "400 Bad Request (frame 6) 2.0ms after the request (frame 4) is Node's answer to the client's FIN (frame 5) with 70 B of the body still to come: its parser met the end of the stream there (HPE_INVALID_EOF_STATE) — the client gave up on its request (a destroyed or aborted upload); the server closed the connection (frame 7)" },
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
