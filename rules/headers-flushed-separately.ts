import type { Rule } from '../src/lint/types.js';
import type { ExchangeModel, MessageModel } from '../src/model/types.js';
import { headerValue } from '../src/model/reuse.js';
import { describeMessage, framesText, isEventStream, messagesOf, seconds } from './lib/wire.js';

/**
 * The payload of one segment on an Ethernet path (1500-byte MTU, 1460-byte MSS). A message whose
 * header section and body fit in it could have gone in one packet wherever it was captured; a
 * larger body is split by TCP anyway, so a headers-only segment costs proportionally little.
 */
export const ONE_SEGMENT = 1460;

/**
 * A request that announced `Expect: 100-continue` holds its body back until the server's 100 (or
 * a timeout): its headers travel alone by design.
 */
function waitsForContinue(exchange: ExchangeModel, message: MessageModel): boolean {
  if (message.kind !== 'request') return false;
  const expect = headerValue(message.headers, 'Expect');
  return (expect !== null && expect.trim().toLowerCase() === '100-continue') || exchange.interim.some((m) => m.status === 100);
}

/** Header section and body bytes on the wire (chunk framing included). */
function wireSize(message: MessageModel): number {
  const { headStart, bodyEnd } = message.offsets;
  return bodyEnd === null ? message.headSize : bodyEnd - headStart;
}

export default {
  id: 'headers-flushed-separately',
  severity: 'note',
  title: 'The header section went in a segment of its own, the body in a later one',
  help: [
    'On the wire: the segment(s) carrying the start line and headers held no body bytes, and the body followed in later segments, although the whole message would have fitted in one segment. One extra packet, and a receiver that waits for the body pays at least the gap between the two writes (Nagle and delayed ACKs can add a round trip on a real network).',
    'Nothing fails: curl and Node.js clients read the message normally (a Node.js client emits `response` as soon as the headers arrive, then `data`/`end` with the body). Segment sizes on a loopback capture differ from a network, but a headers-only segment reflects what the application did, so this holds on loopback too.',
    "Node.js cause: Node's default packs the headers with the first body chunk (the response buffers its headers until the first `write()`/`end()`). `res.flushHeaders()` (or `req.flushHeaders()`), or `res.writeHead()` followed by a `write()` in a later tick, sends them alone. Requests that wait for `100 Continue` and server-sent event streams (`Content-Type: text/event-stream`, whose client opens on the headers, before any event) are exempt: their headers travel alone by design.",
    'Fix: drop the `flushHeaders()` call and write the body with `res.end(body)` (or the first `write()`) in the same tick as the headers. Keep it when sending headers early is the point (long-polling, server-sent events, letting a client start work before a slow body).',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#responseflushheaders',
  create(context) {
    return {
      exchange(exchange) {
        for (const message of messagesOf(exchange)) {
          const packing = message.packing;
          // An event stream sends its headers first by design (EventSource opens on them, before any event).
          if (packing.verdict !== 'headers-only-segment' || waitsForContinue(exchange, message) || isEventStream(message)) continue;
          const size = wireSize(message);
          if (size > ONE_SEGMENT) continue;
          const bodyDelay = message.times.headersEnd === null ? null : (message.times.end ?? message.times.lastByte) - message.times.headersEnd;
          const after = bodyDelay === null ? '' : `, ${seconds(bodyDelay)} after the headers`;
          context.report({
            message: `${describeMessage(message)}: its ${message.headSize} B header section went alone in ${framesText(packing.headerFrames)}; the body (${message.framing?.actualBodyBytes ?? 0} B) followed in ${framesText(packing.bodyFrames)}${after}, though all ${size} B fit in one ${ONE_SEGMENT} B segment`,
            connection: exchange.connection,
            exchange: exchange.index,
            frames: [...packing.headerFrames, ...packing.bodyFrames],
          });
        }
      },
    };
  },
} satisfies Rule;
