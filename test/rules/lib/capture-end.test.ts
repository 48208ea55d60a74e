/**
 * A message the capture's end cut is reported once: by the rule for its kind of truncation when its
 * sender had been silent for `captureEndStall` seconds or more (the stall is the evidence), else by
 * unanswered-request's note (it was still arriving when the recording stopped). An event stream is
 * always the note: it stays open between events by design.
 */
import { describe, expect, it } from 'vitest';
import underrun from '../../../rules/content-length-underrun.js';
import incomplete from '../../../rules/incomplete-message.js';
import stalled from '../../../rules/response-stalled-after-headers.js';
import unanswered from '../../../rules/unanswered-request.js';
import { runRules } from '../../helpers/rule-harness.js';
import { conversationCapture, type Step } from '../synthetic.js';

const RULES = [underrun, incomplete, stalled, unanswered];
const GET = 'GET /x HTTP/1.1\r\nHost: a\r\n\r\n';

/** The request, the response's bytes (frame 5), then `silent` seconds to the capture's last frame (an empty client ACK, frame 6). */
function cut(response: string, silent: number): string {
  const steps: Step[] = [['client', GET], ['server', response], ['wait', silent], ['client', '']];
  return conversationCapture(steps);
}

const brief = (findings: Awaited<ReturnType<typeof runRules>>) => findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, frames: f.frames, message: f.message }));

describe('a message cut by the capture: the peer\'s fault or still arriving', () => {
  it('a Content-Length body 0.2 s into a silence: still arriving, a note with how much had come', async () => {
    expect(brief(await runRules(cut('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', 0.2), RULES))).toEqual([
      { ruleId: 'unanswered-request', severity: 'note', frames: [4, 5],
        message: 'GET /x HTTP/1.1 (frame 4): the 200 response was still arriving when the capture ended — 3 of 10 declared body bytes; its last byte (frame 5) came 201.0ms before the end' },
    ]);
  });

  it('the same body 1.5 s into a silence: content-length-underrun (error), no note', async () => {
    expect(brief(await runRules(cut('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', 1.5), RULES))).toEqual([
      { ruleId: 'content-length-underrun', severity: 'error', frames: [5],
        message: 'the 200 response: 3 of 10 declared bytes arrived (7 B missing); nothing more after frame 5, then the capture ended 1.501s later' },
    ]);
  });

  it('the threshold is the captureEndStall option: 2 s keeps the 1.5 s silence a note', async () => {
    const options = Object.fromEntries(RULES.map((r) => [r.id, { captureEndStall: 2 }]));
    const findings = await runRules(cut('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', 1.5), RULES, options);
    expect(findings.map((f) => f.ruleId)).toEqual(['unanswered-request']);
  });

  it('a chunked body without its last chunk: incomplete-message after 1.5 s, a note after 0.2 s', async () => {
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n';
    expect(brief(await runRules(cut(chunked, 1.5), RULES))).toEqual([
      { ruleId: 'incomplete-message', severity: 'error', frames: [5],
        message: 'the 200 response stopped in its chunked body after 2 chunks, 5 B, without the last chunk: nothing more after frame 5, then the capture ended 1.501s later' },
    ]);
    expect(brief(await runRules(cut(chunked, 0.2), RULES)).map((f) => f.message)).toEqual([
      'GET /x HTTP/1.1 (frame 4): the 200 response was still arriving when the capture ended — 2 chunks, 5 B of chunked body so far; its last byte (frame 5) came 201.0ms before the end',
    ]);
  });

  it('headers alone: response-stalled-after-headers after 1.5 s, a note after 0.2 s', async () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    expect(brief(await runRules(cut(head, 1.5), RULES)).map((f) => `${f.ruleId} ${f.severity}`)).toEqual(['response-stalled-after-headers warning']);
    expect(brief(await runRules(cut(head, 0.2), RULES)).map((f) => f.message)).toEqual([
      'GET /x HTTP/1.1 (frame 4): the 200 response was still arriving when the capture ended — its 47 B header section, no body byte yet; its last byte (frame 5) came 201.0ms before the end',
    ]);
  });

  it('a text/event-stream response 30 s after its last event: a note, never a truncation', async () => {
    const sse = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n9\r\ndata: 1\n\n\r\n';
    expect(brief(await runRules(cut(sse, 30), RULES))).toEqual([
      { ruleId: 'unanswered-request', severity: 'note', frames: [4, 5],
        message: 'GET /x HTTP/1.1 (frame 4): the 200 response was still arriving when the capture ended — 1 chunk, 9 B of chunked body so far; its last byte (frame 5) came 30.001s before the end (an event stream: it stays open between events)' },
    ]);
  });

  it('an upload still being sent: a note on the request', async () => {
    const steps: Step[] = [['client', 'POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789'], ['wait', 0.05], ['server', '']];
    expect(brief(await runRules(conversationCapture(steps), RULES))).toEqual([
      { ruleId: 'unanswered-request', severity: 'note', frames: [4],
        message: 'POST /up HTTP/1.1 (frame 4) was still being sent when the capture ended — 10 of 100 declared body bytes; its last byte (frame 4) came 51.0ms before the end' },
    ]);
  });

  it('a close ends it, however short the silence: the truncation is the peer\'s (content-length-underrun)', async () => {
    const steps: Step[] = [['client', GET], ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'], ['fin', 'server']];
    expect(brief(await runRules(conversationCapture(steps), RULES)).map((f) => f.ruleId)).toEqual(['content-length-underrun']);
  });
});
