import type { Rule } from '../src/lint/types.js';
import type { ExchangeModel, MessageModel, Stall } from '../src/model/types.js';
import { underrun } from './content-length-underrun.js';
import { CAPTURE_END_STALL_OPTION, CLIENT_ABORT_STALL_OPTION, describeMessage, framesText, framingAbandoned, messagesOf, notCutBySender, refusalOf, stallCloseFrame, stallEndText } from './lib/wire.js';
import { stalledAfterHeaders } from './response-stalled-after-headers.js';
import { plural } from '../src/text/plural.js';

/**
 * The unfinished messages no more specific rule explains: a Content-Length body cut short is
 * content-length-underrun, a response that never got past its headers is
 * response-stalled-after-headers, a request the server refused with its own 408/400/431 is
 * that refusal's finding (request-timeout, bad-request, header-overflow say what was missing), a
 * request the server answered before it was complete was refused the rest (connection-reset says
 * what the close did), a response its client closed on while it was still arriving was abandoned
 * (abandonedByClient), a message the parser could not frame is that fault's (invalid-chunk, conflicting-framing), and a
 * message with bytes missing from the capture, or still arriving when the capture stopped
 * (unanswered-request), is the capture's, not the peer's.
 */
export function unexplainedIncomplete(exchange: ExchangeModel, captureEndStall: number, clientAbortStall: number): Array<{ message: MessageModel; stall: Stall }> {
  const refused = refusalOf(exchange) !== null;
  const found: Array<{ message: MessageModel; stall: Stall }> = [];
  for (const message of messagesOf(exchange)) {
    if (message.complete || message.stall === null || (message.kind === 'request' && refused)) continue;
    if (underrun(message) !== null || stalledAfterHeaders(message)) continue;
    if (framingAbandoned(message) || notCutBySender(exchange, message, captureEndStall, clientAbortStall)) continue;
    found.push({ message, stall: message.stall });
  }
  return found;
}

/** Where the message stopped: "in the header section (75 B)" / "in the chunked body after 2 chunks, 10 B". */
function whereItStopped(message: MessageModel): string {
  const framing = message.framing;
  if (message.stall?.in === 'header-section' || framing === null) return `in its header section (${message.headSize} B so far)`;
  if (framing.kind === 'chunked') {
    const missing = message.stall?.missingBytes;
    const inChunk = missing !== null && missing !== undefined && missing > 0 ? `, ${missing} B of the current chunk missing` : '';
    return `in its chunked body after ${plural(framing.chunks ?? 0, 'chunk')}, ${framing.actualBodyBytes} B, without the last chunk${inChunk}`;
  }
  return `in its body after ${framing.actualBodyBytes} B`;
}

export default {
  id: 'incomplete-message',
  severity: 'error',
  title: 'The connection closed (or the capture ended) in the middle of a message',
  help: [
    'On the wire: a message started and never finished: its header section has no blank line yet, or its chunked body has no last (zero-size) chunk, when the connection closed (FIN/RST) or the capture ended. More specific rules take the common cases (content-length-underrun, response-stalled-after-headers, request-timeout); this one reports the rest. A response its client closed on while it was still arriving (a download cancelled, fetch() aborted, an event stream closed by its reader) is the client giving up, not reported here; nor is a request the server answered before it was complete.',
    'The receiver sees a truncated message. For a response, curl fails with "curl: (18) transfer closed with outstanding read data remaining" (a cut body), "curl: (52) Empty reply from server" or "curl: (56) Recv failure: Connection reset by peer" (a cut header section); a Node.js client gets `Error: socket hang up` (code `ECONNRESET`) before the headers, or `Error: aborted` (code `ECONNRESET`) on the response after them. For a request, a Node.js server emits `aborted`/`close` on the request, or a `clientError` when the header section was cut.',
    'Node.js causes: a process that crashed or exited mid-write; `socket.destroy()`/`res.destroy()` while streaming; a stream piped into the response that errored (the response is destroyed, no last chunk); on the client side, `req.destroy()` or a timeout while the request was being sent. When the capture ended, the rest may simply not have been recorded.',
    'Fix: end responses through `res.end()` and handle stream errors (`stream.pipeline()` with a callback that logs), and check the capture covers the whole exchange.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#responseenddata-encoding-callback',
  options: { captureEndStall: CAPTURE_END_STALL_OPTION, clientAbortStall: CLIENT_ABORT_STALL_OPTION },
  create(context) {
    const captureEndStall = Number(context.options.captureEndStall);
    const clientAbortStall = Number(context.options.clientAbortStall);
    return {
      exchange(exchange) {
        for (const { message, stall } of unexplainedIncomplete(exchange, captureEndStall, clientAbortStall)) {
          const close = stallCloseFrame(stall);
          context.report({
            message: `${describeMessage(message)} stopped ${whereItStopped(message)}: nothing more after ${framesText([stall.lastByte.frame])}, then ${stallEndText(stall)}`,
            connection: exchange.connection,
            exchange: exchange.index,
            frames: [...message.frames, ...(close === null ? [] : [close])],
          });
        }
      },
    };
  },
} satisfies Rule;
