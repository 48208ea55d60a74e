import { describe, expect, it } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { buildFrame, buildIpPacket, buildTcpIpPacket, toFrame, type TcpPacketSpec } from '../../src/synth/packets.js';
import { Decoder } from '../../src/decode/decoder.js';
import { decodeIpv6, newIpv6Header } from '../../src/decode/ipv6.js';
import { TcpFlag } from '../../src/decode/segment.js';

const spec: TcpPacketSpec = {
  src: 'fe80::a:b',
  dst: '2001:db8:0:0:1:0:0:1',
  srcPort: 443,
  dstPort: 60000,
  seq: 42,
  ack: 43,
  flags: TcpFlag.ACK,
  window: 1024,
  payload: 'hello',
};

describe('decodeIpv6', () => {
  const out = newIpv6Header();

  it('walks hop-by-hop, routing, destination options and AH to TCP', () => {
    const packet = buildTcpIpPacket({
      ...spec,
      ipv6ExtensionHeaders: [
        { nextHeaderType: 0, body: Uint8Array.from([5, 2, 0, 0, 1, 0]) }, // router alert + PadN → 8 bytes
        { nextHeaderType: 43, body: new Uint8Array(14) }, // 16 bytes
        { nextHeaderType: 60, body: new Uint8Array(6) }, // 8 bytes
        { nextHeaderType: 51, body: new Uint8Array(22) }, // AH: 24 bytes
      ],
    });
    expect(Array.from(packet.subarray(40, 42))).toEqual([43, 0]); // hop-by-hop → routing, length 0
    expect(decodeIpv6(packet, 0, packet.length, out)).toBe('ok');
    expect(out.protocol).toBe(6);
    expect(out.payloadOffset).toBe(40 + 8 + 16 + 8 + 24);
    expect(out.payloadEnd).toBe(packet.length);
  });

  it('reports a fragment', () => {
    const body = Uint8Array.from([0x01, 0x01, 0xca, 0xfe, 0xba, 0xbe]); // offset 0x0100 (256 bytes), M = 1
    const packet = buildTcpIpPacket({ ...spec, ipv6ExtensionHeaders: [{ nextHeaderType: 44, body }] });
    expect(decodeIpv6(packet, 0, packet.length, out)).toBe('fragment');
    expect(out).toMatchObject({ fragmentOffset: 256, moreFragments: true, fragmentId: 0xcafebabe, fragmentNextHeader: 6, payloadOffset: 48 });
  });

  it('rejects lengths past the packet and tells a cut from an impossibility', () => {
    const packet = buildTcpIpPacket({ ...spec, ipv6ExtensionHeaders: [{ nextHeaderType: 60, body: new Uint8Array(6) }] });
    const longHeader = packet.slice();
    longHeader[41] = 200; // destination options claims 1608 bytes
    expect(decodeIpv6(longHeader, 0, longHeader.length, out)).toBe('malformed');
    const longPayload = packet.slice();
    longPayload[5] += 1;
    expect(decodeIpv6(longPayload, 0, longPayload.length, out)).toBe('malformed');
    const badVersion = packet.slice();
    badVersion[0] = 0x40;
    expect(decodeIpv6(badVersion, 0, badVersion.length, out)).toBe('malformed');
    expect(decodeIpv6(packet.subarray(0, 44), 0, packet.length, out)).toBe('truncated');
    expect(decodeIpv6(packet.subarray(0, 30), 0, packet.length, out)).toBe('truncated');
    expect(decodeIpv6(packet.subarray(0, 30), 0, 30, out)).toBe('malformed');
  });

  it('takes the rest of the frame when the payload length is 0 (GSO)', () => {
    const packet = buildTcpIpPacket(spec);
    packet[4] = 0;
    packet[5] = 0;
    expect(decodeIpv6(packet, 0, packet.length, out)).toBe('ok');
    expect(out.payloadEnd).toBe(packet.length);
  });
});

describe('IPv6 through the decoder', () => {
  it('decodes TCP behind hop-by-hop + destination options headers', () => {
    const data = buildFrame(LinkType.ETHERNET, {
      ...spec,
      ipv6ExtensionHeaders: [
        { nextHeaderType: 0, body: new Uint8Array(6) },
        { nextHeaderType: 60, body: Uint8Array.from([1, 12, ...new Array(12).fill(0)]) }, // PadN, 16 bytes
      ],
    });
    const segment = new Decoder().decode(toFrame(data, LinkType.ETHERNET));
    expect(segment).toMatchObject({
      ipVersion: 6,
      src: 'fe80::a:b',
      dst: '2001:db8::1:0:0:1',
      srcPort: 443,
      dstPort: 60000,
      seq: 42,
      ack: 43,
      flags: 0x10,
      window: 1024,
      payloadLength: 5,
    });
    expect(Buffer.from(segment!.payload).toString()).toBe('hello');
  });

  it('counts what is not TCP', () => {
    const decoder = new Decoder();
    const frames = [
      buildIpPacket({ src: '::1', dst: '::1', protocol: 58, payload: Uint8Array.from([128, 0, 0, 0, 0, 1, 0, 1]) }),
      buildIpPacket({ src: '::1', dst: '::1', protocol: 17, payload: new Uint8Array(8) }),
      buildIpPacket({ src: '::1', dst: '::1', protocol: 59, payload: new Uint8Array(0) }),
      buildIpPacket({ src: '::1', dst: '::1', protocol: 50, payload: new Uint8Array(16) }),
    ];
    for (const f of frames) expect(decoder.decode(toFrame(f, LinkType.IPV6))).toBeNull();
    expect(decoder.stats).toMatchObject({ frames: 4, icmp: 1, udp: 1, otherIp: 2, tcp: 0 });
  });
});
