/**
 * Bounded fuzzing over the real captures: every mutation must end in exit code 0 or 2, never an
 * exception or a hang, and damage to the *file* must leave everything before it reported — by
 * `conns --json` and by `report --json` alike.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../src/capture/source.js';
import type { Frame } from '../../src/capture/frame.js';
import { capture } from '../helpers/captures.js';
import { runCli } from '../helpers/cli.js';
import { describeUndecoded } from '../../src/decode/stats.js';
import { parseReport, type ConnsDocument } from '../helpers/report-json.js';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SOURCES = ['02-keepalive-agent.pcapng', '08-content-length-overrun.pcapng', '26-post-json.ns.pcap', '06-res-end-sll2.pcapng'];
// Damage inside the capture names its offset; a file whose first header is not a capture's has none worth naming.
const ERROR_LINE =
  /^wirelens: \S+: (.+ at byte offset \d+|not a pcap or pcapng file \(starts with ".*"\)|pcapng Section Header Block has byte-order magic 0x[0-9a-f]{8}, expected 0x1a2b3c4d in either byte order)\n$/;

/** mulberry32: a tiny seeded PRNG so every run mutates the same bytes. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Parsed {
  bytes: Buffer;
  frames: Array<{ fileOffset: number; dataStart: number; length: number }>;
}

function load(name: string): Parsed {
  const bytes = readFileSync(capture(name));
  const frames: Parsed['frames'] = [];
  const result = parseCaptureBuffer(name, bytes, (f: Frame) => {
    frames.push({ fileOffset: f.fileOffset, dataStart: f.data.byteOffset - bytes.byteOffset, length: f.data.length });
  });
  expect(result.error).toBeNull();
  return { bytes, frames };
}

let counter = 0;
/**
 * Runs `conns --json` and `report --json --bodies` (the whole model, bodies decoded) on the
 * mutated bytes: both must exit 0 or 2, agree on the exit code, the error line and the frames
 * read, and print valid JSON — the report's JSON is streamed, so it must stay well-formed up to
 * its closing brace even when the file is damaged, and keep the stream's contract (every exchange
 * before its connection, counts matching: see parseReport). An input that could not be read at all
 * (no frame) prints nothing, from both.
 */
async function conns(bytes: Uint8Array): Promise<{ code: number; frames: number | null; stderr: string }> {
  const file = join(dir, `m${counter++}.cap`);
  writeFileSync(file, bytes);
  const result = await runCli(['conns', file, '--json']);
  expect([0, 2]).toContain(result.code);
  const report = await runCli(['report', file, '--json', '--bodies']);
  expect(report.code).toBe(result.code);
  expect(report.stderr).toBe(result.stderr);
  if (result.stdout === '') {
    // Unreadable before the first frame: nothing on stdout, from either (the error line says it all).
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(ERROR_LINE);
    expect(report.stdout).toBe('');
    return { code: result.code, frames: 0, stderr: result.stderr };
  }
  const connsOut = JSON.parse(result.stdout) as ConnsDocument;
  // stderr: the line about frames of a link type not decoded (a flipped link type), if any, then the error line, if any.
  const undecoded = describeUndecoded(connsOut.decode, file);
  const warning = undecoded === null ? '' : `${undecoded}\n`;
  expect(result.stderr.startsWith(warning)).toBe(true);
  const errorLine = result.stderr.slice(warning.length);
  if (result.code === 2) {
    expect(errorLine).toMatch(ERROR_LINE);
    expect(errorLine).toBe(`wirelens: ${connsOut.error?.message}\n`);
  } else {
    expect(errorLine).toBe('');
    expect(connsOut.error).toBeNull();
  }
  const model = parseReport(report.stdout);
  expect(model.frames).toBe(connsOut.frames);
  expect(model.error === null).toBe(result.code === 0);
  expect(model.connections).toHaveLength(connsOut.connections.length);
  return { code: result.code, frames: connsOut.frames, stderr: result.stderr };
}

describe.each(SOURCES)('fuzzing %s', (name) => {
  const source = load(name);

  it('cut exactly at every record/block boundary: a shorter valid capture, exit 0', async () => {
    for (let i = 1; i < source.frames.length; i++) {
      const r = await conns(source.bytes.subarray(0, source.frames[i].fileOffset));
      expect(r).toMatchObject({ code: 0, frames: i });
    }
  });

  it('cut inside every record/block: exit 2, one line naming the offset, frames before it reported', async () => {
    for (let i = 0; i < source.frames.length; i++) {
      const cut = source.frames[i].fileOffset + 7;
      const r = await conns(source.bytes.subarray(0, cut));
      expect(r.code).toBe(2);
      expect(r.frames).toBe(i);
      expect(r.stderr).toContain(`at byte offset ${source.frames[i].fileOffset}`);
    }
  });

  it('corrupted record/block length fields: exit 0 or 2, never an exception', async () => {
    const rand = prng(1);
    for (let i = 0; i < 60; i++) {
      const frame = source.frames[Math.floor(rand() * source.frames.length)];
      const bytes = Buffer.from(source.bytes);
      // pcapng: total length at +4; pcap: incl_len at +8. Both are plausible targets for either.
      const at = frame.fileOffset + (rand() < 0.5 ? 4 : 8);
      bytes.writeUInt32LE(Math.floor(rand() * 0xffffffff), at);
      await conns(bytes);
    }
  });

  it('corrupted IP and TCP length fields: traffic damage never fails the file (exit 0, all frames)', async () => {
    const rand = prng(2);
    for (let i = 0; i < 60; i++) {
      const bytes = Buffer.from(source.bytes);
      const frame = source.frames[Math.floor(rand() * source.frames.length)];
      // Flip bytes anywhere in the packet data (link, IP and TCP headers included), not the framing.
      for (let k = 0; k < 3; k++) {
        const at = frame.dataStart + Math.floor(rand() * Math.min(frame.length, 80));
        bytes[at] = Math.floor(rand() * 256);
      }
      const r = await conns(bytes);
      expect(r).toMatchObject({ code: 0, frames: source.frames.length });
    }
  });

  it('random bit flips anywhere: exit 0 or 2, never an exception or a hang', async () => {
    const rand = prng(3);
    for (let i = 0; i < 80; i++) {
      const bytes = Buffer.from(source.bytes);
      const flips = 1 + Math.floor(rand() * 8);
      for (let k = 0; k < flips; k++) bytes[Math.floor(rand() * bytes.length)] ^= 1 << Math.floor(rand() * 8);
      await conns(bytes);
    }
  });
});

describe('absurd snaplen', () => {
  it('a pcap header claiming snaplen 0xFFFFFFFF is read normally', async () => {
    const source = load('26-post-json.ns.pcap');
    const bytes = Buffer.from(source.bytes);
    bytes.writeUInt32LE(0xffffffff, 16);
    expect(await conns(bytes)).toMatchObject({ code: 0, frames: source.frames.length });
  });
});
