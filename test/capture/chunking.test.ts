import { describe, expect, test } from 'vitest';
import type { Frame } from '../../src/capture/frame.js';
import { CaptureReader } from '../../src/capture/reader.js';
import { writePcap, writePcapng } from '../../src/synth/capture-writer.js';
import { bytes, parseAll, parseInPieces, row } from './helpers.js';

const small = [
  { time: 1700000000.000001, data: bytes(5, 1) },
  { time: 1700000000.000002, data: new Uint8Array(0) },
  { time: 1700000000.000003, data: bytes(23, 3) },
];

const fixtures = [
  { name: 'pcap µs LE', file: writePcap(small, { linkType: 1 }) },
  { name: 'pcap ns BE', file: writePcap(small, { linkType: 1, nanosecond: true, bigEndian: true }) },
  {
    name: 'pcapng, two sections, mixed blocks',
    file: writePcapng([
      {
        interfaces: [{ linkType: 1, tsresol: 9 }, { linkType: 113 }],
        frames: [
          { ...small[0], interfaceId: 1 },
          { ...small[1], block: 'spb' },
          { ...small[2], block: 'pb' },
        ],
        extraBlocks: [{ type: 4, body: new Uint8Array(4), beforeFrame: 1 }],
      },
      { bigEndian: true, interfaces: [{ linkType: 101 }], frames: [small[2]] },
    ]),
  },
];

describe.each(fixtures)('$name split anywhere gives the same frames', ({ file }) => {
  const whole = parseAll(file);
  const want = whole.frames.map(row);

  test('the fixture parses cleanly', () => {
    expect(whole.result.error).toBeNull();
    expect(want.length).toBeGreaterThanOrEqual(3);
  });

  test('split at every byte boundary', () => {
    for (let cut = 0; cut <= file.length; cut++) {
      expect(parseInPieces(file, [cut]).map(row), `cut at ${cut}`).toEqual(want);
    }
  });

  test('split at every pair of boundaries 7 bytes apart and 1 byte apart', () => {
    for (let cut = 0; cut + 7 <= file.length; cut++) {
      expect(parseInPieces(file, [cut, cut + 1]).map(row), `cuts at ${cut}, ${cut + 1}`).toEqual(want);
      expect(parseInPieces(file, [cut, cut + 7]).map(row), `cuts at ${cut}, ${cut + 7}`).toEqual(want);
    }
  });

  test('1-byte pushes; early frames stay intact after later pushes (no buffer reuse)', () => {
    const atDelivery: string[] = [];
    const frames: Frame[] = [];
    const reader = new CaptureReader('bytes.cap', (f) => {
      frames.push(f);
      atDelivery.push(Buffer.from(f.data).toString('hex'));
    });
    for (let i = 0; i < file.length; i++) reader.push(Uint8Array.of(file[i]));
    reader.end();
    expect(frames.map(row)).toEqual(want);
    expect(frames.map((f) => Buffer.from(f.data).toString('hex'))).toEqual(atDelivery);
    expect(reader.stats).toEqual(whole.result.stats);
  });
});

test('frames are views of the pushed chunk, not copies', () => {
  const file = writePcap(small, { linkType: 1 });
  const frames: Frame[] = [];
  const reader = new CaptureReader('view.cap', (f) => frames.push(f));
  reader.push(file);
  reader.end();
  expect(frames.every((f) => f.data.buffer === file.buffer)).toBe(true);
  expect(frames[0].data.byteOffset).toBe(file.byteOffset + 24 + 16);
});

test('a record split across chunks is joined into a new buffer, not into either chunk', () => {
  const file = writePcap(small, { linkType: 1 });
  // Copies with their own ArrayBuffers, as a stream delivers them.
  const first = new Uint8Array(file.subarray(0, 50));
  const second = new Uint8Array(file.subarray(50));
  const frames: Frame[] = [];
  const reader = new CaptureReader('split.cap', (f) => frames.push(f));
  reader.push(first);
  reader.push(second);
  reader.end();
  // Record 1 is bytes 24..45, record 2 (empty) 45..61: it straddles the cut.
  expect(frames[1].data.buffer).not.toBe(first.buffer);
  expect(frames[1].data.buffer).not.toBe(second.buffer);
  expect(frames[2].data.buffer).toBe(second.buffer);
  expect(Buffer.from(first).equals(file.subarray(0, 50))).toBe(true);
  expect(Buffer.from(second).equals(file.subarray(50))).toBe(true);
});
