/**
 * Timestamp arithmetic shared by the pcapng reader and writer.
 *
 * pcapng stores a 64-bit tick count (high, low) in units of the interface's `if_tsresol`. With
 * nanosecond ticks today's counts are ~1.7e18, past 2^53, so `high * 2^32 + low` is not exact.
 */

const TWO_32 = 4294967296;
/** Below this `high`, `high * 2^32 + low` is below 2^53 and therefore exact. */
const EXACT_HIGH_LIMIT = 0x200000;
/** Long division by 16-bit limbs stays exact while remainder * 2^16 < 2^53. */
const LIMB_DIVISOR_LIMIT = 2 ** 36;

/** Default pcapng resolution (no if_tsresol option): microseconds. */
export const DEFAULT_TICKS_PER_SECOND = 1e6;

/** Ticks per second for a raw `if_tsresol` byte: high bit clear = 10^-n, set = 2^-n. */
export function tsresolTicksPerSecond(raw: number): number {
  return raw & 0x80 ? 2 ** (raw & 0x7f) : 10 ** raw;
}

/**
 * Seconds for a 64-bit tick count. When the count is exact (< 2^53) a single division gives the
 * correctly rounded result. Otherwise whole seconds and the remainder are computed exactly by long
 * division over 16-bit limbs (no BigInt on the per-frame path), then joined with one rounding.
 */
export function ticksToSeconds(high: number, low: number, ticksPerSecond: number): number {
  if (high < EXACT_HIGH_LIMIT || ticksPerSecond > LIMB_DIVISOR_LIMIT || ticksPerSecond % 1 !== 0) {
    return (high * TWO_32 + low) / ticksPerSecond;
  }
  let seconds = 0;
  let rest = 0;
  for (let shift = 3; shift >= 0; shift--) {
    const limb = shift >= 2 ? (high >>> ((shift - 2) * 16)) & 0xffff : (low >>> (shift * 16)) & 0xffff;
    const current = rest * 65536 + limb;
    const digit = Math.floor(current / ticksPerSecond);
    rest = current - digit * ticksPerSecond;
    seconds = seconds * 65536 + digit;
  }
  return seconds + rest / ticksPerSecond;
}

/**
 * The inverse, for the writer: the (high, low) tick count nearest to `seconds`. The fraction is
 * rounded separately from the whole seconds so `1700000000.123456` at µs gives exactly 123456 ticks.
 */
export function secondsToTicks(seconds: number, ticksPerSecond: number): { high: number; low: number } {
  let whole = Math.floor(seconds);
  let fraction = Math.round((seconds - whole) * ticksPerSecond);
  if (fraction >= ticksPerSecond) {
    whole += 1;
    fraction -= ticksPerSecond;
  }
  const exact = whole * ticksPerSecond + fraction;
  if (Number.isSafeInteger(exact)) {
    const high = Math.floor(exact / TWO_32);
    return { high, low: exact - high * TWO_32 };
  }
  // Past 2^53 (nanoseconds since 1970): the writer is not on a hot path, so BigInt keeps it exact.
  const ticks = BigInt(whole) * BigInt(ticksPerSecond) + BigInt(fraction);
  return { high: Number(ticks >> 32n), low: Number(ticks & 0xffffffffn) };
}
