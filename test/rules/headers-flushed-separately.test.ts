import { describe, expect, it } from 'vitest';
import rule from '../../rules/headers-flushed-separately.js';
import { runRules } from '../helpers/rule-harness.js';
import { conversationCapture } from './synthetic.js';

describe('headers-flushed-separately', () => {
  it("reports scenario 05's flushHeaders() then end(body) 50 ms later", async () => {
    const findings = await runRules('05-flushheaders-then-end.pcapng', [rule]);
    expect(findings).toMatchObject([
      { ruleId: 'headers-flushed-separately', severity: 'note', connection: 1, exchange: 1, frames: [6, 8],
        message: "the 200 response: its 157 B header section went alone in frame 6; the body (12 B) followed in frame 8, 50.8ms after the headers, though all 179 B fit in one 1460 B segment" },
    ]);
  });
  it("exempts scenario 18's request, whose body waited for 100 Continue", async () => {
    const findings = await runRules('18-expect-100-continue.pcapng', [rule]);
    expect(findings).toEqual([]);
  });
  it('exempts an event stream, whose headers go first by design; the same bytes as text/plain are reported', async () => {
    const stream = (type: string) =>
      conversationCapture([
        ['client', 'GET /events HTTP/1.1\r\nHost: x\r\n\r\n'],
        ['server', `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nTransfer-Encoding: chunked\r\n\r\n`],
        ['wait', 0.05],
        ['server', '9\r\ndata: 1\n\n\r\n'],
        ['wait', 0.05],
        ['server', '9\r\ndata: 2\n\n\r\n0\r\n\r\n'],
      ]);
    expect(await runRules(stream('text/event-stream'), [rule])).toEqual([]);
    expect((await runRules(stream('text/plain'), [rule])).map((f) => f.frames)).toEqual([[5, 6, 7]]);
  });
  it("says nothing about scenario 04, whose body never came", async () => {
    const findings = await runRules('04-flushheaders-no-end.pcapng', [rule]);
    expect(findings).toEqual([]);
  });
});
