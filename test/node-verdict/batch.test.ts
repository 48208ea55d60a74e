/** The batches the main thread sends the replay worker: events come out as they went in, bytes copied. */
import { describe, expect, it } from 'vitest';
import { BatchBuilder, unpack } from '../../src/node-verdict/batch.js';

describe('BatchBuilder / unpack', () => {
  it('round-trips chunks, gaps and ends in order, past the arenas’ initial sizes', () => {
    const b = new BatchBuilder();
    const big = new Uint8Array(100_000).fill(7);
    const view = new Uint8Array([1, 2, 3]);
    b.chunk(1, 'client', 0, 4, view);
    view[0] = 9; // the tap's view is reused after the call: the batch kept a copy
    b.gap(1, 'server', 10, 6);
    for (let i = 0; i < 1500; i++) b.chunk(2, 'server', i * 100_000, 7 + i, i === 0 ? big : new Uint8Array(1));
    b.end(1);
    expect(b.size).toBe(3 + 100_000 + 1499 + 1503 * 7 * 8);
    const events = [...unpack(b.take())];
    expect(b.empty).toBe(true);
    expect(events).toHaveLength(1503);
    expect(events[0]).toMatchObject({ connection: 1, kind: 'chunk', direction: 'client', offset: 0, frame: 4 });
    expect([...(events[0] as { bytes: Buffer }).bytes]).toEqual([1, 2, 3]);
    expect(events[1]).toEqual({ connection: 1, kind: 'gap', direction: 'server', offset: 10, frame: 6 });
    expect(events[2]).toMatchObject({ connection: 2, kind: 'chunk', direction: 'server', offset: 0, frame: 7 });
    expect((events[2] as { bytes: Buffer }).bytes.length).toBe(100_000);
    expect(events[1501]).toMatchObject({ offset: 1499 * 100_000, frame: 1506 });
    expect(events[1502]).toEqual({ connection: 1, kind: 'end' });
  });
});
