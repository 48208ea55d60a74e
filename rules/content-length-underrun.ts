import type { Rule } from '../src/lint/types.js';
import type { ExchangeModel, MessageModel, Stall } from '../src/model/types.js';
import { CAPTURE_END_STALL_OPTION, CLIENT_ABORT_STALL_OPTION, describeMessage, messagesOf, notCutBySender, refusalOf, stallCloseFrame, stallEndText } from './lib/wire.js';

export interface Underrun {
  declared: number;
  arrived: number;
  missing: number;
  stall: Stall;
}

/** A Content-Length body that stopped short (the connection closed or the capture ended in it), or null. */
export function underrun(message: MessageModel): Underrun | null {
  const framing = message.framing;
  const stall = message.stall;
  if (message.complete || stall === null || stall.in !== 'body') return null;
  if (framing === null || framing.kind !== 'content-length' || framing.declared === null) return null;
  const missing = stall.missingBytes ?? framing.declared - framing.actualBodyBytes;
  return { declared: framing.declared, arrived: framing.actualBodyBytes, missing, stall };
}

/**
 * The underruns this rule reports. A request the server refused with its own 408/400/431 is that
 * rule's finding (request-timeout says how much of the body was missing), not a second one here,
 * and so is a request any early answer cut short (the server refused the rest: connection-reset
 * says what its close did), and a response its client abandoned while it was still arriving
 * (abandonedByClient); a body still arriving when the capture stopped is unanswered-request's note (no byte is known
 * missing yet), and one with bytes lost by the capture is capture-gap's.
 */
export function reportedUnderruns(exchange: ExchangeModel, captureEndStall: number, clientAbortStall: number): Array<{ message: MessageModel; found: Underrun }> {
  const refused = refusalOf(exchange) !== null;
  const found: Array<{ message: MessageModel; found: Underrun }> = [];
  for (const message of messagesOf(exchange)) {
    if ((message.kind === 'request' && refused) || notCutBySender(exchange, message, captureEndStall, clientAbortStall)) continue;
    const u = underrun(message);
    if (u !== null) found.push({ message, found: u });
  }
  return found;
}

export default {
  id: 'content-length-underrun',
  severity: 'error',
  title: 'The body ended before Content-Length bytes arrived',
  help: [
    'On the wire: a message declared `Content-Length: N`, fewer than N body bytes came, then nothing until the connection closed (or the capture ended). The peer waits for bytes that will never come; the message says how long. A body whose missing bytes the receiver acknowledged (the capture lost them) is not reported: capture-gap is. Nor is a response its client closed on while it was still arriving (its server silent for less than `clientAbortStall`: an aborted fetch, a cancelled download — connection-reset says so), or a request the server answered before it was complete (an upload refused early).',
    'curl waits, then fails with "curl: (18) transfer closed with 1 bytes remaining to read". A Node.js client gets the headers (`response` event) and waits; when the server finally closes, the response emits `Error: aborted` (code `ECONNRESET`). A Node.js server that declared the length does not close by itself: the socket is closed only by its keep-alive timer, `keepAliveTimeout` plus an internal 1 s buffer after the response, which is the delay reported here.',
    "Node.js cause: `res.setHeader('Content-Length', n)` and then `end()` after fewer than n bytes (a length computed for another body, a stream that ended early). With `strictContentLength` off (the default) Node sends the short body without complaint.",
    'Fix: declare the length of the bytes you actually send, or leave `Content-Length` out and let Node use chunked encoding; `response.strictContentLength = true` turns the mismatch into an `ERR_HTTP_CONTENT_LENGTH_MISMATCH` error in the server.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#responsestrictcontentlength',
  options: { captureEndStall: CAPTURE_END_STALL_OPTION, clientAbortStall: CLIENT_ABORT_STALL_OPTION },
  create(context) {
    const captureEndStall = Number(context.options.captureEndStall);
    const clientAbortStall = Number(context.options.clientAbortStall);
    return {
      exchange(exchange) {
        for (const { message, found } of reportedUnderruns(exchange, captureEndStall, clientAbortStall)) {
          const close = stallCloseFrame(found.stall);
          context.report({
            message: `${describeMessage(message)}: ${found.arrived} of ${found.declared} declared bytes arrived (${found.missing} B missing); nothing more after frame ${found.stall.lastByte.frame}, then ${stallEndText(found.stall)}`,
            connection: exchange.connection,
            exchange: exchange.index,
            frames: [...message.frames, ...(close === null ? [] : [close])],
          });
        }
      },
    };
  },
} satisfies Rule;
