import { describe, expect, test } from 'vitest';
import { PcapngStreamWriter, PcapStreamWriter, writePcap, writePcapng, type PcapngSection } from '../../src/synth/capture-writer.js';
import { bytes, parseAll } from '../capture/helpers.js';

const frames = [
  { time: 1700000000.123456, data: bytes(60, 1) },
  { time: 1700000001.5, data: bytes(7, 2), originalLength: 70 },
];

describe('stream writers produce the same bytes as the one-piece writers', () => {
  test('pcap', () => {
    const opts = { linkType: 1, nanosecond: true, bigEndian: true };
    const writer = new PcapStreamWriter(opts);
    const pieces = Buffer.concat([writer.header(), ...frames.map((f) => writer.frame(f))]);
    expect(pieces.equals(writePcap(frames, opts))).toBe(true);
  });

  test('pcapng', () => {
    const section: PcapngSection = { bigEndian: true, interfaces: [{ linkType: 1, tsresol: 9, tsoffset: -5 }], frames };
    const writer = new PcapngStreamWriter(section);
    const pieces = Buffer.concat([writer.header(), ...frames.map((f) => writer.frame(f))]);
    expect(pieces.equals(writePcapng([section]))).toBe(true);
    // A negative if_tsoffset (signed 64-bit) reads back.
    const { frames: got } = parseAll(pieces);
    expect(got.map((f) => f.time)).toEqual([1700000000.123456, 1700000001.5]);
  });
});

describe('exact bytes', () => {
  test('pcap µs little-endian header and record', () => {
    const file = writePcap([frames[1]], { linkType: 113, snaplen: 65535 });
    expect(file.toString('hex')).toBe(
      'd4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + 'ffff0000' + '71000000' +
        '01f15365' + '20a10700' + '07000000' + '46000000' + Buffer.from(frames[1].data).toString('hex'),
    );
  });

  test('pcapng big-endian SHB, IDB with options, EPB', () => {
    const file = writePcapng([{ bigEndian: true, interfaces: [{ linkType: 1, tsresol: 9, tsoffset: 2 }], frames: [frames[1]] }]);
    const hex = file.toString('hex');
    // SHB: type, length 28, byte-order magic, version 1.0, section length -1, length.
    expect(hex.slice(0, 56)).toBe('0a0d0d0a' + '0000001c' + '1a2b3c4d' + '0001' + '0000' + 'ffffffffffffffff' + '0000001c');
    // IDB: type 1, length 44, link type 1, reserved, snaplen 0, if_tsresol 9, if_tsoffset 2, end of options, length.
    expect(hex.slice(56, 56 + 88)).toBe(
      '00000001' + '0000002c' + '0001' + '0000' + '00000000' + '0009' + '0001' + '09000000' + '000e' + '0008' +
        '0000000000000002' + '00000000' + '0000002c',
    );
    // EPB: 1700000001.5 - 2 s offset = 1699999999.5 s = 1699999999500000000 ns.
    const epb = file.subarray(28 + 44);
    expect(epb.readUInt32BE(0)).toBe(6);
    expect(epb.readUInt32BE(4)).toBe(32 + 8);
    expect((BigInt(epb.readUInt32BE(12)) << 32n) | BigInt(epb.readUInt32BE(16))).toBe(1699999999500000000n);
    expect([epb.readUInt32BE(20), epb.readUInt32BE(24)]).toEqual([7, 70]);
    expect(epb.readUInt32BE(36)).toBe(40);
  });
});
