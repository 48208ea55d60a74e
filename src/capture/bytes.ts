/**
 * Byte helpers shared by the stages. Integer reads straight from the bytes: the capture readers
 * call these once or several times per frame, so they are plain arithmetic on the Uint8Array (no
 * DataView, no Buffer method lookup), small enough for V8 to inline. And concatBytes, for joining.
 */

/** Unsigned 16-bit integer at `o`, little- or big-endian. */
export function u16(b: Uint8Array, o: number, littleEndian: boolean): number {
  return littleEndian ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1];
}

/** Unsigned 32-bit integer at `o`, little- or big-endian (`>>> 0` keeps it non-negative). */
export function u32(b: Uint8Array, o: number, littleEndian: boolean): number {
  return littleEndian
    ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
    : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** Signed 64-bit integer at `o` as a float (exact below 2^53, which covers any sane seconds offset). */
export function i64(b: Uint8Array, o: number, littleEndian: boolean): number {
  const high = littleEndian ? u32(b, o + 4, true) | 0 : u32(b, o, false) | 0;
  const low = littleEndian ? u32(b, o, true) : u32(b, o + 4, false);
  return high * 4294967296 + low;
}

/** `0x0000000a` — the form every error message uses for magics and block types. */
export function hex32(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

/**
 * Largest record or block we accept (256 MiB). Anything bigger is a corrupt length, and refusing it
 * keeps a damaged file from making us buffer the rest of the input while we wait for the "record".
 */
export const MAX_UNIT_LENGTH = 256 * 1024 * 1024;

/**
 * `pieces` copied, in order, into one new plain Uint8Array (not a Buffer: frames are views of
 * such buffers, and Uint8Array's builtin subarray is cheaper than Buffer's). `length` is their
 * total when the caller already keeps it.
 */
export function concatBytes(pieces: readonly Uint8Array[], length = totalLength(pieces)): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}

function totalLength(pieces: readonly Uint8Array[]): number {
  let length = 0;
  for (const piece of pieces) length += piece.length;
  return length;
}
