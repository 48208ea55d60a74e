/** SegmentLog: segments kept in typed arrays come back exactly as the analysis reported them. */
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analysis.js';
import { SegmentLog } from '../../src/model/segment-log.js';
import type { SegmentRecord } from '../../src/model/segments.js';
import { capture } from '../helpers/captures.js';

describe('SegmentLog', () => {
  it('gives back every segment of every connection of the tour as reported, in capture order', async () => {
    const log = new SegmentLog();
    const seen: SegmentRecord[] = [];
    const summary = await analyse(capture('tour.pcapng'), {}, log, { segment: (s) => seen.push(s) });
    expect(log.count).toBe(seen.length);
    expect(log.count).toBe(summary.decode.tcp);
    expect(log.ids).toHaveLength(summary.connections);
    for (const id of log.ids) expect(log.forConnection(id)).toEqual(seen.filter((s) => s.connection === id));
    for (const id of log.ids) expect(log.firstOf(id)).toEqual(seen.find((s) => s.connection === id));
    expect(log.firstOf(99)).toBeNull();
  });

  it('keeps only the connections asked for, and forgets a dropped one', async () => {
    const log = new SegmentLog({ keep: (id) => id === 2 || id === 3 });
    await analyse(capture('tour.pcapng'), {}, log);
    expect(log.ids).toEqual([2, 3]);
    const two = log.forConnection(2).length;
    const three = log.forConnection(3).length;
    expect(log.count).toBe(two + three);
    log.drop(2);
    expect(log.ids).toEqual([3]);
    expect(log.count).toBe(three);
    expect(log.forConnection(2)).toEqual([]);
    log.drop(99);
    expect(log.count).toBe(three);
  });

  it('round-trips values at the edges: large file offsets and seq numbers, every flag, no ack', () => {
    const log = new SegmentLog();
    const records: SegmentRecord[] = [
      { connection: 7, frame: 4_000_000_000, time: 1_700_000_000.123456, direction: 'server', flags: 0xff, seq: 0xffff_ffff, ack: 0, length: 65_535, fileOffset: 6 * 2 ** 32 + 5, kind: 'partial-retransmission' },
      { connection: 7, frame: 2, time: 1.5, direction: 'client', flags: 2, seq: 0, ack: null, length: 0, fileOffset: -1, kind: 'none' },
    ];
    // Enough to make the arrays grow several times.
    for (let i = 0; i < 100; i++) records.push({ ...records[1], frame: 3 + i, kind: 'keep-alive', ack: i });
    for (const r of records) log.segment(r);
    expect(log.forConnection(7)).toEqual(records);
  });

  it('compacts after drops: the connections left keep every segment, in order, and take more', () => {
    const log = new SegmentLog();
    const record = (connection: number, frame: number): SegmentRecord => ({
      connection,
      frame,
      time: 1_700_000_000 + frame / 1000,
      direction: frame % 2 ? 'client' : 'server',
      flags: 16,
      seq: frame * 3,
      ack: frame,
      length: frame % 1500,
      fileOffset: frame * 100,
      kind: 'in-order',
    });
    // Three connections interleaved, 20,000 segments each: more than a block of holes once two go.
    for (let frame = 1; frame <= 60_000; frame++) log.segment(record(1 + (frame % 3), frame));
    const third = log.forConnection(3);
    expect(third).toHaveLength(20_000);
    log.drop(1);
    log.drop(2);
    expect(log.count).toBe(20_000);
    expect(log.forConnection(3)).toEqual(third);
    log.segment(record(3, 60_001));
    log.segment(record(4, 60_002));
    expect(log.forConnection(3)).toEqual([...third, record(3, 60_001)]);
    expect(log.forConnection(4)).toEqual([record(4, 60_002)]);
    expect(log.ids).toEqual([3, 4]);
    expect(log.count).toBe(20_002);
  });
});
