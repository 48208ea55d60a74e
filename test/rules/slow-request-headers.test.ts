import { describe, expect, it } from 'vitest';
import rule from '../../rules/slow-request-headers.js';
import { runRules } from '../helpers/rule-harness.js';
import { conversationCapture } from './synthetic.js';

describe('slow-request-headers', () => {
  it("reports scenario 12's header section, still unfinished 1.2 s after its first byte", async () => {
    const findings = await runRules('12-incomplete-headers.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'slow-request-headers', severity: 'warning', connection: 1, exchange: 1, frames: [4, 6, 8, 12],
        message: "the request (POST /user): its header section was still unfinished 1.202s after its first byte (threshold 1s) when the server closed (FIN frame 12); 75 B had come in 3 segments: frames 4, 6, 8" },
    ]);
  });
  it("reports a header section that took 1.5 s over two segments", async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'GET / HTTP/1.1\r\n'],
        ['wait', 1.5],
        ['client', 'Host: x\r\n\r\n'],
        ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
        ['fin', 'client'],
        ['fin', 'server'],
      ]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'slow-request-headers', severity: 'warning', connection: 1, exchange: 1, frames: [4, 5],
        message: "the request (GET /): its 27 B header section took 1.501s to arrive (threshold 1s), in 2 segments: frames 4, 5" },
    ]);
  });
  it("stays quiet under a raised threshold option", async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'GET / HTTP/1.1\r\n'],
        ['wait', 1.5],
        ['client', 'Host: x\r\n\r\n'],
        ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
        ['fin', 'client'],
        ['fin', 'server'],
      ]), [rule], { 'slow-request-headers': { threshold: 2 } });
    expect(findings).toEqual([]);
  });
});
