import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, test, vi } from 'vitest';
import type { Frame } from '../../src/capture/frame.js';
import { readCapture, STDIN_NAME } from '../../src/capture/source.js';
import { writePcap, writePcapng } from '../../src/synth/capture-writer.js';
import { bytes, parseAll, row } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 200 frames over two sections, big enough to span many small chunks. */
const file = writePcapng([
  {
    interfaces: [{ linkType: 1, tsresol: 9 }],
    frames: Array.from({ length: 120 }, (_, i) => ({ time: 1700000000 + i / 1000, data: bytes(40 + (i % 70), i) })),
  },
  {
    bigEndian: true,
    interfaces: [{ linkType: 113 }],
    frames: Array.from({ length: 80 }, (_, i) => ({ time: 1700000100 + i / 1000, data: bytes(60 + (i % 9), i + 7) })),
  },
]);
const want = parseAll(file).frames.map(row);

/** Frames as delivered, their bytes copied (a view is valid during the callback only). */
async function collect(path: string, opts?: Parameters<typeof readCapture>[2]) {
  const frames: Frame[] = [];
  const result = await readCapture(path, (f) => frames.push({ ...f, data: f.data.slice() }), opts);
  return { result, frames };
}

describe('readCapture', () => {
  test.each([undefined, 7, 4096])('a file, chunk size %s', async (chunkSize) => {
    const path = join(dir, 'whole.pcapng');
    writeFileSync(path, file);
    const { result, frames } = await collect(path, { chunkSize });
    expect(result.error).toBeNull();
    expect(result.stats).toMatchObject({ format: 'pcapng', frames: 200, sections: 2, interfaces: 2, bytes: file.length });
    expect(frames.map(row)).toEqual(want);
  });

  test('a file read in many chunks: frames are plain Uint8Array views, valid in the callback; each parsed chunk is released (its views empty) before the next read', async () => {
    const path = join(dir, 'views.pcapng');
    writeFileSync(path, file);
    const atDelivery: Frame[] = [];
    const views: Uint8Array[] = [];
    const result = await readCapture(
      path,
      (f) => {
        views.push(f.data);
        atDelivery.push({ ...f, data: f.data.slice() });
      },
      { chunkSize: 300 },
    );
    expect(result.error).toBeNull();
    expect(atDelivery.map(row)).toEqual(want);
    expect(views.every((v) => v.constructor === Uint8Array)).toBe(true);
    // Each read has a buffer of its own, detached once parsed: nothing it held stays in memory. A
    // record that straddled two reads was parsed from a small buffer of its own (the bytes joined).
    const detached = views.filter((v) => v.length === 0 && v.buffer.byteLength === 0);
    expect(detached.length).toBeGreaterThan(100);
    expect(views.filter((v) => v.buffer.byteLength > 0).every((v) => v.buffer.byteLength < 300)).toBe(true);
  });

  test("a parsed chunk's memory is read into again: a few buffers serve a file of many chunks", async () => {
    const path = join(dir, 'recycled.pcapng');
    writeFileSync(path, file);
    const allocations = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      const { result, frames } = await collect(path, { chunkSize: 300 });
      expect(result.error).toBeNull();
      expect(frames.map(row)).toEqual(want);
      // The file is read in file.length / 300 chunks; the one being parsed and the one being read
      // take a buffer each, the third read gets the first one's memory back.
      expect(Math.ceil(file.length / 300)).toBeGreaterThan(40);
      expect(allocations.mock.calls.filter(([size]) => size === 300)).toHaveLength(2);
    } finally {
      allocations.mockRestore();
    }
  });

  test('a file whose length is an exact multiple of the read size (the last read returns 0 bytes), and one read of it all', async () => {
    const path = join(dir, 'multiple.pcapng');
    writeFileSync(path, file);
    const divisor = [...Array(400).keys()].map((i) => i + 100).find((n) => file.length % n === 0) ?? file.length;
    for (const chunkSize of [divisor, file.length, file.length + 1]) {
      const { result, frames } = await collect(path, { chunkSize });
      expect(result.error).toBeNull();
      expect(result.stats.bytes).toBe(file.length);
      expect(frames.map(row)).toEqual(want);
    }
  });

  test("'-' reads the given input stream", async () => {
    const pieces = [file.subarray(0, 333), file.subarray(333, 334), file.subarray(334)].map((p) => Buffer.from(p));
    const { result, frames } = await collect('-', { input: Readable.from(pieces) });
    expect(result.error).toBeNull();
    expect(frames.map(row)).toEqual(want);
  });

  test("'-' with a damaged stream reports the error under the stdin name", async () => {
    const { result, frames } = await collect('-', { input: Readable.from([file.subarray(0, 1000)]) });
    expect(result.error).toMatchObject({ code: 'truncated', file: STDIN_NAME });
    expect(frames.length).toBe(result.stats.frames);
    expect(frames.length).toBeGreaterThan(0);
  });

  test('a missing file is an io error, not an exception', async () => {
    const path = join(dir, 'missing.pcap');
    const { result, frames } = await collect(path);
    expect(frames).toEqual([]);
    expect(result.error).toMatchObject({ code: 'io', file: path, offset: 0, detail: 'no such file or directory', framesRead: 0 });
    expect(result.error?.message).toBe(`${path}: no such file or directory`);
  });

  test('a directory is an io error', async () => {
    const { result } = await collect(dir);
    expect(result.error).toMatchObject({ code: 'io', detail: 'is a directory, not a capture file', framesRead: 0 });
    expect(result.error?.message).toBe(`${dir}: is a directory, not a capture file`);
  });

  test('a truncated file delivers every frame before the damage, then the error', async () => {
    const path = join(dir, 'cut.pcap');
    const pcap = writePcap(
      Array.from({ length: 50 }, (_, i) => ({ time: 1700000000 + i, data: bytes(100, i) })),
      { linkType: 1 },
    );
    writeFileSync(path, pcap.subarray(0, pcap.length - 10));
    const { result, frames } = await collect(path, { chunkSize: 1000 });
    expect(frames).toHaveLength(49);
    expect(result.stats.frames).toBe(49);
    expect(result.error).toMatchObject({
      code: 'truncated',
      offset: 24 + 49 * 116,
      detail: 'file ends inside a pcap record (90 of 100 bytes)',
      framesRead: 49,
    });
  });

  test('an HTML file is not a capture', async () => {
    const path = join(dir, 'page.pcap');
    writeFileSync(path, '<html></html>');
    const { result } = await collect(path);
    expect(result.error).toMatchObject({ code: 'not-a-capture', offset: 0, detail: 'not a pcap or pcapng file (starts with "<html></")' });
  });

  test('a FIFO written in two halves with a pause: every frame arrives', async () => {
    const fifo = join(dir, 'live.fifo');
    const first = join(dir, 'first.bin');
    const second = join(dir, 'second.bin');
    const half = Math.floor(file.length / 2) + 3; // mid-block
    writeFileSync(first, file.subarray(0, half));
    writeFileSync(second, file.subarray(half));
    execFileSync('mkfifo', [fifo]);
    // One open of the FIFO for the whole write, so the reader sees EOF only at the very end.
    const writer = spawn('sh', ['-c', 'exec > "$1"; cat "$2"; sleep 0.3; cat "$3"', 'sh', fifo, first, second], { stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => writer.on('exit', resolve));
    const { result, frames } = await collect(fifo);
    expect(await exited).toBe(0);
    expect(result.error).toBeNull();
    expect(frames.map(row)).toEqual(want);
  });
});

