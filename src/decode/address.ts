/**
 * IP address formatting (per packet, so it must be cheap) and parsing (for the packet builder
 * and for tests; never on the per-packet path).
 *
 * Formatting goes through a small direct-mapped cache keyed by the raw address bytes. A capture
 * has few distinct addresses, so nearly every call is a hit that returns the *same* string
 * instance as before: no allocation, and later Map look-ups keyed by that string reuse its
 * cached hash. The caches are bounded (a fixed number of slots), so a scan over millions of
 * addresses cannot grow memory; a collision just re-formats.
 */

/** Decimal text of every byte value, so a dotted quad is three concatenations, no toString. */
const DECIMAL: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));
/** Hex of a byte without leading zeros ("0".."ff"): the leading byte of an IPv6 group. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16));
/** Hex of a byte padded to two digits ("00".."ff"): the trailing byte of a group whose leading byte is non-zero. */
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Slots in each cache; a power of two so the slot is a shift of a multiplicative hash. */
const CACHE_BITS = 10;
const CACHE_SLOTS = 1 << CACHE_BITS;

const v4Keys = new Uint32Array(CACHE_SLOTS);
const v4Strings: Array<string | undefined> = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);

const v6Keys = new Uint32Array(CACHE_SLOTS * 4);
const v6Strings: Array<string | undefined> = new Array<string | undefined>(CACHE_SLOTS).fill(undefined);

/** Fibonacci hashing: spreads addresses that differ only in the last octet over all slots. */
function slotOf(word: number): number {
  return Math.imul(word, 0x9e3779b1) >>> (32 - CACHE_BITS);
}

/** Dotted quad of the 4 bytes at `data[off..off+4)`. */
export function formatIPv4(data: Uint8Array, off: number): string {
  const key = ((data[off] << 24) | (data[off + 1] << 16) | (data[off + 2] << 8) | data[off + 3]) >>> 0;
  const slot = slotOf(key);
  const cached = v4Strings[slot];
  if (cached !== undefined && v4Keys[slot] === key) return cached;
  const text = DECIMAL[data[off]] + '.' + DECIMAL[data[off + 1]] + '.' + DECIMAL[data[off + 2]] + '.' + DECIMAL[data[off + 3]];
  v4Keys[slot] = key;
  v4Strings[slot] = text;
  return text;
}

function u32At(data: Uint8Array, off: number): number {
  return ((data[off] << 24) | (data[off + 1] << 16) | (data[off + 2] << 8) | data[off + 3]) >>> 0;
}

/** RFC 5952 text of the 16 bytes at `data[off..off+16)`. */
export function formatIPv6(data: Uint8Array, off: number): string {
  const w0 = u32At(data, off);
  const w1 = u32At(data, off + 4);
  const w2 = u32At(data, off + 8);
  const w3 = u32At(data, off + 12);
  // Mix all four words: link-local and global addresses of one host often share three of them.
  const slot = slotOf(w0 ^ Math.imul(w1, 31) ^ Math.imul(w2, 961) ^ Math.imul(w3, 29791));
  const cached = v6Strings[slot];
  const k = slot * 4;
  if (cached !== undefined && v6Keys[k] === w0 && v6Keys[k + 1] === w1 && v6Keys[k + 2] === w2 && v6Keys[k + 3] === w3) {
    return cached;
  }
  const text = formatIPv6Uncached(data, off);
  v6Keys[k] = w0;
  v6Keys[k + 1] = w1;
  v6Keys[k + 2] = w2;
  v6Keys[k + 3] = w3;
  v6Strings[slot] = text;
  return text;
}

/** RFC 5952 §4: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`, leftmost on ties. */
function formatIPv6Uncached(data: Uint8Array, off: number): string {
  // Find the longest run of zero groups first (RFC 5952 §4.2.1–4.2.3).
  let bestStart = -1;
  let bestLength = 0;
  let runStart = -1;
  for (let g = 0; g < 8; g++) {
    const zero = data[off + 2 * g] === 0 && data[off + 2 * g + 1] === 0;
    if (zero) {
      if (runStart < 0) runStart = g;
      const length = g - runStart + 1;
      // Strictly greater keeps the leftmost run on ties (§4.2.3).
      if (length > bestLength) {
        bestLength = length;
        bestStart = runStart;
      }
    } else {
      runStart = -1;
    }
  }
  // A single zero group is never compressed (§4.2.2).
  if (bestLength < 2) bestStart = -1;

  let text = '';
  for (let g = 0; g < 8; g++) {
    if (g === bestStart) {
      text += '::';
      g += bestLength - 1;
      continue;
    }
    if (g > 0 && g !== bestStart + bestLength) text += ':';
    const hi = data[off + 2 * g];
    const lo = data[off + 2 * g + 1];
    text += hi === 0 ? HEX[lo] : HEX[hi] + HEX2[lo];
  }
  return text;
}

/** Bytes of a dotted quad, or null when `text` is not one. */
export function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i];
    if (!/^\d{1,3}$/.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    out[i] = value;
  }
  return out;
}

/**
 * Bytes of an IPv6 address in any RFC 4291 §2.2 text form (full, `::`-compressed, trailing
 * dotted quad, any case), or null when `text` is not one. A `%zone` suffix is ignored.
 */
export function parseIPv6(text: string): Uint8Array | null {
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = parseGroups(halves[0]);
  const tail = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (head === null || tail === null) return null;
  const groups = head.length + tail.length;
  if (halves.length === 2 ? groups > 7 : groups !== 8) return null;
  const out = new Uint8Array(16);
  head.forEach((group, i) => {
    out[2 * i] = group >> 8;
    out[2 * i + 1] = group & 0xff;
  });
  const tailStart = 8 - tail.length;
  tail.forEach((group, i) => {
    out[2 * (tailStart + i)] = group >> 8;
    out[2 * (tailStart + i) + 1] = group & 0xff;
  });
  return out;
}

/** 16-bit groups of one side of `::` ("" → none); a trailing dotted quad counts as two groups. */
function parseGroups(text: string): number[] | null {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIPv4(part);
      if (v4 === null) return null;
      groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(part)) return null;
      groups.push(parseInt(part, 16));
    }
  }
  return groups;
}
