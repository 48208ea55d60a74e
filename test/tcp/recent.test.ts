import { describe, expect, it } from 'vitest';
import { RECENT_SEGMENTS, RecentDeliveries } from '../../src/tcp/recent.js';

function hits(r: RecentDeliveries, from: number, to: number): number[] {
  const frames: number[] = [];
  r.find(from, to, (h) => {
    frames.push(h.frame);
    return false;
  });
  return frames;
}

describe('RecentDeliveries', () => {
  it('finds overlapping deliveries newest first, and forgets acked ones', () => {
    const r = new RecentDeliveries();
    r.remember(new Uint8Array(10), 0, 1);
    r.remember(new Uint8Array(10), 10, 2);
    r.remember(new Uint8Array(10), 20, 3);
    expect(hits(r, 5, 25)).toEqual([3, 2, 1]);
    expect(hits(r, 10, 20)).toEqual([2]);
    r.forgetThrough(19); // the second one still has byte 19 unacked
    expect(hits(r, 0, 30)).toEqual([3, 2]);
    r.forgetThrough(30);
    expect(hits(r, 0, 30)).toEqual([]);
  });

  it('keeps only the last RECENT_SEGMENTS deliveries', () => {
    const r = new RecentDeliveries();
    for (let i = 0; i <= RECENT_SEGMENTS; i++) r.remember(new Uint8Array(1), i, i + 1);
    const all = hits(r, 0, RECENT_SEGMENTS + 1);
    expect(all).toHaveLength(RECENT_SEGMENTS);
    expect(all.at(-1)).toBe(2); // frame 1 was overwritten
  });
});