describe('readCapture: stopping early', () => {
  test.each([undefined, 7, 4096])('maxFrames on a file (chunk size %s): exactly that many frames, no error', async (chunkSize) => {
    const path = join(dir, 'limit.pcapng');
    writeFileSync(path, file);
    const { result, frames } = await collect(path, { chunkSize, maxFrames: 130 });
    expect(result.error).toBeNull();
    expect(result.stats.frames).toBe(130);
    expect(frames.map(row)).toEqual(want.slice(0, 130));
  });

  test('maxFrames on a stream that never ends: reading stops and the stream is destroyed', async () => {
    const input = new PassThrough();
    input.write(file);
    const { result, frames } = await collect('-', { input, maxFrames: 5 });
    expect(result.error).toBeNull();
    expect(frames.map((f) => f.index)).toEqual([1, 2, 3, 4, 5]);
    expect(input.destroyed).toBe(true);
  });

  test('an abort ends a stream after its last whole record: no truncation error for the record cut in half', async () => {
    const input = new PassThrough();
    const controller = new AbortController();
    const cut = parseAll(file).frames[50].fileOffset + 9;
    const frames: Frame[] = [];
    const reading = readCapture('-', (f) => frames.push(f), { input, signal: controller.signal });
    input.write(file.subarray(0, cut));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const result = await reading;
    expect(result.error).toBeNull();
    expect(result.stats.frames).toBe(50);
    expect(frames.map(row)).toEqual(want.slice(0, 50));
    expect(input.destroyed).toBe(true);
  });

  test('already aborted: nothing is read', async () => {
    const controller = new AbortController();
    controller.abort();
    const { result, frames } = await collect('-', { input: Readable.from([file]), signal: controller.signal });
    expect(result).toEqual({ stats: expect.objectContaining({ frames: 0, bytes: 0 }), error: null });
    expect(frames).toEqual([]);
  });
});
