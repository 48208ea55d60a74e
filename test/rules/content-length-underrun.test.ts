import { describe, expect, it } from 'vitest';
import rule from '../../rules/content-length-underrun.js';
import incompleteMessage from '../../rules/incomplete-message.js';
import { runRules } from '../helpers/rule-harness.js';
import { conversationCapture } from './synthetic.js';
import { SyntheticCapture } from '../helpers/conversation.js';

describe('content-length-underrun', () => {
  it("reports scenario 09's missing byte and the server's close 2 s later", async () => {
    const findings = await runRules('09-content-length-underrun.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'content-length-underrun', severity: 'error', connection: 1, exchange: 1, frames: [6, 10],
        message: "the 200 response: 2 of 3 declared bytes arrived (1 B missing); nothing more after frame 6, then the server closed (FIN frame 10) 2.003s later" },
    ]);
  });
  it("reports a body cut by the end of the capture, saying so", async () => {
    const findings = await runRules(
      conversationCapture([
        ['client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'],
        ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'],
        ['wait', 3],
        ['client', ''],
      ]), [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'content-length-underrun', severity: 'error', connection: 1, exchange: 1, frames: [5],
        message: "the 200 response: 3 of 10 declared bytes arrived (7 B missing); nothing more after frame 5, then the capture ended 3.001s later" },
    ]);
  });
  it('leaves a body the capture lost (acknowledged, never captured: gap-in-message) to capture-gap', async () => {
    // curl -T of 2 MB recorded by a tcpdump that dropped the upload's tail: the server's ACK covers
    // every byte (and the client's FIN, lost too: one more than the body), then the server closes.
    const cap = new SyntheticCapture();
    cap.conversation().handshake()
      .send('client', 'PUT /up HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789')
      .lose('client', 90).lose('client', 1).ack('server').fin('server');
    expect(await runRules(cap.writeTemp('lost-upload.pcapng'), [rule])).toEqual([]);
  });
  it("leaves scenario 13's unfinished request body to request-timeout (the server answered 408)", async () => {
    const findings = await runRules('13-body-never-sent.pcapng', [rule]);
    expect(findings).toEqual([]);
  });
  it('a response its client closed on while it was still arriving (server silent 10 ms < clientAbortStall) is the client giving up; one it waited 2 s on is the server\'s', async () => {
    const abandoned = (wait: number) =>
      conversationCapture([
        ['client', 'GET /big HTTP/1.1\r\nHost: x\r\n\r\n'],
        ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789'],
        ['wait', wait],
        ['fin', 'client'],
      ]);
    expect(await runRules(abandoned(0.01), [rule, incompleteMessage])).toEqual([]);
    expect(await runRules(abandoned(2), [rule])).toMatchObject([
      { ruleId: 'content-length-underrun', frames: [5, 6], message: 'the 200 response: 10 of 100 declared bytes arrived (90 B missing); nothing more after frame 5, then the client closed (FIN frame 6) 2.001s later' },
    ]);
    // The threshold is the option: at 0.005 s a 10 ms silence is the server's too.
    expect(await runRules(abandoned(0.01), [rule], { 'content-length-underrun': { clientAbortStall: 0.005 } })).toHaveLength(1);
  });
  it('leaves an upload the server answered early (47: 413 before 290693 of 3000000 bytes had come, then its close) to connection-reset: the server cut it off', async () => {
    expect(await runRules('47-upload-refused-early.pcapng', [rule])).toEqual([]);
    expect(await runRules('47-upload-refused-early.pcapng', [incompleteMessage])).toEqual([]);
  });
});
