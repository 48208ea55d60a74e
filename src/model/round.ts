/** Seconds rounded to the microsecond: keeps durations in the records free of float noise (0.0018451213836669922). */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
