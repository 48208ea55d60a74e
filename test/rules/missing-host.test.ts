import { describe, expect, it } from 'vitest';
import rule from '../../rules/missing-host.js';
import { runRules } from '../helpers/rule-harness.js';
import { conversationCapture } from './synthetic.js';

describe('missing-host', () => {
  it('reports an HTTP/1.1 request without Host', async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'GET / HTTP/1.1\r\nAccept: */*\r\n\r\n'],
        ['server', 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'],
        ['fin', 'server'],
        ['fin', 'client'],
      ]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'missing-host', severity: 'warning', connection: 1, exchange: 1, frames: [4],
        message: "the request (GET /) is HTTP/1.1 but has no Host among its 1 header field (frame 4)" },
    ]);
  });
  it('accepts an HTTP/1.0 request without Host', async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'GET / HTTP/1.0\r\n\r\n'],
        ['server', 'HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n'],
        ['fin', 'server'],
        ['fin', 'client'],
      ]), [rule]);
    expect(findings).toEqual([]);
  });
});
