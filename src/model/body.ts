import { brotliDecompressSync, constants, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { Message } from '../http/types.js';
import { headerValue } from './reuse.js';
import type { BodyView } from './types.js';

/**
 * The kept body bytes, decoded for display: Content-Encoding gzip/deflate/br undone with Node's
 * zlib (a truncated prefix decodes as far as it goes), text shown as text, anything else as base64.
 */
export function bodyView(message: Message): BodyView | undefined {
  const raw = message.bodyPrefix;
  if (!raw || raw.length === 0) return undefined;
  const total = message.framing?.actualBodyBytes ?? raw.length;
  const contentType = headerValue(message.headers, 'content-type');
  const coding = headerValue(message.headers, 'content-encoding')?.trim().toLowerCase() ?? '';
  const encoding = coding === '' || coding === 'identity' ? null : coding;
  const decoded = encoding ? decode(raw, encoding) : null;
  // Encoded bytes that could not be decoded (corrupt, or a coding we do not undo) are not text,
  // whatever Content-Type says: show them as base64 rather than as mojibake.
  const undecoded = encoding !== null && decoded === null;
  const bytes = decoded ?? raw;
  const text = !undecoded && isTextual(contentType, bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8') : null;
  return {
    kept: raw.length,
    truncated: total > raw.length,
    contentType,
    decodedFrom: decoded ? encoding : null,
    text,
    base64: text === null ? Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('base64') : null,
  };
}

/** Lenient decoding: partial input yields what it can (SYNC_FLUSH), undecodable input yields null. */
function decode(raw: Uint8Array, encoding: string): Uint8Array | null {
  const lenient = { finishFlush: constants.Z_SYNC_FLUSH };
  try {
    switch (encoding) {
      case 'gzip':
      case 'x-gzip':
        return gunzipSync(raw, lenient);
      case 'deflate':
        // "deflate" is zlib-wrapped per RFC 9110 §8.4.1.2, but some servers send raw deflate.
        try {
          return inflateSync(raw, lenient);
        } catch {
          return inflateRawSync(raw, lenient);
        }
      case 'br':
        return brotliDecompressSync(raw, { finishFlush: constants.BROTLI_OPERATION_FLUSH });
      default:
        return null;
    }
  } catch {
    return null;
  }
}

const TEXT_TYPES = /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded|problem\+json|[\w.+-]*\+(json|xml)))/i;

/** A declared text type, or (no type) bytes without control characters other than whitespace. */
function isTextual(contentType: string | null, bytes: Uint8Array): boolean {
  if (contentType) return TEXT_TYPES.test(contentType.trim());
  const sample = Math.min(bytes.length, 512);
  for (let i = 0; i < sample; i++) {
    const b = bytes[i];
    if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) return false;
  }
  return true;
}
