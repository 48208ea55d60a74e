import { describe, expect, it } from 'vitest';
import { seqAdd, seqDiff, seqGt, seqGte, seqLt, seqLte } from '../../src/tcp/seq.js';

describe('seq', () => {
  it.each([
    [0, 1, 1],
    [0xffffffff, 1, 0],
    [0xfffffff6, 20, 10],
    [5, -10, 0xfffffffb],
    [0, 0x1_0000_0005, 5],
  ])('seqAdd(%d, %d) = %d', (a, n, want) => {
    expect(seqAdd(a, n)).toBe(want);
  });

  it.each([
    [10, 0xfffffff6, 20], // gopacket's TestSequenceOverflow: (1<<32)-10 → 10 is 20 bytes
    [0xfffffff6, 10, -20],
    [5, 5, 0],
    [0x7fffffff, 0, 0x7fffffff],
    [0x80000000, 0, -0x80000000],
    [100, 50, 50],
  ])('seqDiff(%d, %d) = %d', (a, b, want) => {
    expect(seqDiff(a, b)).toBe(want);
  });

  it.each([
    // a, b, lt, lte, gt, gte
    [1, 2, true, true, false, false],
    [2, 2, false, true, false, true],
    [0xffffff00, 0x10, true, true, false, false],
    [0x10, 0xffffff00, false, false, true, true],
  ])('compare(%d, %d)', (a, b, lt, lte, gt, gte) => {
    expect([seqLt(a, b), seqLte(a, b), seqGt(a, b), seqGte(a, b)]).toEqual([lt, lte, gt, gte]);
  });
});
