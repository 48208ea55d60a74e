import { describe, expect, it } from 'vitest';
import rule from '../../rules/conflicting-framing.js';
import { runRules } from '../helpers/rule-harness.js';
import { conversationCapture } from './synthetic.js';

describe('conflicting-framing', () => {
  it('reports Content-Length with Transfer-Encoding on a request', async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
        ['server', 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'],
        ['fin', 'server'],
        ['fin', 'client'],
      ]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'conflicting-framing', severity: 'error', connection: 1, exchange: 1, frames: [4],
        message: "the request (POST /): Content-Length and Transfer-Encoding together; Transfer-Encoding wins (content-length-with-transfer-encoding at offset 45, frame 4)" },
    ]);
  });
  it('reports two different Content-Length values on a response', async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'],
        ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabc'],
        ['fin', 'server'],
        ['fin', 'client'],
      ]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'conflicting-framing', severity: 'error', connection: 1, exchange: 1, frames: [5],
        message: "the 200 response: Content-Length values 3 and 5 differ (conflicting-content-length at offset 36, frame 5)" },
    ]);
  });
});
