import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { BlockType } from '../../src/capture/pcapng.js';
import { writePcap, writePcapng } from '../../src/synth/capture-writer.js';
import { bytes, parseAll } from './helpers.js';

/**
 * The writer's output must be accepted by Wireshark's own tools, and our reader must agree with
 * tshark on frame numbers, times and lengths. CI installs tshark; a missing one fails loudly.
 */
const TSHARK = '/usr/bin/tshark';
const CAPINFOS = '/usr/bin/capinfos';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-tshark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(tool: string, args: string[]): string {
  if (!existsSync(tool)) throw new Error(`${tool} is not installed: these tests need Wireshark's command-line tools`);
  return execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const fixtures = [
  {
    name: 'pcap µs little-endian, snaplen 100',
    file: writePcap(
      [
        { time: 1700000000.123456, data: bytes(60, 1) },
        { time: 1700000001.5, data: bytes(1514, 2) },
      ],
      { linkType: 1, snaplen: 100 },
    ),
    capinfos: ['pcap', 'ether', '2'],
  },
  {
    name: 'pcap ns big-endian, Linux SLL',
    file: writePcap([{ time: 1700000000.123456789, data: bytes(40, 3) }], { linkType: 113, nanosecond: true, bigEndian: true }),
    capinfos: ['nsecpcap', 'linux-sll', '1'],
  },
  {
    name: 'pcapng: two sections, three interfaces, EPB/PB/SPB and skipped blocks',
    file: writePcapng([
      {
        interfaces: [
          { linkType: 1, snaplen: 128 },
          { linkType: 113, tsresol: 9 },
          { linkType: 0, tsresol: 0x80 | 20, tsoffset: 1700000000 },
        ],
        frames: [
          { time: 1700000000.123456, data: bytes(60, 4) },
          { time: 1700000000.123456789, data: bytes(61, 5), interfaceId: 1 },
          { time: 1700000000.5, data: bytes(33, 6), interfaceId: 2, block: 'pb' },
          { time: 0, data: bytes(30, 7), block: 'spb' },
          { time: 1700000002.25, data: bytes(1514, 8) },
        ],
        extraBlocks: [
          { type: BlockType.NAME_RESOLUTION, body: new Uint8Array(4), beforeFrame: 0 },
          { type: BlockType.INTERFACE_STATISTICS, body: new Uint8Array(12), beforeFrame: 1 },
          { type: BlockType.DECRYPTION_SECRETS, body: Buffer.from('4b534c5400000000', 'hex'), beforeFrame: 2 },
          { type: BlockType.CUSTOM, body: Buffer.from('0000fe7f01020304', 'hex'), beforeFrame: 4 },
        ],
      },
      { bigEndian: true, interfaces: [{ linkType: 101, tsresol: 6 }], frames: [{ time: 1700000009.25, data: bytes(20, 9) }] },
    ]),
    capinfos: ['pcapng', 'per-packet', '6'],
  },
];

describe('writer output is accepted by Wireshark tools, and the reader agrees with tshark', () => {
  test.each(fixtures)('$name', ({ name, file, capinfos }) => {
    const path = join(dir, name.replace(/\W+/g, '-'));
    writeFileSync(path, file);
    // capinfos -T -M: one tab-separated row; -t type, -E encapsulation, -c packet count.
    const table = run(CAPINFOS, ['-T', '-M', '-r', '-t', '-E', '-c', path]).trim().split('\t');
    expect(table.slice(1)).toEqual(capinfos);

    const lines = run(TSHARK, ['-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len'])
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    const { result, frames } = parseAll(file);
    expect(result.error).toBeNull();
    for (const frame of frames) {
      const line = lines[frame.index - 1];
      expect(line[0]).toBe(String(frame.index));
      expect(Number(line[2])).toBe(frame.originalLength);
      expect(Number(line[3])).toBe(frame.data.length);
      // tshark prints no time for an SPB (it has none); we reuse the previous frame's.
      if (line[1] !== '') expect(Math.abs(Number(line[1]) - frame.time)).toBeLessThan(1e-6);
    }
    // Every tshark frame we did not deliver is a block we numbered but skipped (custom blocks).
    expect(lines.length).toBe(result.stats.frames + result.stats.numberedBlocks);
  });
});
