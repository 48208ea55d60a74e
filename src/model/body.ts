import { brotliDecompressSync, constants, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { Message } from '../http/types.js';
import { formatBytes } from '../text/units.js';
import { headerValue } from './reuse.js';
import type { BodyView } from './types.js';

/** What bodyView reads of a message: the kept bytes, the framing's totals and the header fields (a parsed Message has them all). */
export interface BodySource {
  bodyPrefix?: Uint8Array;
  framing: { actualBodyBytes: number; missingBytes: number } | null;
  headers: Message['headers'];
}

export interface BodyViewOptions {
  /** The body limit the bytes were kept with (--body-limit): a prefix this long was cut by it. */
  bodyLimit: number;
}

/** What undoing a Content-Encoding gave. */
type Decoded =
  | { state: 'decoded'; bytes: Uint8Array }
  /** The decoder rejected the bytes: `reason` is its message. */
  | { state: 'failed'; reason: string }
  /** A coding (or list of codings) wirelens does not undo. */
  | { state: 'unsupported' };

/**
 * The kept body bytes, decoded for display: Content-Encoding gzip/deflate/br undone with Node's
 * zlib (a truncated prefix decodes as far as it goes), text shown as text, anything else as base64.
 * `note` says whatever the reader cannot see from the bytes: the limit cut them, the prefix was too
 * short to decode, the bytes are not in their declared coding, or the capture lost some or all.
 * Undefined when there is nothing to say: no byte kept and none lost.
 */
export function bodyView(message: BodySource, options: BodyViewOptions): BodyView | undefined {
  const raw = message.bodyPrefix ?? new Uint8Array(0);
  const total = message.framing?.actualBodyBytes ?? raw.length;
  const missing = message.framing?.missingBytes ?? 0;
  if (raw.length === 0 && missing === 0) return undefined;
  const contentType = headerValue(message.headers, 'content-type');
  const coding = headerValue(message.headers, 'content-encoding')?.trim().toLowerCase() ?? '';
  const encoding = coding === '' || coding === 'identity' ? null : coding;
  const decoded = encoding !== null && raw.length > 0 ? decode(raw, encoding) : null;
  const cut = raw.length < total;
  // A cut stream can hold too little for the decoder to produce anything: that is not a failure.
  const decodedNothing = decoded?.state === 'decoded' && decoded.bytes.length === 0 && cut;
  const text = decodedNothing ? null : displayText(raw, decoded, contentType);
  const notes = [
    encoding !== null && decoded !== null ? codingNote(encoding, decoded) : null,
    cutNote({ kept: raw.length, total, missing, limit: options.bodyLimit, encoding, decoded: decoded?.state === 'decoded' && text !== null, decodedNothing }),
    missingNote(missing, total),
  ].filter((n): n is string => n !== null);
  return {
    kept: raw.length,
    truncated: cut,
    contentType,
    decodedFrom: decoded?.state === 'decoded' && !decodedNothing ? encoding : null,
    decodedSize: decoded?.state === 'decoded' && !cut && missing === 0 ? decoded.bytes.length : null,
    text,
    base64: text === null && raw.length > 0 ? Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('base64') : null,
    note: notes.length > 0 ? notes.join('; ') : null,
  };
}

/** The body as text, or null when it is not text-like (then it is shown as base64). */
function displayText(raw: Uint8Array, decoded: Decoded | null, contentType: string | null): string | null {
  if (raw.length === 0) return null;
  if (decoded === null) return isTextual(contentType, raw) ? utf8(raw) : null;
  if (decoded.state === 'decoded') return isTextual(contentType, decoded.bytes) ? utf8(decoded.bytes) : null;
  // Not in its declared coding: shown as sent, as text only when the bytes themselves are text
  // (Content-Type describes the decoded body, which these bytes are not known to be).
  return looksLikeText(raw) ? utf8(raw) : null;
}

/** Body bytes the capture lost (bridged gaps), or null when none were. */
function missingNote(missing: number, total: number): string | null {
  if (missing === 0) return null;
  return missing === total ? `${formatBytes(missing)} not captured` : `${formatBytes(missing)} of ${formatBytes(total)} not captured`;
}

/** Why the bytes are shown undecoded, or null when they were decoded. */
function codingNote(encoding: string, decoded: Decoded): string | null {
  switch (decoded.state) {
    case 'decoded':
      return null;
    case 'failed':
      return `Content-Encoding: ${encoding}, but the body is not ${encoding} data (${decoded.reason}); shown undecoded`;
    case 'unsupported':
      return `Content-Encoding: ${encoding} is not one wirelens decodes; shown undecoded`;
  }
}

interface CutFacts {
  kept: number;
  total: number;
  missing: number;
  limit: number;
  encoding: string | null;
  /** The kept prefix was decoded and is shown as text. */
  decoded: boolean;
  /** The kept prefix is encoded and too short to decode any of it. */
  decodedNothing: boolean;
}

/** What part of the body is shown and why not all of it, or null when all of it is. */
function cutNote(f: CutFacts): string | null {
  if (f.kept >= f.total) return null;
  // Every captured byte up to the limit is kept, so a shorter prefix stopped at a bridged gap.
  const why = f.missing > 0 && f.kept < f.limit ? 'the bytes after them were not captured' : `--body-limit ${f.limit}`;
  if (f.kept === 0) {
    if (f.missing === f.total) return null; // nothing was captured: the missing note says it all
    return f.limit === 0 ? 'nothing kept (--body-limit 0)' : 'nothing shown: the body starts with bytes not captured';
  }
  // The kept count exactly (it is what --body-limit was given), the total in the report's units.
  const prefix = `the first ${f.kept} B of ${formatBytes(f.total)}`;
  if (f.decoded) return `decoded from ${prefix} of ${f.encoding} data (${why})`;
  if (f.decodedNothing) return `${prefix} of ${f.encoding} data are too few to decode any of it (${why})`;
  return `${prefix} (${why})`;
}

/** Lenient decoding: a cut stream yields its decodable prefix (SYNC_FLUSH / OPERATION_FLUSH). */
function decode(raw: Uint8Array, encoding: string): Decoded {
  const lenient = { finishFlush: constants.Z_SYNC_FLUSH };
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return attempt(() => gunzipSync(raw, lenient));
    case 'deflate': {
      // "deflate" is zlib-wrapped per RFC 9110 §8.4.1.2, but some servers send raw deflate. The
      // zlib-wrapped attempt's error is the one reported: it is what the RFC says the bytes are.
      const wrapped = attempt(() => inflateSync(raw, lenient));
      if (wrapped.state === 'decoded') return wrapped;
      const bare = attempt(() => inflateRawSync(raw, lenient));
      return bare.state === 'decoded' ? bare : wrapped;
    }
    case 'br':
      return attempt(() => brotliDecompressSync(raw, { finishFlush: constants.BROTLI_OPERATION_FLUSH }));
    default:
      return { state: 'unsupported' };
  }
}

/** Runs one zlib decoder; its error (bad traffic, not a bug) becomes the reason. */
function attempt(run: () => Buffer): Decoded {
  try {
    return { state: 'decoded', bytes: run() };
  } catch (error) {
    return { state: 'failed', reason: decoderReason(error) };
  }
}

/** zlib's message ("incorrect header check"); brotli's is always "Decompression failed", so its code is added. */
function decoderReason(error: unknown): string {
  const { message, code } = error as { message?: unknown; code?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  return typeof code === 'string' && code.startsWith('ERR__ERROR_') ? `${text}: ${code}` : text;
}

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
}

const TEXT_TYPES = /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded|problem\+json|[\w.+-]*\+(json|xml)))/i;

/** A declared text type, or (no type) bytes that look like text. */
function isTextual(contentType: string | null, bytes: Uint8Array): boolean {
  if (contentType) return TEXT_TYPES.test(contentType.trim());
  return looksLikeText(bytes);
}

const SNIFF_BYTES = 512;

/** The first 512 bytes are UTF-8 without control characters other than whitespace. */
function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, Math.min(bytes.length, SNIFF_BYTES));
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i];
    if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) return false;
  }
  try {
    // stream: a character cut by the sample's (or the limit's) end is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}
