import { describe, expect, test } from 'vitest';
import { CaptureError } from '../../src/capture/frame.js';
import { CaptureReader } from '../../src/capture/reader.js';
import { writePcap, writePcapng } from '../../src/synth/capture-writer.js';
import { bytes, parseAll, parseInPieces } from './helpers.js';

const small = [
  { time: 1700000000.000001, data: bytes(5, 1) },
  { time: 1700000000.000002, data: new Uint8Array(0) },
  { time: 1700000000.000003, data: bytes(23, 3) },
];
/** Records at 24, 45 and 61; 100 bytes in all. */
const pcap = (): Buffer => writePcap(small, { linkType: 1 });
/** SHB at 0, IDB at 28, EPBs (8 data bytes, 40 long) at 48 and 88; 128 bytes in all. */
const pcapng = (): Buffer =>
  writePcapng([
    {
      interfaces: [{ linkType: 1 }],
      frames: [
        { time: 1700000000, data: bytes(8, 1) },
        { time: 1700000001, data: bytes(8, 2) },
      ],
    },
  ]);

function patched(file: Buffer, offset: number, value: number): Buffer {
  const copy = Buffer.from(file);
  copy.writeUInt32LE(value, offset);
  return copy;
}

function block(type: number, length: number, body: number[] = []): Buffer {
  const b = Buffer.alloc(8 + body.length);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(length, 4);
  Buffer.from(body).copy(b, 8);
  return b;
}

interface Case {
  name: string;
  file: Buffer;
  code: CaptureError['code'];
  offset: number;
  detail: string;
  frames: number;
}

