/**
 * Wrap-safe arithmetic on 32-bit TCP sequence numbers (RFC 9293 §3.4). Every comparison of
 * sequence or acknowledgement numbers in the tcp stage goes through here: `a < b` on raw numbers
 * is wrong as soon as a stream crosses 2^32, which a 4 GiB transfer or a random ISN near the top
 * of the space makes routine.
 *
 * Two sequence numbers are compared by their signed 32-bit distance, so the answer is right
 * whenever they are less than 2^31 apart (always true for bytes in one window).
 */

/** Size of the sequence space. */
export const SEQ_SPACE = 0x1_0000_0000;

/** `seq + n` modulo 2^32 (n may be negative or larger than 2^32). */
export function seqAdd(seq: number, n: number): number {
  // ToUint32 reduces any finite number modulo 2^32, including negative ones.
  return (seq + n) >>> 0;
}

/** Signed distance from `b` to `a` (a - b) in [-2^31, 2^31). Positive: `a` is after `b`. */
export function seqDiff(a: number, b: number): number {
  // a - b lies in (-2^32, 2^32); ToInt32 folds it into the signed 32-bit range.
  return (a - b) | 0;
}

/** `a` comes before `b`. */
export function seqLt(a: number, b: number): boolean {
  return seqDiff(a, b) < 0;
}

/** `a` comes before `b` or is `b`. */
export function seqLte(a: number, b: number): boolean {
  return seqDiff(a, b) <= 0;
}

/** `a` comes after `b`. */
export function seqGt(a: number, b: number): boolean {
  return seqDiff(a, b) > 0;
}

/** `a` comes after `b` or is `b`. */
export function seqGte(a: number, b: number): boolean {
  return seqDiff(a, b) >= 0;
}
