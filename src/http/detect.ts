/**
 * Recognising what a connection carries, and where an HTTP/1.x message can start. Pure functions
 * over bytes: the analyzer uses detectProtocol on a connection's first bytes; the parser uses
 * matchStart at message boundaries and findStart to resynchronise after a desync.
 */
import type { Direction } from '../tcp/stream.js';
import { isTchar } from './headers.js';
import type { MessageKind, ProtocolLabel } from './types.js';

/** The request methods a start line is recognised by (Node.js's http.METHODS, without PRI). */
export const KNOWN_METHODS = [
  'ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK', 'M-SEARCH',
  'MERGE', 'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST',
  'PROPFIND', 'PROPPATCH', 'PURGE', 'PUT', 'QUERY', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE',
  'SUBSCRIBE', 'TRACE', 'UNBIND', 'UNLINK', 'UNLOCK', 'UNSUBSCRIBE',
] as const;

const SP = 0x20;
const CR = 0x0d;
const LF = 0x0a;

function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/** Each known method followed by SP, longest first (so a suffix search finds e.g. UNLOCK before LOCK). */
const METHOD_STARTS: readonly Uint8Array[] = [...KNOWN_METHODS]
  .sort((a, b) => b.length - a.length)
  .map((m) => ascii(m + ' '));
const HTTP_SLASH = ascii('HTTP/');
const HTTP_1 = ascii('HTTP/1.');
/** The HTTP/2 connection preface (RFC 9113 §3.4). */
export const H2_PREFACE = ascii('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** How `pattern` relates to bytes[pos, end): full match, a prefix of it so far, or no match. */
function comparePrefix(bytes: Uint8Array, pos: number, end: number, pattern: Uint8Array): 'yes' | 'partial' | 'no' {
  const n = Math.min(end - pos, pattern.length);
  for (let i = 0; i < n; i++) if (bytes[pos + i] !== pattern[i]) return 'no';
  return n === pattern.length ? 'yes' : 'partial';
}

/**
 * Does a message start at bytes[pos]? Requests: a known method followed by SP; responses:
 * `HTTP/`. 'partial': the bytes so far are a prefix of such a start (more are needed).
 * `lenient` (the first request of a stream): any tchar starts a message, so a garbage request
 * line is parsed and recorded rather than skipped.
 */
export function matchStart(kind: MessageKind, bytes: Uint8Array, pos: number, end: number, lenient = false): 'yes' | 'partial' | 'no' {
  if (pos >= end) return 'partial';
  if (kind === 'response') return comparePrefix(bytes, pos, end, HTTP_SLASH);
  if (lenient && isTchar(bytes[pos])) return 'yes';
  let partial = false;
  for (const m of METHOD_STARTS) {
    if (m[0] !== bytes[pos]) continue;
    const r = comparePrefix(bytes, pos, end, m);
    if (r === 'yes') return 'yes';
    if (r === 'partial') partial = true;
  }
  return partial ? 'partial' : 'no';
}

/** Result of a resynchronisation search: a validated start, or the index from which bytes must be kept. */
export type StartSearch = { found: number } | { keepFrom: number };

/** Longest request line the request-side search can validate across chunk boundaries. */
export const MAX_RESYNC_LINE = 8192;

function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/** Start of `METHOD SP target SP` before an `HTTP/1.` at h, or -1. */
function requestLineBefore(bytes: Uint8Array, h: number): number {
  if (h < 3 || bytes[h - 1] !== SP) return -1;
  let t = h - 2;
  while (t >= 0 && bytes[t] !== SP) {
    const b = bytes[t];
    if (b < 0x21 || b === 0x7f) return -1;
    t--;
  }
  if (t < 0 || t === h - 2) return -1; // no SP before the target, or an empty target
  for (const m of METHOD_STARTS) {
    const start = t + 1 - m.length;
    if (start < 0) continue;
    let ok = true;
    for (let i = 0; i < m.length - 1 && ok; i++) ok = bytes[start + i] === m[i];
    if (ok) return start;
  }
  return -1;
}

/** Length of the longest suffix of bytes[0, end) that is a proper prefix of `pattern`. */
function partialSuffix(bytes: Uint8Array, end: number, pattern: Uint8Array): number {
  for (let n = Math.min(pattern.length - 1, end); n > 0; n--) {
    if (comparePrefix(bytes, end - n, end, pattern) === 'partial') return n;
  }
  return 0;
}

/**
 * Where is the next plausible start line in bytes[0, end)? Used after a desync, so it is strict:
 * responses need `HTTP/1.D SP DDD`; requests need a whole `METHOD SP target SP HTTP/1.D` line end
 * (the method may follow any byte: `4GET / HTTP/1.1` resyncs at `G`). Uses Buffer.indexOf, no
 * per-byte loop over skipped data. When nothing is found, `keepFrom` says which tail could still
 * become a start once more bytes arrive (at most MAX_RESYNC_LINE bytes for requests).
 */
export function findStart(kind: MessageKind, bytes: Uint8Array, end: number): StartSearch {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, end);
  let from = 0;
  for (;;) {
    const h = buf.indexOf(HTTP_1, from);
    if (h === -1) break;
    if (kind === 'response') {
      if (h + 12 > end) return { keepFrom: h };
      if (isDigit(buf[h + 7]) && buf[h + 8] === SP && isDigit(buf[h + 9]) && isDigit(buf[h + 10]) && isDigit(buf[h + 11])) {
        return { found: h };
      }
    } else {
      if (h + 9 > end) return { keepFrom: lineStart(buf, h, end) };
      if (isDigit(buf[h + 7]) && (buf[h + 8] === CR || buf[h + 8] === LF)) {
        const start = requestLineBefore(buf, h);
        if (start !== -1) return { found: start };
      }
    }
    from = h + 1;
  }
  if (kind === 'response') return { keepFrom: end - partialSuffix(buf, end, HTTP_1) };
  return { keepFrom: lineStart(buf, end, end) };
}

