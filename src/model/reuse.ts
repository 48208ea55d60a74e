import type { Exchange, HeaderField, Message } from '../http/types.js';
import type { ConnectionRecord, FrameAt } from '../tcp/connection.js';
import type { CloseEvent } from './closing.js';
import type { Before, MessageModel, Reuse, Timing } from './types.js';

/**
 * Whether a field name equals `lower` (an all-lower-case name) ignoring ASCII case. Compares in
 * place: lower-casing every field name for every lookup allocated a string per field.
 */
function isField(name: string, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** First value of a header field, case-insensitively (null when absent). */
export function headerValue(headers: HeaderField[], name: string): string | null {
  const lower = name.toLowerCase();
  for (const field of headers) if (isField(field.name, lower)) return field.value;
  return null;
}

/** Every value of a header field, in order. */
export function headerValues(headers: HeaderField[], name: string): string[] {
  const lower = name.toLowerCase();
  const values: string[] = [];
  for (const field of headers) if (isField(field.name, lower)) values.push(field.value);
  return values;
}

const KEEP_ALIVE_TIMEOUT = /(?:^|[,;\s])timeout\s*=\s*"?(\d+)/i;
const KEEP_ALIVE_MAX = /(?:^|[,;\s])max\s*=\s*"?(\d+)/i;

/** `Keep-Alive: timeout=5, max=100` → { timeout: 5, max: 100 } (RFC 2068 §19.7.1.1 syntax). */
export function parseKeepAlive(value: string | null): Reuse['keepAlive'] {
  if (value === null) return null;
  const timeout = KEEP_ALIVE_TIMEOUT.exec(value);
  const max = KEEP_ALIVE_MAX.exec(value);
  return { timeout: timeout ? Number(timeout[1]) : null, max: max ? Number(max[1]) : null };
}

const CLOSE_OPTION = /(?:^|,)[ \t]*close[ \t]*(?:,|$)/i;

/** Whether a `Connection` header lists the `close` option. */
export function hasConnectionClose(message: Message | null): boolean {
  if (!message) return false;
  for (const field of message.headers) if (isField(field.name, 'connection') && CLOSE_OPTION.test(field.value)) return true;
  return false;
}

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
  const idleBefore = start !== null && previousEnd !== null && start >= previousEnd ? start - previousEnd : null;
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
    requestAfterServerFin: fin !== null && start !== null ? start - fin.time : null,
    connectionClose: connectionClose === null ? null : { exchange: connectionClose.exchange, frame: connectionClose.frame },
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
    ttfb: ttfb(exchange.request, firstResponseByte),
    total: responseEnd !== null && requestStart !== null ? responseEnd - requestStart : null,
    unanswered: unanswered(requestEnd, firstResponseByte, close, captureEnd),
  };
}

/** A complete request with no response byte: how long it waited until the close or the capture's end. */
function unanswered(requestEnd: number | null, firstResponseByte: number | null, close: CloseEvent | null, captureEnd: number): Timing['unanswered'] {
  if (requestEnd === null || firstResponseByte !== null) return null;
  const endedByClose = close !== null && close.time >= requestEnd;
  const until = endedByClose ? close.time : Math.max(captureEnd, requestEnd);
  return { since: requestEnd, until, waited: until - requestEnd, endedBy: endedByClose ? close.endedBy : 'capture-end' };
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
