import { describe, expect, it } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import {
  buildFrame,
  buildTcpIpPacket,
  encodeTcpOptions,
  fragmentIPv4,
  internetChecksum,
  toFrame,
  unwrapLink,
  wrapLink,
  type TcpPacketSpec,
} from '../../src/synth/packets.js';
import { Decoder } from '../../src/decode/decoder.js';
import { TcpFlag } from '../../src/decode/segment.js';

// The builder's output was also checked once with `tshark -o ip.check_checksum:TRUE -o
// tcp.check_checksum:TRUE` on every link type (checksums "good", fragments reassembled).

const spec: TcpPacketSpec = {
  src: '172.16.0.1',
  dst: '172.16.0.2',
  srcPort: 3000,
  dstPort: 45000,
  seq: 7,
  ack: 9,
  flags: TcpFlag.ACK | TcpFlag.PSH,
  payload: 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx', // odd length exercises checksum padding
  options: { timestamp: [10, 20] },
};

function pseudoV4(packet: Uint8Array): Uint8Array {
  const p = new Uint8Array(12);
  p.set(packet.subarray(12, 20));
  p[9] = 6;
  p[10] = (packet.length - 20) >> 8;
  p[11] = (packet.length - 20) & 0xff;
  return p;
}

describe('buildTcpIpPacket', () => {
  it('writes IPv4 and TCP checksums that verify to zero', () => {
    const packet = buildTcpIpPacket(spec);
    expect(internetChecksum(packet.subarray(0, 20))).toBe(0);
    expect(internetChecksum(pseudoV4(packet), packet.subarray(20))).toBe(0);
  });

  it('writes a known header exactly', () => {
    const packet = buildTcpIpPacket({ src: '127.0.0.1', dst: '127.0.0.1', srcPort: 48338, dstPort: 8765, seq: 2244994420, flags: TcpFlag.SYN, window: 65495, ipId: 0x3332, options: { mss: 65495, sackPermitted: true, timestamp: [171921165, 0], windowScale: 10 } });
    // The SYN tcpdump printed for a real curl (see decoder.test.ts), byte for byte, IP checksum
    // included. Only the TCP checksum differs: Linux lo offloads it, so the capture holds just the
    // pseudo-header sum (fe30), where we write the full, verifiable one.
    const tcpdump = '4500 003c 3332 4000 4006 0988 7f00 0001 7f00 0001 bcd2 223d 85cf e574 0000 0000 a002 ffd7 fe30 0000 0204 ffd7 0402 080a 0a3f 4f0d 0000 0000 0103 030a';
    expect(Buffer.from(packet).toString('hex')).toBe(tcpdump.replace(/ /g, '').replace('fe30', 'ac5e'));
    expect(internetChecksum(pseudoV4(packet), packet.subarray(20))).toBe(0);
  });

  it('refuses mixed address families and oversized options', () => {
    expect(() => buildTcpIpPacket({ ...spec, dst: '::1' })).toThrow(/not two IPv4 or two IPv6/);
    expect(() => encodeTcpOptions({ sack: [[1, 2], [3, 4], [5, 6], [7, 8]], timestamp: [1, 2] })).toThrow(/exceed/);
  });
});

describe('fragmentIPv4', () => {
  it('sets offsets, MF, lengths and header checksums; payloads concatenate to the original', () => {
    const packet = buildTcpIpPacket({ ...spec, payload: new Uint8Array(100).fill(1) });
    const fragments = fragmentIPv4(packet, 50); // 48-byte steps
    expect(fragments.map((f) => f.length)).toEqual([68, 68, 56]);
    for (const f of fragments) expect(internetChecksum(f.subarray(0, 20))).toBe(0);
    expect(fragments.map((f) => (f[6] << 8) | f[7])).toEqual([0x2000, 0x2006, 0x000c]);
    const joined = Buffer.concat(fragments.map((f) => f.subarray(20)));
    expect(joined.equals(Buffer.from(packet.subarray(20)))).toBe(true);
  });
});

describe('wrapLink / unwrapLink', () => {
  it('converts a padded Ethernet frame into a macOS lo0 (NULL) frame that decodes the same', () => {
    const ethernet = buildFrame(LinkType.ETHERNET, { ...spec, payload: 'x', options: undefined }, { vlanIds: [3], pad: true });
    expect(ethernet.length).toBe(60); // the minimum frame without FCS, tag included
    const ip = unwrapLink(ethernet, LinkType.ETHERNET)!;
    expect(ip.length).toBe(41); // padding trimmed by the IP total length
    expect(ip.buffer).toBe(ethernet.buffer); // a view
    const lo0 = wrapLink(LinkType.NULL, ip);
    expect(Array.from(lo0.subarray(0, 4))).toEqual([2, 0, 0, 0]);
    const a = new Decoder().decode(toFrame(ethernet, LinkType.ETHERNET));
    const b = new Decoder().decode(toFrame(lo0, LinkType.NULL));
    expect({ ...b, payload: Array.from(b!.payload) }).toEqual({ ...a, payload: Array.from(a!.payload) });
  });

  it('unwraps SLL, SLL2 and IPv6, and returns null for what is not IP', () => {
    const v6 = buildTcpIpPacket({ ...spec, src: '::1', dst: '::1' });
    expect(unwrapLink(wrapLink(LinkType.LINUX_SLL, v6), LinkType.LINUX_SLL)).toEqual(v6);
    expect(unwrapLink(wrapLink(LinkType.LINUX_SLL2, v6), LinkType.LINUX_SLL2)).toEqual(v6);
    expect(unwrapLink(Uint8Array.from([7, 0, 0, 0, 0x45]), LinkType.NULL)).toBeNull();
    expect(unwrapLink(new Uint8Array(20), 9999)).toBeNull();
  });

  it('refuses the wrong IP version for 228/229 and unknown link types', () => {
    const v4 = buildTcpIpPacket(spec);
    expect(() => wrapLink(LinkType.IPV6, v4)).toThrow(/IPv4 packet on link type 229/);
    expect(() => wrapLink(147, v4)).toThrow(/not supported/);
  });
});
