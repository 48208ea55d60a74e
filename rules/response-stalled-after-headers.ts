import type { Rule } from '../src/lint/types.js';
import type { MessageModel } from '../src/model/types.js';
import { abandonedByClient, CAPTURE_END_STALL_OPTION, CLIENT_ABORT_STALL_OPTION, describeMessage, stallCloseFrame, stallEndText, stillArrivingAtCaptureEnd } from './lib/wire.js';

/**
 * A response whose header section arrived and whose body never started: not one body byte before
 * the close or the capture's end. A Content-Length body that never started is an underrun (the
 * declared length says how much is missing), so only chunked and other unbounded bodies count here.
 */
export function stalledAfterHeaders(message: MessageModel): boolean {
  const framing = message.framing;
  const stall = message.stall;
  if (message.kind !== 'response' || message.complete || stall === null || stall.in !== 'body') return false;
  if (framing === null || framing.kind === 'content-length') return false;
  // Not one byte past the header section: a body that started (even an unreadable chunk-size line) is not a stall after the headers.
  return message.offsets.bodyEnd === null || message.offsets.bodyEnd === message.offsets.headEnd;
}

export default {
  id: 'response-stalled-after-headers',
  severity: 'warning',
  title: 'The response headers were sent, the body never followed',
  help: [
    'On the wire: the server sent the status line and headers (typically `Transfer-Encoding: chunked`) in a segment of their own, then no body bytes and no last chunk until the connection closed or the capture ended. Not reported: a response its client closed on within `clientAbortStall` of the headers (the client had given up — its FIN came first, or its kernel reset the connection as the response arrived), and a `text/event-stream` its client closed: those ends are the client\'s.',
    'curl prints the headers and waits; when the connection finally closes it fails with "curl: (18) transfer closed with outstanding read data remaining" (or, with `--max-time`, "curl: (28) Operation timed out after … milliseconds with 0 bytes received"). A Node.js client gets its `response` event at once, then neither data nor `end`; when the socket closes the response emits `Error: aborted` (code `ECONNRESET`).',
    'Node.js cause: `res.flushHeaders()` (or `res.writeHead()` followed by `res.write()` of nothing yet) in a handler that never calls `res.end()`: an await that never settles, a forgotten branch, an error swallowed after the headers went out.',
    'Fix: make every path end the response (`res.end()` in a `finally`, or an error handler that destroys the response); for long-polling or server-sent events, where an open response is intended, make the client and any proxy timeouts expect it.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#responseflushheaders',
  options: { captureEndStall: CAPTURE_END_STALL_OPTION, clientAbortStall: CLIENT_ABORT_STALL_OPTION },
  create(context) {
    const captureEndStall = Number(context.options.captureEndStall);
    const clientAbortStall = Number(context.options.clientAbortStall);
    return {
      exchange(exchange) {
        const response = exchange.response;
        if (response === null || !stalledAfterHeaders(response) || response.stall === null) return;
        // Headers just sent when the recording stopped, or an event stream waiting for its first event: unanswered-request's note.
        if (stillArrivingAtCaptureEnd(response, captureEndStall)) return;
        const stall = response.stall;
        // Closed by its client within clientAbortStall of the headers (a client that had already given
        // up: its kernel's RST answers the response), or an event stream waiting for its next event,
        // open by design until its client closes: the client's choice, not a server that stalled.
        if (abandonedByClient(response, clientAbortStall)) return;
        const close = stallCloseFrame(stall);
        context.report({
          message: `${describeMessage(response)}: ${response.headSize} B header section in frame ${stall.lastByte.frame}, then no body byte; ${stallEndText(stall)}`,
          connection: exchange.connection,
          exchange: exchange.index,
          frames: [...response.frames, ...(close === null ? [] : [close])],
        });
      },
    };
  },
} satisfies Rule;
