import { describe, expect, it } from 'vitest';
import rule from '../../rules/no-response.js';
import { runRules } from '../helpers/rule-harness.js';
import { conversationCapture } from './synthetic.js';

describe('no-response', () => {
  it("reports scenario 03's unanswered request and the client's FIN after 1.5 s", async () => {
    const findings = await runRules('03-writehead-no-end.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'no-response', severity: 'warning', connection: 1, exchange: 1, frames: [4, 8],
        message: 'no response in 1.499s to the request (GET /wait, frame 4); the client closed (FIN frame 8)' },
    ]);
  });
  it("reports scenario 25's client giving up after 0.1 s", async () => {
    const findings = await runRules('25-client-destroy.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'no-response', severity: 'warning', connection: 1, exchange: 1, frames: [4, 6],
        message: 'no response in 99.3ms to the request (GET /slow, frame 4); the client closed (FIN frame 6)' },
    ]);
  });
  it('leaves a wait cut by the end of the capture to unanswered-request', async () => {
    const findings = await runRules(conversationCapture([['client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'], ['wait', 5], ['client', '']]), [rule]);
    expect(findings).toEqual([]);
  });
  it('names the RST of a client that reset the connection', async () => {
    const findings = await runRules(conversationCapture([['client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'], ['wait', 2], ['rst', 'client']]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'no-response', connection: 1, exchange: 1, frames: [4, 5], message: 'no response in 2.001s to the request (GET /, frame 4); the client reset the connection (RST frame 5)' },
    ]);
  });
});
