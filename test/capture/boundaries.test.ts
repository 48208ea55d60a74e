import { describe, expect, test } from 'vitest';
import { RecordBoundaries } from '../../src/capture/boundaries.js';
import { writePcap, writePcapng } from '../../src/synth/capture-writer.js';
import { bytes, parseAll } from './helpers.js';

const frames = (n: number, t0: number) => Array.from({ length: n }, (_, i) => ({ time: t0 + i / 100, data: bytes(50 + i * 3, i) }));

/** pcap, 10 frames: header 24 bytes, record i = 16 + 50 + 3i bytes. */
const pcap = writePcap(frames(10, 1700000000), { linkType: 1 });
/** pcapng, two sections (the second big-endian), an NRB-like custom block between frames, SPB and PB too. */
const pcapng = writePcapng([
  { interfaces: [{ linkType: 1 }], frames: frames(4, 1700000000).map((f, i) => ({ ...f, block: i === 1 ? ('spb' as const) : ('epb' as const) })), extraBlocks: [{ type: 4, body: new Uint8Array(8), beforeFrame: 2 }] },
  { bigEndian: true, interfaces: [{ linkType: 113 }], frames: frames(3, 1700000100).map((f, i) => ({ ...f, block: i === 2 ? ('pb' as const) : ('epb' as const) })) },
]);

/** The end offsets of the frames, as the capture reader sees them (a frame's record ends where the next unit starts). */
function frameEnds(buf: Buffer): number[] {
  const offsets = parseAll(buf).frames.map((f) => f.fileOffset);
  return offsets.map((_, i) => (i + 1 < offsets.length ? offsets[i + 1] : buf.length));
}

function pushInPieces(b: RecordBoundaries, buf: Buffer, size: number): void {
  for (let i = 0; i < buf.length; i += size) b.push(buf.subarray(i, i + size));
}

describe('RecordBoundaries', () => {
  test.each([1, 3, 16, 17, 4096])('pcap in %i-byte pieces: every record counted, complete at the end', (size) => {
    const b = new RecordBoundaries();
    pushInPieces(b, pcap, size);
    expect(b).toMatchObject({ complete: pcap.length, packets: 10, broken: false, limitEnd: null, format: 'pcap' });
  });

  test.each([1, 5, 12, 13, 4096])('pcapng with two sections of both byte orders in %i-byte pieces', (size) => {
    const b = new RecordBoundaries();
    pushInPieces(b, pcapng, size);
    expect(b).toMatchObject({ complete: pcapng.length, packets: 7, broken: false, format: 'pcapng' });
  });

  test('a stream cut inside a record: complete is where that record starts', () => {
    const ends = frameEnds(pcap);
    const b = new RecordBoundaries();
    b.push(pcap.subarray(0, ends[4] + 10));
    expect(b.complete).toBe(ends[4]);
    expect(b.packets).toBe(5);
    b.push(pcap.subarray(ends[4] + 10, ends[4] + 16));
    expect(b.complete).toBe(ends[4]);
    b.push(pcap.subarray(ends[4] + 16));
    expect(b.complete).toBe(pcap.length);
  });

  test('only the header so far: a valid empty capture', () => {
    const b = new RecordBoundaries();
    b.push(pcap.subarray(0, 30));
    expect(b).toMatchObject({ complete: 24, packets: 0 });
  });

  test('a packet limit: limitEnd is the end of the Nth packet record (a pcapng custom block before it included)', () => {
    const b = new RecordBoundaries(3);
    b.push(pcapng);
    expect(b.packets).toBe(3);
    expect(b.limitEnd).toBe(frameEnds(pcapng)[2]);
    const p = new RecordBoundaries(10);
    p.push(pcap);
    expect(p.limitEnd).toBe(pcap.length);
  });

  test('bytes that are not a capture, or a block length that is impossible: tracking stops at the last good boundary', () => {
    const junk = new RecordBoundaries();
    junk.push(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    expect(junk).toMatchObject({ complete: 0, broken: true, format: null });
    const bad = Buffer.from(pcapng);
    const ends = frameEnds(pcapng);
    bad.writeUInt32LE(13, ends[0] + 4); // the second frame's block length: not a multiple of 4
    const b = new RecordBoundaries();
    b.push(bad);
    expect(b).toMatchObject({ complete: ends[0], packets: 1, broken: true });
  });
});
