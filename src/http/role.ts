/**
 * Which side of a connection picked up mid-stream (its SYN not captured) is the client, asked by
 * the tcp stage of the first payload of a connection it cannot place (TrackerOptions.guessRole).
 * HTTP/1.x says it best: a request line is sent by the client, a status line by the server.
 */
import { isTchar } from './headers.js';

/** How far into a payload we look for the end of the first line. */
const MAX_FIRST_LINE = 8192;

const SP = 0x20;
const CR = 0x0d;
const LF = 0x0a;
const SLASH = 0x2f;
/** "HTTP/1." */
const HTTP1 = [0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e];

/**
 * The role of whoever sent `payload` as the first bytes of its stream: 'server' for a status line
 * (`HTTP/1.x …`), 'client' for a request line (`METHOD SP target SP HTTP/1.x`, the method any
 * token), null when it looks like neither.
 */
export function guessHttpRole(payload: Uint8Array): 'client' | 'server' | null {
  if (startsWithAt(payload, 0, HTTP1)) return 'server';
  const methodEnd = tokenEnd(payload);
  if (methodEnd <= 0 || payload[methodEnd] !== SP) return null;
  const lineEnd = firstLineEnd(payload);
  for (let i = methodEnd + 1; i + HTTP1.length < lineEnd; i++) {
    if (payload[i] === SP && startsWithAt(payload, i + 1, HTTP1)) return 'client';
  }
  // The segment ended inside a long first line: an upper-case method and an origin-form target
  // are request-like enough.
  if (lineEnd === payload.length && isUpperCase(payload, methodEnd) && payload[methodEnd + 1] === SLASH) return 'client';
  return null;
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
