import { hasConnectionClose, headerValue, parseKeepAlive } from '../http/headers.js';
import type { Exchange, Message } from '../http/types.js';
import type { Reuse, Timing } from './types.js';

// The header helpers moved to the http stage (src/http/headers.ts); re-exported for existing importers.
export { hasConnectionClose, headerValue, headerValues, parseKeepAlive } from '../http/headers.js';

/**
 * Reuse annotation: index on the connection, idle time since the previous exchange, and what the
 * response advertised about keeping the connection.
 */
export function reuse(exchange: Exchange, previous: Exchange | null): Reuse {
  const start = exchange.request?.times.start ?? null;
  const previousEnd = previous ? (previous.response?.times.end ?? previous.request?.times.end ?? null) : null;
  // A pipelined request starts before the previous response ends: it waited for nothing (null).
  const idleBefore = start !== null && previousEnd !== null && start >= previousEnd ? start - previousEnd : null;
  return {
    index: exchange.index,
    reused: exchange.index > 1,
    idleBefore,
    keepAlive: exchange.response ? parseKeepAlive(headerValue(exchange.response.headers, 'keep-alive')) : null,
    connectionClose: { request: hasConnectionClose(exchange.request), response: hasConnectionClose(exchange.response) },
  };
}

/** Request start/end, first response byte (interim included), response end, TTFB. */
export function timing(exchange: Exchange): Timing {
  const requestStart = exchange.request?.times.start ?? null;
  const requestEnd = exchange.request ? exchange.request.times.end : null;
  const firstResponse = exchange.interim[0] ?? exchange.response;
  const firstResponseByte = firstResponse ? firstResponse.times.start : null;
  const responseEnd = exchange.response ? exchange.response.times.end : null;
  return {
    requestStart,
    requestEnd,
    firstResponseByte,
    responseEnd,
    ttfb: ttfb(exchange.request, firstResponseByte),
    total: responseEnd !== null && requestStart !== null ? responseEnd - requestStart : null,
  };
}

/**
 * How long the client waited for the first response byte: from the end of its request, or — when
 * the answer came before the request ended (`Expect: 100-continue`: the body waits for the 100; a
 * server answering before the body arrived) — from the end of its header section. Never negative:
 * null when the response began before even the header section was complete.
 */
function ttfb(request: Message | null, firstResponseByte: number | null): number | null {
  if (request === null || firstResponseByte === null) return null;
  if (request.times.end <= firstResponseByte) return firstResponseByte - request.times.end;
  const headersEnd = request.times.headersEnd;
  return headersEnd !== null && headersEnd <= firstResponseByte ? firstResponseByte - headersEnd : null;
}
