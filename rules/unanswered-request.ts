import { formatDuration } from '../src/text/units.js';
import { plural } from '../src/text/plural.js';
import type { ExchangeModel, MessageModel, Stall } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';
import { CAPTURE_END_STALL_OPTION, describeMessage, isEventStream, messagesOf, stillArrivingAtCaptureEnd } from './lib/wire.js';

/**
 * Only the capture's end: a wait someone ended by closing is no-response / empty-reply (or the
 * keep-alive reuse race), which say who closed. Two shapes, both "the recording stopped, the
 * exchange had not finished": a complete request with no response byte yet, and a message still
 * arriving — what content-length-underrun, incomplete-message and response-stalled-after-headers
 * leave to this note under the same `captureEndStall`.
 */
const rule: Rule = {
  id: 'unanswered-request',
  severity: 'note',
  title: 'The capture ended while a request was waiting for its response, or a message was still arriving',
  help: [
    'On the wire: a complete request, then no response byte at all before the capture stopped; or a request or response still arriving when it stopped (a download, an upload, a server-sent event stream): its sender had been sending until less than `captureEndStall` (default 1 s) before the end, or it is a `text/event-stream`. The connection was still open.',
    'What it means: often only where the capture was stopped (the response, or the rest of the message, came later). If the wait is long, the server may be stuck: curl would end with "(28) Operation timed out after N milliseconds with 0 bytes received" (with `--max-time`), a Node.js client waits until its own `timeout` fires (the server\'s `requestTimeout` and `headersTimeout` do not help: they limit receiving the request, not the handler). A message whose sender had been silent for longer than `captureEndStall` is not noted here: content-length-underrun, incomplete-message or response-stalled-after-headers report it.',
    'Node.js cause when the server is stuck: a handler that never calls `res.end()` (`res.writeHead()` alone sends nothing), or an awaited promise that never settles.',
    'Fix: stop the capture after the traffic you want to check (in CI: after the test run\'s last response, not during it); if the server is stuck, make sure every code path of the handler ends the response, and give clients a timeout.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#responseenddata-encoding-callback',
  options: { captureEndStall: CAPTURE_END_STALL_OPTION },
  create(context) {
    const captureEndStall = Number(context.options.captureEndStall);
    return {
      exchange(x: ExchangeModel) {
        const u = x.timing.unanswered;
        if (u !== null && u.endedBy === 'capture-end' && x.request !== null) {
          // The request's last frame is the capture's: no wait to speak of, only where the capture stopped.
          const waited = u.waited === 0 ? 'is the capture\'s last frame: it ended before a response could be seen' : `had waited ${formatDuration(u.waited)} without a response byte when the capture ended`;
          context.report({ message: `${x.request.startLine} (frame ${x.request.frames[0]}) ${waited}`, connection: x.connection, exchange: x.index, frames: [x.request.frames[0]] });
          return;
        }
        for (const message of messagesOf(x)) {
          if (!stillArrivingAtCaptureEnd(message, captureEndStall) || message.stall === null) continue;
          context.report({
            message: stillArrivingText(x, message, message.stall),
            connection: x.connection,
            exchange: x.index,
            frames: [...(x.request === null ? [] : [x.request.frames[0]]), message.frames[0], message.stall.lastByte.frame],
          });
        }
      },
    };
  },
};

/**
 * "GET /events HTTP/1.1 (frame 4): the 200 response was still arriving when the capture ended —
 * 27 chunks, 260 B of chunked body so far; its last byte (frame 841) came 46.1ms before the end".
 */
function stillArrivingText(x: ExchangeModel, message: MessageModel, stall: Stall): string {
  const whose = message.kind === 'request' ? `${message.startLine} (frame ${message.frames[0]}) was still being sent` : `${x.request === null ? '' : `${x.request.startLine} (frame ${x.request.frames[0]}): `}${describeMessage(message)} was still arriving`;
  const stream = message.kind === 'response' && isEventStream(message) ? ' (an event stream: it stays open between events)' : '';
  return `${whose} when the capture ended — ${progressText(message)}; its last byte (frame ${stall.lastByte.frame}) came ${formatDuration(stall.duration)} before the end${stream}`;
}

/** How much of an unfinished message had arrived: "40960 of 102400 declared body bytes", "3 chunks, 60 B of chunked body so far". */
function progressText(message: MessageModel): string {
  const framing = message.framing;
  if (message.stall?.in === 'header-section' || framing === null) return `its header section unfinished (${message.headSize} B so far)`;
  if (message.offsets.bodyEnd === null || message.offsets.bodyEnd === message.offsets.headEnd) return `its ${message.headSize} B header section, no body byte yet`;
  if (framing.kind === 'content-length' && framing.declared !== null) return `${framing.actualBodyBytes} of ${framing.declared} declared body bytes`;
  if (framing.kind === 'chunked') return `${plural(framing.chunks ?? 0, 'chunk')}, ${framing.actualBodyBytes} B of chunked body so far`;
  return `${framing.actualBodyBytes} B of body so far`;
}

export default rule;