const cases: Case[] = [
  {
    name: 'an HTML file',
    file: Buffer.from('<html><body>not a capture</body></html>\n'),
    code: 'not-a-capture',
    offset: 0,
    detail: 'not a pcap or pcapng file (starts with "<html><b")',
    frames: 0,
  },
  {
    name: 'a binary file: quotes, backslashes and control bytes escaped in the preview',
    file: Buffer.from([0x22, 0x5c, 0x0a, 0x0d, 0x09, 0x00, 0x1b, 0xff, 0x41]),
    code: 'not-a-capture',
    offset: 0,
    detail: 'not a pcap or pcapng file (starts with "\\"\\\\\\n\\r\\t\\x00\\x1b\\xff")',
    frames: 0,
  },
  {
    name: 'five bytes that are not a capture',
    file: Buffer.from('hello'),
    code: 'not-a-capture',
    offset: 0,
    detail: 'not a pcap or pcapng file (starts with "hello")',
    frames: 0,
  },
  { name: 'empty input', file: Buffer.alloc(0), code: 'not-a-capture', offset: 0, detail: 'empty file (0 bytes), not a capture', frames: 0 },
  {
    name: 'fewer bytes than a magic',
    file: pcap().subarray(0, 3),
    code: 'not-a-capture',
    offset: 0,
    detail: 'only 3 bytes, too short for a pcap or pcapng file (starts with "\\xd4\\xc3\\xb2")',
    frames: 0,
  },
  {
    name: 'pcap cut after its magic, before the probe length',
    file: pcap().subarray(0, 6),
    code: 'truncated',
    offset: 0,
    detail: 'file ends inside the pcap global header (6 of 24 bytes)',
    frames: 0,
  },
  {
    name: 'pcap cut inside the global header',
    file: pcap().subarray(0, 10),
    code: 'truncated',
    offset: 0,
    detail: 'file ends inside the pcap global header (10 of 24 bytes)',
    frames: 0,
  },
  {
    name: 'pcap cut inside a record header',
    file: pcap().subarray(0, 61 + 5),
    code: 'truncated',
    offset: 61,
    detail: 'file ends inside a pcap record header (5 of 16 bytes)',
    frames: 2,
  },
  {
    name: 'pcap cut inside record data',
    file: pcap().subarray(0, 61 + 16 + 7),
    code: 'truncated',
    offset: 61,
    detail: 'file ends inside a pcap record (7 of 23 bytes)',
    frames: 2,
  },
  {
    name: 'pcap record with captured length above original length',
    file: patched(pcap(), 45 + 8, 1),
    code: 'malformed',
    offset: 45,
    detail: 'pcap record claims 1 captured bytes but an original length of only 0',
    frames: 1,
  },
  {
    name: 'pcap record with an absurd captured length (rejected before waiting for its data)',
    file: patched(patched(pcap(), 45 + 8, 0x20000000), 45 + 12, 0x20000000),
    code: 'malformed',
    offset: 45,
    detail: 'pcap record claims 536870912 captured bytes, more than the 268435456-byte limit',
    frames: 1,
  },
  {
    name: 'pcapng cut inside the Section Header Block',
    file: pcapng().subarray(0, 20),
    code: 'truncated',
    offset: 0,
    detail: 'file ends inside a pcapng block of type 0x0a0d0d0a (20 of 28 bytes)',
    frames: 0,
  },
  {
    name: 'pcapng cut inside a block header',
    file: pcapng().subarray(0, 88 + 5),
    code: 'truncated',
    offset: 88,
    detail: 'file ends inside a pcapng block header (5 of 12 bytes)',
    frames: 1,
  },
  {
    name: 'pcapng cut inside an Enhanced Packet Block',
    file: pcapng().subarray(0, 88 + 20),
    code: 'truncated',
    offset: 88,
    detail: 'file ends inside a pcapng block of type 0x00000006 (20 of 40 bytes)',
    frames: 1,
  },
  {
    name: 'block length below 12',
    file: Buffer.concat([pcapng(), block(4, 8, [0, 0, 0, 0])]),
    code: 'malformed',
    offset: 128,
    detail: 'pcapng block of type 0x00000004 claims length 8, less than the 12 bytes any block needs',
    frames: 2,
  },
  {
    name: 'EPB shorter than its fixed fields',
    file: patched(pcapng(), 48 + 4, 20),
    code: 'malformed',
    offset: 48,
    detail: 'pcapng block of type 0x00000006 claims length 20, less than the 32 bytes an Enhanced Packet Block needs',
    frames: 0,
  },
  {
    name: 'block length not a multiple of 4',
    file: patched(pcapng(), 88 + 4, 38),
    code: 'malformed',
    offset: 88,
    detail: 'pcapng block of type 0x00000006 claims length 38, not a multiple of 4',
    frames: 1,
  },
  {
    name: 'absurd block length',
    file: patched(pcapng(), 88 + 4, 0xfffffff0),
    code: 'malformed',
    offset: 88,
    detail: 'pcapng block of type 0x00000006 claims length 4294967280, more than the 268435456-byte limit',
    frames: 1,
  },
  {
    name: 'trailing length differs from the header',
    file: patched(pcapng(), 88 + 36, 44),
    code: 'malformed',
    offset: 88,
    detail: 'pcapng block of type 0x00000006 has trailing length 44, but its header says 40',
    frames: 1,
  },
  {
    name: 'EPB captured length beyond its block',
    file: patched(pcapng(), 48 + 20, 9),
    code: 'malformed',
    offset: 48,
    detail: 'Enhanced Packet Block captured length 9 exceeds the 8 bytes its block has room for',
    frames: 0,
  },
  {
    name: 'EPB for an undefined interface',
    file: patched(pcapng(), 88 + 8, 1),
    code: 'malformed',
    offset: 88,
    detail: 'Enhanced Packet Block refers to interface 1, but this section defines 1 interface',
    frames: 1,
  },
  {
    name: 'interface defined only in the previous section',
    file: writePcapng([
      { interfaces: [{ linkType: 1 }, { linkType: 1 }], frames: [{ time: 0, data: bytes(8, 1), interfaceId: 1 }] },
      { bigEndian: true, interfaces: [{ linkType: 1 }], frames: [{ time: 0, data: bytes(8, 1), interfaceId: 1 }] },
    ]),
    code: 'malformed',
    offset: 28 + 20 + 20 + 40 + 28 + 20,
    detail: 'Enhanced Packet Block refers to interface 1, but this section defines 1 interface',
    frames: 1,
  },
  {
    name: 'SPB in a section without interfaces',
    file: writePcapng([{ interfaces: [], frames: [{ time: 0, data: bytes(8, 1), block: 'spb' }] }]),
    code: 'malformed',
    offset: 28,
    detail: 'Simple Packet Block refers to interface 0, but this section defines 0 interfaces',
    frames: 0,
  },
  {
    name: 'first Section Header Block with a wrong byte-order magic',
    file: patched(pcapng(), 8, 0x11223344),
    code: 'not-a-capture',
    offset: 0,
    detail: 'pcapng Section Header Block has byte-order magic 0x44332211, expected 0x1a2b3c4d in either byte order',
    frames: 0,
  },
  {
    name: 'later Section Header Block with a wrong byte-order magic',
    file: patched(Buffer.concat([pcapng(), pcapng()]), 128 + 8, 0x11223344),
    code: 'malformed',
    offset: 128,
    detail: 'pcapng Section Header Block has byte-order magic 0x44332211, expected 0x1a2b3c4d in either byte order',
    frames: 2,
  },
  {
    name: 'unsupported pcapng major version',
    file: patched(pcapng(), 12, 2),
    code: 'malformed',
    offset: 0,
    detail: 'unsupported pcapng version 2.0 (only 1.x exists)',
    frames: 0,
  },
  {
    name: 'IDB option running past its block',
    // IDB with if_tsresol at 28: SHB 28 + IDB fixed 16 → option header at 44; claim 200 bytes.
    file: (() => {
      const f = Buffer.from(writePcapng([{ interfaces: [{ linkType: 1, tsresol: 9 }], frames: [] }]));
      f.writeUInt16LE(200, 44 + 2);
      return f;
    })(),
    code: 'malformed',
    offset: 28,
    detail: 'Interface Description Block option 9 claims 200 bytes, past the end of the block',
    frames: 0,
  },
];

