import { describe, expect, test } from 'vitest';
import { BlockType } from '../../src/capture/pcapng.js';
import { writePcapng, type PcapngFrame, type PcapngInterface } from '../../src/synth/capture-writer.js';
import { bytes, parseAll, row } from './helpers.js';

const interfaces: PcapngInterface[] = [
  { linkType: 1, snaplen: 128 }, // no if_tsresol: microseconds
  { linkType: 113, tsresol: 9 }, // nanoseconds
  { linkType: 0, tsresol: 0x80 | 20, tsoffset: 1700000000 }, // 2^-20 s ticks, plus an offset
  { linkType: 101, tsresol: 6 }, // explicit microseconds
];

const frames: PcapngFrame[] = [
  { time: 1700000000.123456, data: bytes(60, 1), interfaceId: 0 },
  { time: 1700000000.123456789, data: bytes(61, 2), interfaceId: 1 },
  { time: 1700000000.5, data: bytes(4, 3), interfaceId: 2 },
  { time: 1700000001.000001, data: bytes(10, 4), interfaceId: 3, block: 'pb' },
  { time: 0, data: bytes(30, 5), block: 'spb' },
  { time: 1700000002.25, data: bytes(1514, 6), interfaceId: 0 },
  { time: 1700000003.000001, data: new Uint8Array(0), interfaceId: 2 },
];

/** What the reader must produce for `frames` (fileOffset filled in per test). */
const expected = [
  { time: 1700000000.123456, linkType: 1, length: 60, originalLength: 60, interfaceId: 0 },
  { time: 1700000000.123456789, linkType: 113, length: 61, originalLength: 61, interfaceId: 1 },
  { time: 1700000000.5, linkType: 0, length: 4, originalLength: 4, interfaceId: 2 },
  { time: 1700000001.000001, linkType: 101, length: 10, originalLength: 10, interfaceId: 3 },
  // SPB: interface 0, no timestamp of its own (the previous frame's time is reused).
  { time: 1700000001.000001, linkType: 1, length: 30, originalLength: 30, interfaceId: 0 },
  // Cut to interface 0's snaplen.
  { time: 1700000002.25, linkType: 1, length: 128, originalLength: 1514, interfaceId: 0 },
  { time: 1700000003.000001, linkType: 0, length: 0, originalLength: 0, interfaceId: 2 },
];

/** Times that cannot be represented exactly in the interface's ticks are checked to 1e-6. */
const approximate = new Set([1, 6]);

function check(
  got: ReturnType<typeof parseAll>['frames'],
  offsets: number[],
  indexes: number[] = offsets.map((_, i) => i + 1),
): void {
  expect(got).toHaveLength(expected.length);
  got.forEach((frame, i) => {
    const want = expected[i];
    expect({ ...row(frame), time: 0 }).toEqual({
      index: indexes[i],
      time: 0,
      linkType: want.linkType,
      hex: Buffer.from(frames[i].data.subarray(0, want.length)).toString('hex'),
      originalLength: want.originalLength,
      fileOffset: offsets[i],
      interfaceId: want.interfaceId,
    });
    if (approximate.has(i)) expect(Math.abs(frame.time - want.time)).toBeLessThan(1e-6);
    else expect(frame.time).toBe(want.time);
  });
}

