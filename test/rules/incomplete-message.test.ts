import { describe, expect, it } from 'vitest';
import rule from '../../rules/incomplete-message.js';
import { runRules } from '../helpers/rule-harness.js';
import { conversationCapture } from './synthetic.js';

describe('incomplete-message', () => {
  it("reports a chunked response cut in the middle of a chunk, with the bytes still owed", async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'],
        ['server', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\na\r\nhel'],
        ['wait', 2],
        ['fin', 'server'],
        ['fin', 'client'],
      ]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'incomplete-message', severity: 'error', connection: 1, exchange: 1, frames: [5, 6],
        message: "the 200 response stopped in its chunked body after 2 chunks, 8 B, without the last chunk, 7 B of the current chunk missing: nothing more after frame 5, then the server closed (FIN frame 6) 2.001s later" },
    ]);
  });
  it("reports a request whose header section the client abandoned", async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'GET / HTTP/1.1\r\nHost: x\r\n'],
        ['wait', 0.5],
        ['fin', 'client'],
        ['fin', 'server'],
      ]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'incomplete-message', severity: 'error', connection: 1, exchange: 1, frames: [4, 5],
        message: "the request (GET /) stopped in its header section (25 B so far): nothing more after frame 4, then the client closed (FIN frame 5) 501.0ms later" },
    ]);
  });
  it("leaves scenario 12's unfinished header section to the 408 (request-timeout)", async () => {
    const findings = await runRules('12-incomplete-headers.pcapng', [rule]);
    expect(findings).toEqual([]);
  });
  it('reports recording 37: a chunked response whose server closed after one chunk', async () => {
    const findings = await runRules('37-response-cut-short.pcapng', [rule]);
    expect(findings).toMatchObject([{ ruleId: 'incomplete-message', connection: 1, exchange: 1, frames: [6, 8] }]);
  });
  it('leaves the messages of recording 39, cut by the snap length (gap-in-message), to truncated-frames', async () => {
    const findings = await runRules('39-snaplen-96.pcapng', [rule]);
    expect(findings).toEqual([]);
  });
  it("leaves scenario 09's short body to content-length-underrun", async () => {
    const findings = await runRules('09-content-length-underrun.pcapng', [rule]);
    expect(findings).toEqual([]);
  });
  it("leaves scenario 04's bodiless response to response-stalled-after-headers", async () => {
    const findings = await runRules('04-flushheaders-no-end.pcapng', [rule]);
    expect(findings).toEqual([]);
  });
});
