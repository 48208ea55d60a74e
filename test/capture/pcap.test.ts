import { describe, expect, test } from 'vitest';
import { writePcap } from '../../src/synth/capture-writer.js';
import { bytes, parseAll, row } from './helpers.js';

const frames = [
  { time: 1700000000.123456, data: bytes(60, 1) },
  { time: 1700000001.000001, data: bytes(1514, 2) },
  { time: 1700000002.999999, data: bytes(1, 3) },
  { time: 1700000003, data: new Uint8Array(0) },
];
/** 24-byte global header, then 16 + captured length per record. */
const offsets = [24, 24 + 16 + 60, 24 + 16 + 60 + 16 + 1514, 24 + 16 + 60 + 16 + 1514 + 16 + 1];

describe('pcap round trip', () => {
  test.each([
    { name: 'µs little-endian', nanosecond: false, bigEndian: false, magic: 'd4c3b2a1' },
    { name: 'µs big-endian', nanosecond: false, bigEndian: true, magic: 'a1b2c3d4' },
    { name: 'ns little-endian', nanosecond: true, bigEndian: false, magic: '4d3cb2a1' },
    { name: 'ns big-endian', nanosecond: true, bigEndian: true, magic: 'a1b23c4d' },
  ])('$name', ({ nanosecond, bigEndian, magic }) => {
    const file = writePcap(frames, { linkType: 1, nanosecond, bigEndian });
    expect(file.subarray(0, 4).toString('hex')).toBe(magic);
    const { result, frames: got } = parseAll(file);
    expect(result.error).toBeNull();
    expect(result.stats).toEqual({
      format: 'pcap',
      frames: 4,
      truncatedFrames: 0,
      skippedBlocks: 0,
      numberedBlocks: 0,
      sections: 1,
      interfaces: 1,
      bytes: file.length,
    });
    expect(got.map(row)).toEqual(
      frames.map((f, i) => ({
        index: i + 1,
        time: f.time,
        linkType: 1,
        hex: Buffer.from(f.data).toString('hex'),
        originalLength: f.data.length,
        fileOffset: offsets[i],
        interfaceId: 0,
      })),
    );
  });

  test('nanosecond fractions survive to within 1e-6', () => {
    const file = writePcap([{ time: 1700000000.123456789, data: bytes(4, 1) }], { linkType: 1, nanosecond: true });
    // The fraction field holds exactly the nanoseconds the writer rounded to.
    expect(file.readUInt32LE(24 + 4)).toBe(123456717);
    const { frames: got } = parseAll(file);
    expect(Math.abs(got[0].time - 1700000000.123456789)).toBeLessThan(1e-6);
  });

  test('snaplen cuts frames and they are counted as truncated', () => {
    const file = writePcap(frames, { linkType: 113, snaplen: 100 });
    const { result, frames: got } = parseAll(file);
    expect(result.error).toBeNull();
    expect(result.stats.truncatedFrames).toBe(1);
    expect(got.map((f) => [f.data.length, f.originalLength, f.linkType, f.fileOffset])).toEqual([
      [60, 60, 113, 24],
      [100, 1514, 113, 100],
      [1, 1, 113, 216],
      [0, 0, 113, 233],
    ]);
    expect(Buffer.from(got[1].data).equals(Buffer.from(frames[1].data.subarray(0, 100)))).toBe(true);
  });

  test('link type is the low 16 bits of the header field (upper bits carry FCS information)', () => {
    const file = writePcap(frames.slice(0, 1), { linkType: 1 });
    file.writeUInt32LE(0x14000001, 20); // FCS-present flag and length 4 in the upper bits
    const { result, frames: got } = parseAll(file);
    expect(result.error).toBeNull();
    expect(got[0].linkType).toBe(1);
  });

  test('an absurd snaplen (0xFFFFFFFF) is not used to size anything: frames still read', () => {
    const file = writePcap(frames, { linkType: 1, snaplen: 0xffffffff });
    expect(file.readUInt32LE(16)).toBe(0xffffffff);
    const { result, frames: got } = parseAll(file);
    expect(result.error).toBeNull();
    expect(got.map((f) => f.data.length)).toEqual([60, 1514, 1, 0]);
  });

  test('an empty pcap (header only) is a valid capture with no frames', () => {
    const { result, frames: got } = parseAll(writePcap([], { linkType: 1 }));
    expect(result.error).toBeNull();
    expect(got).toEqual([]);
    expect(result.stats.format).toBe('pcap');
  });
});
