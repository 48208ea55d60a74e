import type { Direction } from './stream.js';

/**
 * Guessing who is the client of a connection whose SYN was not captured (mid-stream pickup).
 * HTTP/1.x says it best: a request line is sent by the client, a status line by the server.
 * Without payload, ports decide: a well-known HTTP port, else the lower port, is the server's
 * (clients use ephemeral ports, 32768+ on Linux, 49152+ elsewhere).
 */

/** Ports HTTP servers commonly listen on, dev servers included. */
export const WELL_KNOWN_SERVER_PORTS: ReadonlySet<number> = new Set([
  80, 443, 591, 3000, 3001, 4000, 4200, 5000, 5173, 8000, 8008, 8080, 8081, 8443, 8888, 9000, 9090,
]);

/** How far into a payload we look for the end of the first line. */
const MAX_FIRST_LINE = 8192;

const SP = 0x20;
const CR = 0x0d;
const LF = 0x0a;
/** "HTTP/1." */
const HTTP1 = [0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e];

/**
 * The role of whoever sent `payload` as the first bytes of its stream: 'server' for a status line
 * (`HTTP/1.x …`), 'client' for a request line (`METHOD SP target SP HTTP/1.x`, the method any
 * token), null when it looks like neither.
 */
export function roleFromPayload(payload: Uint8Array): Direction | null {
  if (startsWithAt(payload, 0, HTTP1)) return 'server';
  const methodEnd = tokenEnd(payload);
  if (methodEnd <= 0 || payload[methodEnd] !== SP) return null;
  const lineEnd = firstLineEnd(payload);
  for (let i = methodEnd + 1; i + HTTP1.length < lineEnd; i++) {
    if (payload[i] === SP && startsWithAt(payload, i + 1, HTTP1)) return 'client';
  }
  // The segment ended inside a long first line: an upper-case method and an origin-form target
  // are request-like enough.
  if (lineEnd === payload.length && isUpperCase(payload, methodEnd) && payload[methodEnd + 1] === 0x2f) return 'client';
  return null;
}

/**
 * Which of two ports is the server's: `a` (the first seen segment's source port) or `b` (its
 * destination port). A well-known port wins over an unknown one; otherwise the lower port; on a
 * tie the destination of the first segment.
 */
export function serverPort(a: number, b: number): 'a' | 'b' {
  const knownA = WELL_KNOWN_SERVER_PORTS.has(a);
  const knownB = WELL_KNOWN_SERVER_PORTS.has(b);
  if (knownA !== knownB) return knownA ? 'a' : 'b';
  return a < b ? 'a' : 'b';
}

function startsWithAt(bytes: Uint8Array, at: number, prefix: readonly number[]): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

/** End of the leading RFC 9110 token (tchar run); 0 when there is none. */
function tokenEnd(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && i < MAX_FIRST_LINE && isTchar(bytes[i])) i++;
  return i;
}

function firstLineEnd(bytes: Uint8Array): number {
  const limit = Math.min(bytes.length, MAX_FIRST_LINE);
  for (let i = 0; i < limit; i++) if (bytes[i] === CR || bytes[i] === LF) return i;
  return limit;
}

function isUpperCase(bytes: Uint8Array, end: number): boolean {
  for (let i = 0; i < end; i++) if (bytes[i] < 0x41 || bytes[i] > 0x5a) return false;
  return true;
}

/** tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
function isTchar(c: number): boolean {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true;
  return "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c));
}
