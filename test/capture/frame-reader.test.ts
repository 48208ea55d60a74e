/** FrameReader: a frame read again by its file offset is the frame the first pass delivered. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameReader } from '../../src/capture/frame-reader.js';
import { CaptureError, LinkType, type Frame } from '../../src/capture/frame.js';
import { parseCaptureBuffer } from '../../src/capture/source.js';
import { writePcap, writePcapng } from '../../src/synth/capture-writer.js';
import { capture } from '../helpers/captures.js';
import { tempDir } from '../helpers/temp.js';

function firstPass(file: string): Frame[] {
  const frames: Frame[] = [];
  parseCaptureBuffer(file, readFileSync(file), (f) => frames.push(f));
  return frames;
}

function temp(name: string, bytes: Uint8Array): string {
  const file = join(tempDir('frames'), name);
  writeFileSync(file, bytes);
  return file;
}

async function expectSameFrames(file: string, expectedCount: number): Promise<void> {
  const frames = firstPass(file);
  expect(frames).toHaveLength(expectedCount);
  const reader = await FrameReader.open(file);
  try {
    // Backwards: each read must stand on its own, not on the one before.
    for (const frame of [...frames].reverse()) {
      const again = await reader.read(frame.fileOffset, frame.index);
      expect({ ...again, data: Buffer.from(again.data) }).toEqual({ ...frame, data: Buffer.from(frame.data) });
    }
  } finally {
    await reader.close();
  }
}

const packet = (n: number): Uint8Array => Uint8Array.from({ length: 20 + n }, (_, i) => (i * 7 + n) & 0xff);

describe('FrameReader', () => {
  it('reads every frame of a pcapng scenario capture again, by offset, in any order', async () => {
    await expectSameFrames(capture('05-flushheaders-then-end.pcapng'), 12);
    await expectSameFrames(capture('06-res-end-sll2.pcapng'), 10);
  });

  it('kept open on a pcapng file still being written, reads the frames appended since it opened', async () => {
    const whole = readFileSync(capture('06-res-end.pcapng'));
    const frames = firstPass(capture('06-res-end.pcapng'));
    // The file as a spool holds it when the reader opens: up to (not including) frame 6's block.
    const file = temp('growing.pcapng', whole.subarray(0, frames[5].fileOffset));
    const reader = await FrameReader.open(file);
    try {
      expect((await reader.read(frames[4].fileOffset, 5)).index).toBe(5);
      writeFileSync(file, whole);
      const again = await reader.read(frames[9].fileOffset, 10);
      expect(Buffer.from(again.data)).toEqual(Buffer.from(frames[9].data));
    } finally {
      await reader.close();
    }
  });

  it('takes link type and timestamp resolution from the IDB of the frame’s own section', async () => {
    const file = temp(
      'sections.pcapng',
      writePcapng([
        { interfaces: [{ linkType: LinkType.ETHERNET }], frames: [{ time: 1_700_000_000.25, data: packet(1) }] },
        {
          bigEndian: true,
          interfaces: [{ linkType: LinkType.RAW }, { linkType: LinkType.ETHERNET, tsresol: 9, tsoffset: 100 }],
          frames: [
            { time: 1_700_000_001.123456789, data: packet(2), interfaceId: 1 },
            { time: 1_700_000_002.5, data: packet(3), interfaceId: 0 },
          ],
        },
      ]),
    );
    await expectSameFrames(file, 3);
    const [, second] = firstPass(file);
    expect(second.linkType).toBe(LinkType.ETHERNET);
    expect(second.interfaceId).toBe(1);
  });

  it('reads pcap files, nanosecond and big-endian too', async () => {
    const frames = [0, 1, 2].map((i) => ({ time: 1_700_000_000 + i * 0.000000123, data: packet(i) }));
    await expectSameFrames(temp('a.pcap', writePcap(frames, { linkType: LinkType.ETHERNET })), 3);
    await expectSameFrames(temp('b.pcap', writePcap(frames, { linkType: LinkType.RAW, nanosecond: true, bigEndian: true })), 3);
  });

  it('reads a long capture in file order across its 1 MiB windows and the window read ahead: frames straddling their ends too', async () => {
    // ~5 MiB: frames of 1–65 000 bytes, so records cross window and read-ahead boundaries anywhere.
    const frames = Array.from({ length: 400 }, (_, i) => ({ time: 1_700_000_000 + i / 1000, data: packet((i * 7919) % 65_000) }));
    for (const [name, bytes] of [
      ['long.pcap', writePcap(frames, { linkType: LinkType.ETHERNET })],
      ['long.pcapng', writePcapng([{ interfaces: [{ linkType: LinkType.ETHERNET }], frames }])],
    ] as const) {
      const file = temp(name, bytes);
      const first = firstPass(file);
      expect(first).toHaveLength(400);
      const reader = await FrameReader.open(file);
      try {
        // Every frame in order, then every third (a sparser connection), then back from the end.
        for (const order of [first, first.filter((_, i) => i % 3 === 0), [...first].reverse().slice(0, 50)]) {
          for (const frame of order) {
            const again = await reader.read(frame.fileOffset, frame.index);
            expect(Buffer.from(again.data).equals(Buffer.from(frame.data))).toBe(true);
            expect([again.index, again.fileOffset, again.time]).toEqual([frame.index, frame.fileOffset, frame.time]);
          }
        }
      } finally {
        await reader.close();
      }
    }
  });

  it('names the file when it is missing, not a capture, or has no frame at the offset', async () => {
    await expect(FrameReader.open('/nonexistent/x.pcapng')).rejects.toThrow('/nonexistent/x.pcapng: no such file or directory');
    await expect(FrameReader.open(temp('t.txt', Buffer.from('hello, this is text only')))).rejects.toThrow(/t\.txt: not a pcap or pcapng capture file/);
    const reader = await FrameReader.open(capture('05-flushheaders-then-end.pcapng'));
    try {
      const error = await reader.read(130, 1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CaptureError);
      expect((error as CaptureError).message).toMatch(/05-flushheaders-then-end\.pcapng: no frame 1 at this offset.* at byte offset 130$/);
      await expect(reader.read(1 << 30, 1)).rejects.toThrow(/no frame starts at this offset at byte offset 1073741824/);
    } finally {
      await reader.close();
    }
  });
});