describe('pcapng round trip', () => {
  // SHB 28; IDBs 20 (no options), 32 (tsresol), 44 (tsresol + tsoffset), 32; then
  // EPB/PB = 32 + data padded to 4, SPB = 16 + data padded to 4.
  const offsets = [156, 248, 344, 380, 424, 472, 632];

  test.each([
    { name: 'little-endian section', bigEndian: false },
    { name: 'big-endian section', bigEndian: true },
  ])('$name: interfaces, resolutions, offsets, EPB/SPB/PB', ({ bigEndian }) => {
    const file = writePcapng([{ bigEndian, interfaces, frames }]);
    expect(file.length).toBe(664);
    const { result, frames: got } = parseAll(file);
    expect(result.error).toBeNull();
    expect(result.stats).toEqual({
      format: 'pcapng',
      frames: 7,
      truncatedFrames: 1,
      skippedBlocks: 0,
      numberedBlocks: 0,
      sections: 1,
      interfaces: 4,
      bytes: 664,
    });
    check(got, offsets);
  });

  test('non-packet blocks are skipped by length and counted; custom blocks use up a frame number', () => {
    const extraBlocks = [
      { type: BlockType.DECRYPTION_SECRETS, body: Buffer.from('4b534c5400000000', 'hex'), beforeFrame: 0 }, // 20
      { type: BlockType.NAME_RESOLUTION, body: new Uint8Array(4), beforeFrame: 1 }, // 16
      { type: BlockType.INTERFACE_STATISTICS, body: new Uint8Array(12), beforeFrame: 3 }, // 24
      { type: BlockType.CUSTOM, body: Buffer.from('0000fe7f01020304', 'hex'), beforeFrame: 4 }, // 20
      { type: BlockType.CUSTOM_DO_NOT_COPY, body: Buffer.from('0000fe7f', 'hex') }, // 16, at the end
      { type: 0x999, body: new Uint8Array(3) }, // unknown, padded: 16, at the end
    ];
    const file = writePcapng([{ interfaces, frames, extraBlocks }]);
    expect(file.length).toBe(776);
    const { result, frames: got } = parseAll(file);
    expect(result.error).toBeNull();
    expect(result.stats.skippedBlocks).toBe(6);
    expect(result.stats.numberedBlocks).toBe(2);
    expect(result.stats.frames).toBe(7);
    check(got, [176, 284, 380, 440, 504, 552, 712], [1, 2, 3, 4, 6, 7, 8]);
  });

  test('two sections with different byte orders: interfaces reset, indexes continue', () => {
    const file = writePcapng([
      {
        interfaces: [{ linkType: 1 }, { linkType: 113 }],
        frames: [
          { time: 1700000000.000001, data: bytes(8, 1), interfaceId: 0 },
          { time: 1700000000.000002, data: bytes(8, 2), interfaceId: 1 },
        ],
      },
      {
        bigEndian: true,
        interfaces: [{ linkType: 101, tsresol: 9 }],
        frames: [{ time: 1700000005.5, data: bytes(8, 3), interfaceId: 0 }],
      },
    ]);
    const { result, frames: got } = parseAll(file);
    expect(result.error).toBeNull();
    expect(result.stats).toMatchObject({ frames: 3, sections: 2, interfaces: 3 });
    expect(got.map((f) => [f.index, f.time, f.linkType, f.interfaceId, f.fileOffset])).toEqual([
      [1, 1700000000.000001, 1, 0, 68],
      [2, 1700000000.000002, 113, 1, 108],
      // Section 2's SHB is at 148, its IDB (with if_tsresol) at 176.
      [3, 1700000005.5, 101, 0, 208],
    ]);
  });

  test('SPB captured length is min(original, snaplen, room in the block)', () => {
    const file = writePcapng([
      {
        interfaces: [{ linkType: 1, snaplen: 64 }],
        frames: [
          { time: 0, data: bytes(100, 1), block: 'spb' }, // cut by snaplen to 64
          { time: 0, data: bytes(10, 2), block: 'spb' }, // block padded to 12: original 10 wins
          { time: 0, data: bytes(6, 3), originalLength: 1500, block: 'spb' }, // room (8) wins
        ],
      },
    ]);
    const { result, frames: got } = parseAll(file);
    expect(result.error).toBeNull();
    expect(got.map((f) => [f.data.length, f.originalLength])).toEqual([
      [64, 100],
      [10, 10],
      [8, 1500],
    ]);
    expect(result.stats.truncatedFrames).toBe(2);
    // A capture starting with SPBs has no timestamp to reuse yet.
    expect(got[0].time).toBe(0);
  });

  test('a section with no packets and an IDB with unknown options', () => {
    const file = writePcapng([{ interfaces: [{ linkType: 1, tsresol: 6 }], frames: [] }]);
    // Replace the if_tsresol option code (9) with an unknown one (2 = if_name): resolution stays µs.
    file.writeUInt16LE(2, 28 + 16);
    const { result, frames: got } = parseAll(file);
    expect(result.error).toBeNull();
    expect(got).toEqual([]);
    expect(result.stats).toMatchObject({ format: 'pcapng', sections: 1, interfaces: 1 });
  });
});
