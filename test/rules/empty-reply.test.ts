import { describe, expect, it } from 'vitest';
import rule from '../../rules/empty-reply.js';
import { runRules } from '../helpers/rule-harness.js';
import { conversationCapture } from './synthetic.js';

describe('empty-reply', () => {
  it("reports scenario 10's close without a byte (a strictContentLength throw)", async () => {
    const findings = await runRules('10-strict-content-length.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'empty-reply', severity: 'error', connection: 1, exchange: 1, frames: [4, 6],
        message: 'the server closed (FIN frame 6) 3.3ms after the request (GET /, frame 4) without a response byte' },
    ]);
  });
  it("reports scenario 21's req.destroy()", async () => {
    const findings = await runRules('21-req-destroy.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'empty-reply', severity: 'error', connection: 1, exchange: 1, frames: [4, 6],
        message: 'the server closed (FIN frame 6) 1.4ms after the request (GET /, frame 4) without a response byte' },
    ]);
  });
  it("leaves the request sent after the server's FIN (scenario 19) to keepalive-reuse-race", async () => {
    const findings = await runRules('19-keepalive-reuse-race.pcapng', [rule]);
    expect(findings).toEqual([]);
  });
  it('names the RST of a server that reset the connection instead of answering', async () => {
    const findings = await runRules(conversationCapture([['client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'], ['wait', 0.25], ['rst', 'server']]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'empty-reply', connection: 1, exchange: 1, frames: [4, 5], message: 'the server reset the connection (RST frame 5) 251.0ms after the request (GET /, frame 4) without a response byte' },
    ]);
  });
});
