import { describe, expect, it } from 'vitest';
import rule from '../../rules/response-stalled-after-headers.js';
import { runRules } from '../helpers/rule-harness.js';
import { conversationCapture } from './synthetic.js';

describe('response-stalled-after-headers', () => {
  it("reports scenario 04's flushed headers with no body until the client's FIN", async () => {
    const findings = await runRules('04-flushheaders-no-end.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'response-stalled-after-headers', severity: 'warning', connection: 1, exchange: 1, frames: [6, 10],
        message: "the 200 response: 157 B header section in frame 6, then no body byte; the client closed (FIN frame 10) 1.504s later" },
    ]);
  });
  it("does not call an unreadable chunk a stall after the headers (invalid-chunk reports it)", async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'],
        ['server', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n'],
        ['fin', 'server'],
        ['fin', 'client'],
      ]), [rule]);
    expect(findings).toEqual([]);
  });
});
