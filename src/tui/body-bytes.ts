/**
 * A message's body for the preview, cut from its direction's reassembled stream (re-read from the
 * capture) by the offsets the model recorded — the UI keeps no payload. Chunked bodies are taken
 * apart with the chunk sizes the model recorded, not by parsing: when those do not add up exactly
 * to the body's end (chunk extensions, trailers, sizes not all known), the wire bytes are shown.
 */
import { bodyView } from '../model/body.js';
import type { BodyView, MessageModel } from '../model/types.js';

/** Bytes kept for a preview (as report's default --body-limit). */
export const PREVIEW_LIMIT = 64 * 1024;

/** The body for display, or null when the message has no body bytes in `stream`. */
export function previewBody(m: MessageModel, stream: Uint8Array, limit = PREVIEW_LIMIT, base = 0): BodyView | null {
  const payload = bodyBytes(m, stream, base);
  if (payload === null || payload.length === 0) return null;
  const kept = payload.subarray(0, limit);
  return bodyView({ bodyPrefix: kept, framing: m.framing, headers: m.headers }, { bodyLimit: limit }) ?? null;
}

/**
 * The body bytes (de-chunked when the model allows it exactly), or null without a complete header
 * section. `stream[0]` is the direction's byte at offset `base` (a window of the stream).
 */
export function bodyBytes(m: MessageModel, stream: Uint8Array, base = 0): Uint8Array | null {
  const { headEnd, bodyEnd } = m.offsets;
  if (headEnd === null || m.framing === null) return null;
  const wire = windowBytes(stream, base, headEnd, bodyEnd);
  if (wire.length === 0 || m.framing.kind !== 'chunked') return wire;
  return dechunk(wire, m.framing.chunkSizes ?? [], m.framing.chunks ?? -1) ?? wire;
}

/**
 * The bytes at stream offsets [start, end) (to the window's end when `end` is null) that a window
 * of the stream holds: `stream[0]` is the byte at offset `base`.
 */
export function windowBytes(stream: Uint8Array, base: number, start: number, end: number | null): Uint8Array {
  const from = Math.max(0, start - base);
  const to = end === null ? stream.length : Math.min(stream.length, end - base);
  return stream.subarray(from, Math.max(from, to));
}

/** The data of chunks of the given sizes laid end to end (`hex CRLF data CRLF`), or null when the sizes do not describe `wire`. */
function dechunk(wire: Uint8Array, sizes: readonly number[], count: number): Uint8Array | null {
  if (sizes.length !== count) return null;
  const out = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
  let at = 0;
  let filled = 0;
  for (const size of sizes) {
    const line = `${size.toString(16)}\r\n`;
    // The size line must be exactly what the size says (no extension, no leading zero).
    if (Buffer.from(wire.subarray(at, at + line.length)).toString('latin1').toLowerCase() !== line) return null;
    at += line.length;
    if (at + size > wire.length) {
      out.set(wire.subarray(at, Math.min(wire.length, at + size)), filled);
      return out.subarray(0, filled + Math.max(0, Math.min(wire.length, at + size) - at));
    }
    out.set(wire.subarray(at, at + size), filled);
    filled += size;
    at += size + 2;
  }
  return out;
}
