import type { Rule } from '../src/lint/types.js';
import type { MessageModel } from '../src/model/types.js';
import { framingConflicts } from './conflicting-framing.js';
import { lineFaults } from './malformed-message.js';
import { lacksHost } from './missing-host.js';
import { deviationText, framesText, isServerRefusal, responseCloseText, seconds } from './lib/wire.js';

/**
 * The client closed its sending side (FIN) in the middle of the request, before the 400 began:
 * Node's parser met EOF there (HPE_INVALID_EOF_STATE, 'clientError') and Node answered 400 on the
 * half-open socket. The 400 says the client gave up on its own request (a destroyed upload), not
 * that the server rejected its bytes.
 */
function answersClientEof(request: MessageModel, response: MessageModel): boolean {
  const stall = request.stall;
  return !request.complete && stall !== null && stall.endedBy === 'client-fin' && stall.until !== null && stall.until.time <= response.times.start;
}

/** "the client's FIN (frame 14) with 70000 B of the body still to come" */
function clientEofText(request: MessageModel): string {
  const stall = request.stall as NonNullable<MessageModel['stall']>;
  const fin = `the client's FIN (frame ${(stall.until as { frame: number }).frame})`;
  if (stall.in === 'header-section') return `${fin} in the middle of the header section`;
  return stall.missingBytes !== null ? `${fin} with ${stall.missingBytes} B of the body still to come` : `${fin} in the middle of the body`;
}

/** What in the request explains a 400, with the rule that reports it: "…; see malformed-message". */
export function whyRefused(request: MessageModel): string | null {
  const lines = lineFaults(request);
  if (lines.length > 0) return `${lines.map(deviationText).join('; ')} — see malformed-message`;
  const framing = framingConflicts(request);
  if (framing.length > 0) return `${framing.map(deviationText).join('; ')} — see conflicting-framing`;
  const chunks = request.deviations.filter((d) => d.code === 'invalid-chunk-size' || d.code === 'missing-chunk-crlf' || d.code === 'chunk-extensions-overflow');
  if (chunks.length > 0) return `${chunks.map(deviationText).join('; ')} — see invalid-chunk`;
  if (lacksHost(request)) return 'an HTTP/1.1 request without Host — see missing-host';
  return null;
}

export default {
  id: 'bad-request',
  severity: 'warning',
  title: 'The server could not parse the request: 400 Bad Request and close',
  help: [
    'On the wire: `HTTP/1.1 400 Bad Request` with `Connection: close` (Node.js sends no body and no length: the empty body ends with the close), then the server closes. The message links the fault wirelens found in the request (malformed-message, conflicting-framing, invalid-chunk, missing-host) when there is one.',
    'curl prints the 400 response (or "curl: (22) The requested URL returned error: 400" with `--fail`); a Node.js client gets `statusCode` 400 and the socket is not reused. A request pipelined behind the bad one is never answered.',
    "Node.js cause: the server's HTTP parser (llhttp) rejected the bytes and emitted `clientError` (`HPE_INVALID_METHOD`, `HPE_INVALID_CONSTANT`, `HPE_INVALID_HEADER_TOKEN`, `HPE_UNEXPECTED_CONTENT_LENGTH`, `HPE_INVALID_TRANSFER_ENCODING`, …); with no `clientError` listener, Node answers this 400 itself and destroys the socket. It also answers 400 for an HTTP/1.1 request without Host, and for a request its client stopped sending in the middle: the client's FIN before the end of the head or body is an EOF the parser cannot accept (`HPE_INVALID_EOF_STATE`), and Node writes the 400 on the half-open socket (the client's kernel then answers it with a RST). The message says so when the capture shows it: a client that destroyed its request (`req.destroy()`, an aborted fetch upload, a killed process) — the Node client itself sees `socket hang up` or its own abort error.",
    "Fix: fix the sender (see the linked finding). To log what was rejected, listen for `server.on('clientError', (err, socket) => …)`: `err.code` and `err.rawPacket` show the failing bytes.",
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#event-clienterror',
  create(context) {
    return {
      exchange(exchange) {
        const response = exchange.response;
        if (response === null || !isServerRefusal(exchange, 400)) return;
        const request = exchange.request;
        let cause = 'no request was captured';
        if (request !== null && answersClientEof(request, response)) {
          cause = `${seconds(response.times.start - request.times.start)} after the request (${framesText(request.packing.headerFrames)}) is Node's answer to ${clientEofText(request)}: its parser met the end of the stream there (HPE_INVALID_EOF_STATE) — the client gave up on its request (a destroyed or aborted upload)`;
        } else if (request !== null) {
          const why = whyRefused(request);
          cause = `${seconds(response.times.start - request.times.start)} after the request (${framesText(request.packing.headerFrames)}), ${why === null ? 'which shows no fault wirelens can see (a limit or check of the server)' : `whose fault is ${why}`}`;
        }
        context.report({
          message: `400 Bad Request (frame ${response.frames[0]}) ${cause}${responseCloseText(response)}`,
          connection: exchange.connection,
          exchange: exchange.index,
          frames: [...(request?.packing.headerFrames ?? []), ...response.frames, ...(response.endFrame === null ? [] : [response.endFrame])],
        });
      },
    };
  },
} satisfies Rule;