/** Index just after the last CR/LF before `at` (bounded to MAX_RESYNC_LINE bytes back). */
function lineStart(buf: Buffer, at: number, end: number): number {
  const lf = at === 0 ? -1 : buf.lastIndexOf(LF, at - 1);
  const cr = at === 0 ? -1 : buf.lastIndexOf(CR, at - 1);
  return Math.max(lf + 1, cr + 1, end - MAX_RESYNC_LINE, 0);
}

/** What detectProtocol decided: the label and which direction carries requests. */
export interface Detection {
  protocol: ProtocolLabel;
  /** 'server' when the client direction begins with a response (mid-stream pickup, roles reversed). */
  requestDirection: Direction;
}

function looksLikeTls(bytes: Uint8Array): 'yes' | 'partial' | 'no' {
  // TLS record: ContentType handshake (22), ProtocolVersion 3.0–3.4.
  if (bytes.length === 0) return 'partial';
  if (bytes[0] !== 0x16) return 'no';
  if (bytes.length < 2) return 'partial';
  if (bytes[1] !== 0x03) return 'no';
  if (bytes.length < 3) return 'partial';
  return bytes[2] <= 0x04 ? 'yes' : 'no';
}

/**
 * Label a connection from the first bytes of each direction (any port). `client`/`server` are the
 * bytes seen so far from each side (a prefix of the stream); `final` says no more will come
 * (close, capture end, or the buffering limit), so a decision must be made. Returns null while
 * undecided.
 *
 * - h2: the client sends the prior-knowledge preface `PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`;
 * - tls: the client sends a handshake record (0x16 0x03 0x00–0x04);
 * - http: the client sends a known method + SP, or (mid-stream, roles reversed) `HTTP/1.`; or the
 *   client sends a token-like line and the server answers `HTTP/1.` (a garbage request line
 *   answered by 400); when the client is silent, a server `HTTP/1.` decides at the end;
 * - unknown: anything else.
 */
export function detectProtocol(client: Uint8Array, server: Uint8Array, final: boolean): Detection | null {
  const http: Detection = { protocol: 'http', requestDirection: 'client' };
  const unknown: Detection = { protocol: 'unknown', requestDirection: 'client' };
  if (client.length === 0) {
    if (!final) return null;
    if (server.length === 0) return null;
    if (comparePrefix(server, 0, server.length, HTTP_1) !== 'no') return http;
    if (matchStart('request', server, 0, server.length) !== 'no') return { protocol: 'http', requestDirection: 'server' };
    return unknown;
  }
  const end = client.length;
  const h2 = comparePrefix(client, 0, end, H2_PREFACE);
  if (h2 === 'yes') return { protocol: 'h2', requestDirection: 'client' };
  const tls = looksLikeTls(client);
  if (tls === 'yes') return { protocol: 'tls', requestDirection: 'client' };
  const request = matchStart('request', client, 0, end);
  if (request === 'yes') return http;
  const response = comparePrefix(client, 0, end, HTTP_1);
  if (response === 'yes') return { protocol: 'http', requestDirection: 'server' };
  const waiting = h2 === 'partial' || tls === 'partial' || request === 'partial' || response === 'partial';
  if (waiting && !final) return null;
  if (request !== 'no') return http; // a final prefix of a method (or of the preface: "PRI …" cut short is a request too)
  if (response !== 'no') return { protocol: 'http', requestDirection: 'server' };
  if (isTchar(client[0])) {
    // A token-like first line that is no known request: HTTP if the server answers like one.
    if (server.length > 0) {
      const answer = comparePrefix(server, 0, server.length, HTTP_1);
      if (answer === 'yes') return http;
      if (answer === 'partial' && !final) return null;
      return unknown;
    }
    return final ? unknown : null;
  }
  return unknown;
}

/**
 * What reaching the buffering limit undecided means. With the handshake, the connection's first
 * bytes are its first messages: label it from them. Picked up mid-stream, they are most likely the
 * middle of a message (a download or an upload under way when the capture began, the other side
 * silent): let them go and label it from the bytes that follow — the next request line or status
 * line. The analyzer and the sniffer both ask, so `conns` and `report` label a connection alike.
 */
export function limitDecides(midStream: boolean): boolean {
  return !midStream;
}

/** How many first bytes of each direction a connection is labelled from. */
export const DETECT_BYTES = 32;

/** `head` grown with the start of `bytes`, up to DETECT_BYTES (a copy: chunks are views). */
export function growHead(head: Uint8Array, bytes: Uint8Array): Uint8Array {
  if (head.length >= DETECT_BYTES) return head;
  const take = Math.min(DETECT_BYTES - head.length, bytes.length);
  const grown = new Uint8Array(head.length + take);
  grown.set(head);
  grown.set(bytes.subarray(0, take), head.length);
  return grown;
}
