import { describe, expect, test } from 'vitest';
import { secondsToTicks, ticksToSeconds, tsresolTicksPerSecond } from '../../src/capture/timestamp.js';

function split(ticks: bigint): [number, number] {
  return [Number(ticks >> 32n), Number(ticks & 0xffffffffn)];
}

describe('pcapng timestamps', () => {
  test.each([
    { raw: 6, ticks: 1e6 },
    { raw: 9, ticks: 1e9 },
    { raw: 0, ticks: 1 },
    { raw: 0x80 | 20, ticks: 1048576 },
    { raw: 0x80, ticks: 1 },
  ])('if_tsresol $raw → $ticks ticks per second', ({ raw, ticks }) => {
    expect(tsresolTicksPerSecond(raw)).toBe(ticks);
  });

  test.each([
    // ns counts past 2^53: whole seconds and remainder must come out exactly.
    { ticks: 1700000000123456789n, perSecond: 1e9, want: 1700000000 + 123456789 / 1e9 },
    { ticks: 1700000000999999999n, perSecond: 1e9, want: 1700000000 + 999999999 / 1e9 },
    { ticks: 4102444800000000001n, perSecond: 1e9, want: 4102444800 + 1 / 1e9 },
    // µs counts are exact integers: a single correctly rounded division.
    { ticks: 1700000000123456n, perSecond: 1e6, want: 1700000000.123456 },
    { ticks: 0n, perSecond: 1e9, want: 0 },
  ])('$ticks ticks at $perSecond/s', ({ ticks, perSecond, want }) => {
    const [high, low] = split(ticks);
    expect(ticksToSeconds(high, low, perSecond)).toBe(want);
  });

  test('ns precision beats naive float arithmetic', () => {
    const [high, low] = split(1700000000123456789n);
    expect(Math.abs(ticksToSeconds(high, low, 1e9) - 1700000000.123456789)).toBeLessThan(1e-6);
  });

  test.each([
    { seconds: 1700000000.123456, perSecond: 1e6, ticks: 1700000000123456n },
    { seconds: 1700000000.5, perSecond: 1e9, ticks: 1700000000500000000n },
    { seconds: 1700000000.9999999, perSecond: 1e6, ticks: 1700000001000000n }, // fraction rounds up into the next second
    { seconds: 3.25, perSecond: 1048576, ticks: 3407872n },
  ])('writer: $seconds s at $perSecond/s → $ticks ticks', ({ seconds, perSecond, ticks }) => {
    const [high, low] = split(ticks);
    expect(secondsToTicks(seconds, perSecond)).toEqual({ high, low });
  });
});