describe('damaged input', () => {
  test.each(cases)('$name', ({ file, code, offset, detail, frames }) => {
    const { result, frames: got } = parseAll(file, 'bad.cap');
    expect(result.error).toBeInstanceOf(CaptureError);
    expect({ code: result.error?.code, offset: result.error?.offset, detail: result.error?.detail }).toEqual({ code, offset, detail });
    expect(result.error?.file).toBe('bad.cap');
    const located = code === 'truncated' || code === 'malformed';
    expect(result.error?.message).toBe(located ? `bad.cap: ${detail} at byte offset ${offset}` : `bad.cap: ${detail}`);
    expect(result.error?.framesRead).toBe(frames);
    expect(got).toHaveLength(frames);
    expect(result.stats.frames).toBe(frames);
  });

  test.each(cases)('$name — same error when fed one byte at a time', ({ file, code, offset, detail, frames }) => {
    const got: number[] = [];
    const reader = new CaptureReader('bad.cap', (f) => got.push(f.index));
    let error: unknown = null;
    try {
      for (let i = 0; i < file.length; i++) reader.push(Uint8Array.of(file[i]));
      reader.end();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CaptureError);
    expect({ code: (error as CaptureError).code, offset: (error as CaptureError).offset, detail: (error as CaptureError).detail }).toEqual({
      code,
      offset,
      detail,
    });
    expect(got).toHaveLength(frames);
  });

  test('an absurd record length throws as soon as the record header is in, without waiting for data', () => {
    const file = patched(patched(pcap(), 45 + 8, 0x20000000), 45 + 12, 0x20000000);
    const reader = new CaptureReader('bad.cap', () => {});
    expect(() => reader.push(file.subarray(0, 45 + 16))).toThrow(/more than the 268435456-byte limit/);
  });

  test('errors are sticky: later pushes and end() throw the same error', () => {
    const reader = new CaptureReader('page.html', () => {});
    let first: unknown;
    try {
      reader.push(Buffer.from('<html><body>'));
    } catch (e) {
      first = e;
    }
    expect(first).toBeInstanceOf(CaptureError);
    expect(reader.error).toBe(first);
    expect(() => reader.push(pcap())).toThrow(first as Error);
    let again: unknown;
    try {
      reader.end();
    } catch (e) {
      again = e;
    }
    expect(again).toBe(first);
  });

  test('frames before the damage are delivered whatever the chunking', () => {
    const file = pcap().subarray(0, 61 + 16 + 7);
    for (let cut = 0; cut <= file.length; cut++) {
      expect(() => parseInPieces(file, [cut])).toThrow('file ends inside a pcap record (7 of 23 bytes) at byte offset 61');
    }
  });
});
