import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { CaptureRecorder } from '../../src/capture/recorder.js';
import { CaptureSpool, saveName } from '../../src/capture/spool.js';
import { writePcap, writePcapng } from '../../src/synth/capture-writer.js';
import { bytes, parseAll, row } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-spool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const frames = Array.from({ length: 6 }, (_, i) => ({ time: 1700000000 + i, data: bytes(60 + i, i) }));
const pcapng = writePcapng([{ interfaces: [{ linkType: 1 }], frames }]);
const pcap = writePcap(frames, { linkType: 1 });
/** Where frame i's record starts in each file. */
const pcapngOffsets = parseAll(pcapng).frames.map((f) => f.fileOffset);
const pcapOffsets = parseAll(pcap).frames.map((f) => f.fileOffset);

describe('CaptureSpool', () => {
  test('saves what was captured so far: whole records only, a valid capture every time, the bytes unchanged', () => {
    const spool = new CaptureSpool();
    // Four frames and half of the fifth so far.
    const cut = pcapngOffsets[4] + 20;
    spool.write(pcapng.subarray(0, cut));
    expect(spool.format).toBe('pcapng');
    expect(spool.packets).toBe(4);
    const first = join(dir, 'first.pcapng');
    expect(spool.save(first)).toEqual({ bytes: pcapngOffsets[4], packets: 4 });
    expect(readFileSync(first)).toEqual(pcapng.subarray(0, pcapngOffsets[4]));
    const parsed = parseAll(readFileSync(first));
    expect(parsed.result.error).toBeNull();
    expect(parsed.frames.map(row)).toEqual(parseAll(pcapng).frames.slice(0, 4).map(row));

    // The rest arrives; a second save holds all six, the first file is untouched.
    spool.write(pcapng.subarray(cut));
    const second = join(dir, 'second.pcapng');
    expect(spool.save(second)).toEqual({ bytes: pcapng.length, packets: 6 });
    expect(readFileSync(second)).toEqual(pcapng);
    expect(readFileSync(first).length).toBe(pcapngOffsets[4]);
    spool.dispose();
  });

  test('through its tee: the stream passes unchanged, the spool holds it (pcap as tcpdump writes it)', async () => {
    const spool = new CaptureSpool();
    const pieces = [pcap.subarray(0, 10), pcap.subarray(10, pcapOffsets[2] + 3), pcap.subarray(pcapOffsets[2] + 3)];
    const passed: Buffer[] = [];
    for await (const chunk of Readable.from(pieces).pipe(spool.tee())) passed.push(chunk as Buffer);
    expect(Buffer.concat(passed)).toEqual(pcap);
    expect(spool.format).toBe('pcap');
    const saved = join(dir, 'tee.pcap');
    expect(spool.save(saved)).toEqual({ bytes: pcap.length, packets: 6 });
    expect(readFileSync(saved)).toEqual(pcap);
    spool.dispose();
  });

  test('dispose removes the temporary file; saving afterwards is a bug and says so', () => {
    const spool = new CaptureSpool();
    spool.write(pcap);
    const path = (spool as unknown as { dir: string }).dir;
    expect(existsSync(path)).toBe(true);
    spool.dispose();
    spool.dispose();
    expect(existsSync(path)).toBe(false);
    expect(() => spool.save(join(dir, 'late.pcap'))).toThrow('CaptureSpool: save after dispose');
  });

  test('saveName: local date and time, the extension of the stream format', () => {
    const date = new Date(2026, 11, 3, 4, 5, 6);
    expect(saveName(date, 'pcap')).toBe('wirelens-20261203-040506.pcap');
    expect(saveName(date, null)).toBe('wirelens-20261203-040506.pcapng');
  });
});

describe('CaptureRecorder', () => {
  test('close() cuts a record the stream stopped inside of (what tcpdump killed mid-write leaves)', () => {
    const path = join(dir, 'cut.pcap');
    const recorder = new CaptureRecorder(path);
    recorder.write(pcap.subarray(0, pcapOffsets[3] + 7));
    recorder.close();
    expect(readFileSync(path)).toEqual(pcap.subarray(0, pcapOffsets[3]));
    expect(parseAll(readFileSync(path)).frames.length).toBe(3);
  });

  test('a packet limit: nothing after the Nth packet is written', () => {
    const path = join(dir, 'limit.pcapng');
    const recorder = new CaptureRecorder(path, 2);
    recorder.write(pcapng.subarray(0, 50));
    recorder.write(pcapng.subarray(50));
    recorder.close();
    expect(readFileSync(path)).toEqual(pcapng.subarray(0, pcapngOffsets[2]));
  });

  test('a file that cannot be created: the open error, for the caller to report', () => {
    expect(() => new CaptureRecorder(join(dir, 'no-such-dir', 'x.pcap'))).toThrow(/ENOENT/);
  });
});
