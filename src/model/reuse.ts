import { hasConnectionClose, headerValue, parseKeepAlive } from '../http/headers.js';
import type { Exchange } from '../http/types.js';
import type { ConnectionRecord, FrameAt } from '../tcp/connection.js';
import type { CloseEvent } from './closing.js';
import type { Before, MessageModel, Reuse, Timing } from './types.js';
import { round6 } from './round.js';

// The header helpers moved to the http stage (src/http/headers.ts); re-exported for existing importers.
export { hasConnectionClose, headerValue, headerValues, parseKeepAlive } from '../http/headers.js';

/** What the next exchange needs of the previous one: when its last byte went by. */
export interface PreviousExchange {
  end: number | null;
}

/**
 * Reuse annotation: index on the connection, idle time since the previous exchange, and what the
 * response advertised about keeping the connection.
 */
export function reuse(exchange: Exchange, previous: PreviousExchange | null): Reuse {
  const start = exchange.request?.times.start ?? null;
  const previousEnd = previous?.end ?? null;
  // A pipelined request starts before the previous response ends: it waited for nothing (null).
  const idleBefore = start !== null && previousEnd !== null && start >= previousEnd ? round6(start - previousEnd) : null;
  return {
    index: exchange.index,
    reused: exchange.index > 1,
    idleBefore,
    keepAlive: exchange.response ? parseKeepAlive(headerValue(exchange.response.headers, 'keep-alive')) : null,
    connectionClose: { request: hasConnectionClose(exchange.request), response: hasConnectionClose(exchange.response) },
  };
}

/**
 * What had already happened when the request's first byte left: the server's FIN or RST (the
 * keep-alive reuse race), an earlier `Connection: close` response.
 */
export function before(rec: ConnectionRecord, exchange: Exchange, connectionClose: { exchange: number; frame: number } | null): Before {
  const start = exchange.request?.times.start ?? null;
  const startFrame = exchange.request?.firstFrame ?? null;
  const earlier = (at: FrameAt | null): FrameAt | null => (at !== null && startFrame !== null && at.frame < startFrame ? at : null);
  // The request direction is the client's, unless a mid-stream pickup reversed the roles: the peer is the other side.
  const serverSide = exchange.request?.direction === 'server' ? 'client' : 'server';
  const fin = earlier(serverSide === 'server' ? rec.teardown.serverFin : rec.teardown.clientFin);
  const rst = earlier(serverSide === 'server' ? rec.teardown.serverRst : rec.teardown.clientRst);
  return {
    serverFin: fin,
    serverRst: rst,
    requestAfterServerFin: fin !== null && start !== null ? round6(start - fin.time) : null,
    // Only a response that had gone by before the request's first byte: a pipelined request left
    // before the Connection: close answer to an earlier one came.
    connectionClose:
      connectionClose === null || startFrame === null || connectionClose.frame >= startFrame
        ? null
        : { exchange: connectionClose.exchange, frame: connectionClose.frame },
  };
}

/** Request start/end, first response byte (interim included), response end, TTFB, an unanswered wait. */
export function timing(exchange: Exchange, request: MessageModel | null, response: MessageModel | null, close: CloseEvent | null, captureEnd: number): Timing {
  const requestStart = request?.times.start ?? null;
  const requestEnd = request?.times.end ?? null;
  const firstResponse = exchange.interim[0] ?? exchange.response;
  const firstResponseByte = firstResponse ? firstResponse.times.start : null;
  const responseEnd = response?.times.end ?? null;
  return {
    requestStart,
    requestEnd,
    firstResponseByte,
    responseEnd,
    ttfb: ttfb(request, firstResponseByte),
    total: responseEnd !== null && requestStart !== null ? round6(responseEnd - requestStart) : null,
    // A response the capture lost was still sent: the request was answered, not left waiting.
    unanswered: exchange.lost?.message === 'response' ? null : unanswered(requestEnd, firstResponseByte, close, captureEnd),
  };
}

/** A complete request with no response byte: how long it waited until the close or the capture's end. */
function unanswered(requestEnd: number | null, firstResponseByte: number | null, close: CloseEvent | null, captureEnd: number): Timing['unanswered'] {
  if (requestEnd === null || firstResponseByte !== null) return null;
  const endedByClose = close !== null && close.time >= requestEnd;
  const until = endedByClose ? close.time : Math.max(captureEnd, requestEnd);
  return { since: requestEnd, until, waited: round6(until - requestEnd), endedBy: endedByClose ? close.endedBy : 'capture-end', frame: endedByClose ? close.frame : null };
}
/**
 * How long the client waited for the first response byte: from the end of its request, or — when
 * the answer came before the request ended (`Expect: 100-continue`: the body waits for the 100; a
 * server answering an unfinished request with 408) — from the end of its header section. Never
 * negative: null when the response began before even the header section was complete, or the
 * header section never completed.
 */
function ttfb(request: MessageModel | null, firstResponseByte: number | null): number | null {
  if (request === null || firstResponseByte === null) return null;
  const end = request.times.end;
  if (end !== null && end <= firstResponseByte) return round6(firstResponseByte - end);
  const headersEnd = request.times.headersEnd;
  return headersEnd !== null && headersEnd <= firstResponseByte ? round6(firstResponseByte - headersEnd) : null;
}
