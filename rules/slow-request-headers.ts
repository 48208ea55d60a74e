import type { Rule } from '../src/lint/types.js';
import type { MessageModel, Stall } from '../src/model/types.js';
import { describeMessage, endedByText, framesText, seconds, stallCloseFrame } from './lib/wire.js';

/**
 * How long the request's header section took: first byte to its blank line, or, when it never
 * finished, at least until the close or the capture's end that cut it (null: not spread over
 * several segments, or no measure).
 */
export function headerSectionTime(request: MessageModel): { seconds: number; cutBy: Stall | null } | null {
  if (request.kind !== 'request' || request.packing.headerFrames.length < 2) return null;
  if (request.times.headersEnd !== null) return { seconds: request.times.headersEnd - request.times.start, cutBy: null };
  const stall = request.stall;
  if (stall === null || stall.in !== 'header-section') return null;
  const until = stall.until?.time ?? stall.lastByte.time + stall.duration;
  return { seconds: until - request.times.start, cutBy: stall };
}

export default {
  id: 'slow-request-headers',
  severity: 'warning',
  title: "A request's header section arrived slowly, in several segments",
  help: [
    "On the wire: the request's start line and headers came in several segments spread over more than the threshold (default 1 s), or were still unfinished that long after the first byte. That is the Slowloris pattern (a client holding server connections open by trickling headers), or a client that writes its headers piecemeal with pauses.",
    "A Node.js server waits at most `server.headersTimeout` (default: the smaller of 60 s and `requestTimeout`) for a complete header section, then answers `408 Request Timeout` with `Connection: close` and closes (see request-timeout); the client then sees that 408, or `Error: socket hang up` (code `ECONNRESET`) / curl's \"(52) Empty reply from server\" if the close wins the race.",
    "Node.js cause on the client side: `req.setHeader` + `req.flushHeaders()` and more header writes later are not possible in Node's API, so piecemeal headers come from a raw socket client, a test, a misbehaving proxy, or an attack.",
    'Fix: on the server keep `headersTimeout` short (a few seconds) and put a reverse proxy that buffers headers in front of Node; on the client send the whole header section in one write. The threshold is the `threshold` option (seconds).',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#serverheaderstimeout',
  options: {
    threshold: { type: 'number', default: 1, description: 'Seconds a header section may take to arrive before it is reported.' },
  },
  create(context) {
    const threshold = Number(context.options.threshold);
    return {
      exchange(exchange) {
        const request = exchange.request;
        if (request === null) return;
        const took = headerSectionTime(request);
        if (took === null || took.seconds <= threshold) return;
        const frames = request.packing.headerFrames;
        const segments = `${frames.length} segments: ${framesText(frames)}`;
        const close = took.cutBy === null ? null : stallCloseFrame(took.cutBy);
        const text =
          took.cutBy === null
            ? `${describeMessage(request)}: its ${request.headSize} B header section took ${seconds(took.seconds)} to arrive (threshold ${threshold}s), in ${segments}`
            : `${describeMessage(request)}: its header section was still unfinished ${seconds(took.seconds)} after its first byte (threshold ${threshold}s) when ${endedByText(took.cutBy.endedBy, close)}; ${request.headSize} B had come in ${segments}`;
        context.report({ message: text, connection: exchange.connection, exchange: exchange.index, frames: [...frames, ...(close === null ? [] : [close])] });
      },
    };
  },
} satisfies Rule;
