import { describe, expect, it } from 'vitest';
import rule from '../../rules/body-not-allowed.js';
import { runRules } from '../helpers/rule-harness.js';
import { conversationCapture } from './synthetic.js';

describe('body-not-allowed', () => {
  it("reports body bytes after the response to a HEAD request", async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'HEAD / HTTP/1.1\r\nHost: x\r\n\r\n'],
        ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello'],
        ['fin', 'client'],
        ['fin', 'server'],
      ]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'body-not-allowed', severity: 'error', connection: 1, exchange: 1, frames: [5],
        message: "the 200 response cannot have a body (a response to HEAD), yet 5 B followed its header section in frame 5" },
    ]);
  });
  it("reports body bytes after a 204", async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'],
        ['server', 'HTTP/1.1 204 No Content\r\n\r\nhello'],
        ['fin', 'client'],
        ['fin', 'server'],
      ]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'body-not-allowed', severity: 'error', connection: 1, exchange: 1, frames: [5],
        message: "the 204 response cannot have a body (204 No Content), yet 5 B followed its header section in frame 5" },
    ]);
  });
  it("says nothing about scenario 17's 103 Early Hints", async () => {
    const findings = await runRules('17-early-hints.pcapng', [rule]);
    expect(findings).toEqual([]);
  });
});
