import { describe, expect, it } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { buildFrame, buildIpPacket, buildTcpIpPacket, toFrame, wrapLink, type LinkOptions, type TcpPacketSpec } from '../../src/synth/packets.js';
import { Decoder } from '../../src/decode/decoder.js';
import { decodeLink, newLinkResult } from '../../src/decode/link.js';
import { TcpFlag } from '../../src/decode/segment.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

const v4: TcpPacketSpec = {
  src: '192.168.1.10',
  dst: '10.0.0.1',
  srcPort: 51000,
  dstPort: 80,
  seq: 0xfffffff0,
  ack: 0x80000001,
  flags: TcpFlag.PSH | TcpFlag.ACK,
  window: 501,
  payload: 'GET / HTTP/1.1\r\n\r\n',
};
const v6: TcpPacketSpec = { ...v4, src: '2001:db8::10', dst: 'fe80::1' };

interface Case {
  name: string;
  linkType: number;
  spec: TcpPacketSpec;
  opts?: LinkOptions;
  /** The link header bytes the frame must start with (checks the builder, so builder and decoder cannot share a mistake). */
  header: string;
}

const ETH = '020000000002' + '020000000001';
const cases: Case[] = [
  { name: 'Ethernet IPv4', linkType: LinkType.ETHERNET, spec: v4, header: ETH + '0800' },
  { name: 'Ethernet IPv6', linkType: LinkType.ETHERNET, spec: v6, header: ETH + '86dd' },
  { name: 'Ethernet 802.1Q', linkType: LinkType.ETHERNET, spec: v4, opts: { vlanIds: [100] }, header: ETH + '81000064' + '0800' },
  {
    name: 'Ethernet QinQ (802.1ad + 802.1Q)',
    linkType: LinkType.ETHERNET,
    spec: v6,
    opts: { vlanIds: [10, 4094], qinq: true },
    header: ETH + '88a8000a' + '81000ffe' + '86dd',
  },
  {
    name: 'Ethernet three stacked 802.1Q tags',
    linkType: LinkType.ETHERNET,
    spec: v4,
    opts: { vlanIds: [1, 2, 3] },
    header: ETH + '81000001' + '81000002' + '81000003' + '0800',
  },
  { name: 'Linux SLL IPv4', linkType: LinkType.LINUX_SLL, spec: v4, header: '0000' + '0001' + '0006' + '0200000000010000' + '0800' },
  { name: 'Linux SLL IPv6', linkType: LinkType.LINUX_SLL, spec: v6, header: '0000' + '0001' + '0006' + '0200000000010000' + '86dd' },
  { name: 'Linux SLL2 IPv4', linkType: LinkType.LINUX_SLL2, spec: v4, header: '0800' + '0000' + '00000001' + '0001' + '00' + '06' + '0200000000010000' },
  { name: 'Linux SLL2 IPv6', linkType: LinkType.LINUX_SLL2, spec: v6, header: '86dd' + '0000' + '00000001' + '0001' + '00' + '06' + '0200000000010000' },
  { name: 'NULL AF_INET little-endian', linkType: LinkType.NULL, spec: v4, opts: { nullByteOrder: 'le' }, header: '02000000' },
  { name: 'NULL AF_INET big-endian', linkType: LinkType.NULL, spec: v4, opts: { nullByteOrder: 'be' }, header: '00000002' },
  { name: 'NULL AF_INET6=24 little-endian', linkType: LinkType.NULL, spec: v6, opts: { af6: 24 }, header: '18000000' },
  { name: 'NULL AF_INET6=28 little-endian', linkType: LinkType.NULL, spec: v6, opts: { af6: 28 }, header: '1c000000' },
  { name: 'NULL AF_INET6=30 little-endian (macOS lo0)', linkType: LinkType.NULL, spec: v6, opts: { af6: 30 }, header: '1e000000' },
  { name: 'NULL AF_INET6=24 big-endian', linkType: LinkType.NULL, spec: v6, opts: { af6: 24, nullByteOrder: 'be' }, header: '00000018' },
  { name: 'NULL AF_INET6=28 big-endian', linkType: LinkType.NULL, spec: v6, opts: { af6: 28, nullByteOrder: 'be' }, header: '0000001c' },
  { name: 'NULL AF_INET6=30 big-endian', linkType: LinkType.NULL, spec: v6, opts: { af6: 30, nullByteOrder: 'be' }, header: '0000001e' },
  { name: 'LOOP AF_INET', linkType: LinkType.LOOP, spec: v4, header: '00000002' },
  { name: 'LOOP AF_INET6', linkType: LinkType.LOOP, spec: v6, opts: { af6: 28 }, header: '0000001c' },
  // PPPoE session: ver/type 11, code 00, session id, length (2 + IP length: 58 for v4, 78 for v6), PPP protocol.
  { name: 'Ethernet PPPoE IPv4', linkType: LinkType.ETHERNET, spec: v4, opts: { pppoeSessionId: 1 }, header: ETH + '8864' + '1100' + '0001' + '003c' + '0021' },
  { name: 'Ethernet PPPoE IPv6', linkType: LinkType.ETHERNET, spec: v6, opts: { pppoeSessionId: 0x1234 }, header: ETH + '8864' + '1100' + '1234' + '0050' + '0057' },
  {
    name: 'Ethernet 802.1Q PPPoE IPv6',
    linkType: LinkType.ETHERNET,
    spec: v6,
    opts: { vlanIds: [100], pppoeSessionId: 7 },
    header: ETH + '81000064' + '8864' + '1100' + '0007' + '0050' + '0057',
  },
  {
    name: 'Ethernet QinQ PPPoE IPv4 (PcapPlusPlus one_http_stream_rst.pcap layout)',
    linkType: LinkType.ETHERNET,
    spec: v4,
    opts: { vlanIds: [10, 20], qinq: true, pppoeSessionId: 0xbeef },
    header: ETH + '88a8000a' + '81000014' + '8864' + '1100' + 'beef' + '003c' + '0021',
  },
  { name: 'RAW (101) IPv4', linkType: LinkType.RAW, spec: v4, header: '45' },
  { name: 'RAW (101) IPv6', linkType: LinkType.RAW, spec: v6, header: '60' },
  { name: 'DLT_RAW (12) IPv4', linkType: LinkType.DLT_RAW, spec: v4, header: '45' },
  { name: 'DLT_RAW (12) IPv6', linkType: LinkType.DLT_RAW, spec: v6, header: '60' },
  { name: 'DLT_RAW on OpenBSD (14) IPv4', linkType: LinkType.DLT_RAW_OPENBSD, spec: v4, header: '45' },
  { name: 'DLT_RAW on OpenBSD (14) IPv6', linkType: LinkType.DLT_RAW_OPENBSD, spec: v6, header: '60' },
  { name: 'IPV4 (228)', linkType: LinkType.IPV4, spec: v4, header: '45' },
  { name: 'IPV6 (229)', linkType: LinkType.IPV6, spec: v6, header: '60' },
];

describe('every link type yields the same segment', () => {
  it.each(cases)('$name', ({ linkType, spec, opts, header }) => {
    const data = buildFrame(linkType, spec, opts);
    expect(hex(data.subarray(0, header.length / 2))).toBe(header);
    const decoder = new Decoder();
    const segment = decoder.decode(toFrame(data, linkType, { index: 7, time: 1.5 }));
    expect(segment).not.toBeNull();
    expect(segment!.frame).toBe(7);
    expect(segment!.time).toBe(1.5);
    expect(segment!.ipVersion).toBe(spec === v4 ? 4 : 6);
    expect(segment!.src).toBe(spec === v4 ? '192.168.1.10' : '2001:db8::10');
    expect(segment!.dst).toBe(spec === v4 ? '10.0.0.1' : 'fe80::1');
    expect(segment!.srcPort).toBe(51000);
    expect(segment!.dstPort).toBe(80);
    expect(segment!.seq).toBe(4294967280);
    expect(segment!.ack).toBe(2147483649);
    expect(segment!.flags).toBe(0x18);
    expect(segment!.window).toBe(501);
    expect(Buffer.from(segment!.payload).toString('latin1')).toBe('GET / HTTP/1.1\r\n\r\n');
    expect(segment!.payloadLength).toBe(18);
    expect(segment!.options).toEqual({});
    // Zero copy: the payload is a view of the frame's own buffer.
    expect(segment!.payload.buffer).toBe(data.buffer);
    expect(decoder.stats).toMatchObject({ frames: 1, tcp: 1, malformed: 0, truncated: 0 });
  });
});

describe('decodeLink', () => {
  const out = newLinkResult();

  it('reports the network-header offset and protocol', () => {
    const ip = buildTcpIpPacket(v4);
    const table: Array<[number, LinkOptions, number]> = [
      [LinkType.ETHERNET, {}, 14],
      [LinkType.ETHERNET, { vlanIds: [5] }, 18],
      [LinkType.ETHERNET, { vlanIds: [5, 6], qinq: true }, 22],
      [LinkType.LINUX_SLL, {}, 16],
      [LinkType.LINUX_SLL2, {}, 20],
      [LinkType.NULL, {}, 4],
      [LinkType.LOOP, {}, 4],
      [LinkType.RAW, {}, 0],
      [LinkType.DLT_RAW, {}, 0],
      [LinkType.DLT_RAW_OPENBSD, {}, 0],
      [LinkType.IPV4, {}, 0],
      [LinkType.ETHERNET, { pppoeSessionId: 1 }, 22],
      [LinkType.ETHERNET, { vlanIds: [5], pppoeSessionId: 1 }, 26],
      [LinkType.ETHERNET, { vlanIds: [5, 6], qinq: true, pppoeSessionId: 1 }, 30],
    ];
    for (const [linkType, opts, offset] of table) {
      const data = buildFrame(linkType, v4, opts);
      expect(decodeLink(data, linkType, data.length, out), `link ${linkType}`).toBe('ok');
      expect(out.offset).toBe(offset);
      expect(out.ipVersion).toBe(4);
      expect(data.length - out.offset).toBe(ip.length);
      expect(out.wireEnd).toBe(data.length);
    }
  });

  it('accepts the old 0x9100 QinQ tag', () => {
    const data = buildFrame(LinkType.ETHERNET, v4, { vlanIds: [7, 8] });
    data[12] = 0x91;
    data[13] = 0x00;
    expect(decodeLink(data, LinkType.ETHERNET, data.length, out)).toBe('ok');
    expect(out.offset).toBe(22);
  });

  it('says what is not IP', () => {
    const arp = Uint8Array.from(Buffer.from('ffffffffffff020000000001' + '0806' + '0001080006040001' + '00'.repeat(20), 'hex'));
    expect(decodeLink(arp, LinkType.ETHERNET, arp.length, out)).toBe('not-ip');
    expect(out.protocol).toBe(0x0806);
    const nullUnknownAf = Uint8Array.from([7, 0, 0, 0, 0x45]);
    expect(decodeLink(nullUnknownAf, LinkType.NULL, 5, out)).toBe('not-ip');
    expect(out.protocol).toBe(7);
    expect(decodeLink(Uint8Array.from([0x20, 0]), LinkType.RAW, 2, out)).toBe('malformed');
    expect(decodeLink(arp, 147, arp.length, out)).toBe('unknown-link-type');
  });

  it('tells a snaplen cut from an impossible frame', () => {
    const short = new Uint8Array(10);
    expect(decodeLink(short, LinkType.ETHERNET, 60, out)).toBe('truncated');
    expect(decodeLink(short, LinkType.ETHERNET, 10, out)).toBe('malformed');
    const tagged = buildFrame(LinkType.ETHERNET, v4, { vlanIds: [1] }).subarray(0, 16);
    expect(decodeLink(tagged, LinkType.ETHERNET, 100, out)).toBe('truncated');
    expect(decodeLink(new Uint8Array(12), LinkType.LINUX_SLL, 12, out)).toBe('malformed');
    expect(decodeLink(new Uint8Array(0), LinkType.RAW, 40, out)).toBe('truncated');
  });

  it('reads DLT_RAW (12, 14) by the version nibble, like RAW (101)', () => {
    for (const linkType of [LinkType.DLT_RAW, LinkType.DLT_RAW_OPENBSD]) {
      expect(decodeLink(Uint8Array.from([0x45]), linkType, 20, out)).toBe('ok');
      expect(out).toMatchObject({ ipVersion: 4, protocol: 4, offset: 0 });
      expect(decodeLink(Uint8Array.from([0x60]), linkType, 40, out)).toBe('ok');
      expect(out).toMatchObject({ ipVersion: 6, protocol: 6, offset: 0 });
      // OpenBSD's DLT_LOOP once shared 12: its big-endian AF starts with 0, which is no IP version.
      expect(decodeLink(Uint8Array.from([0, 0, 0, 2, 0x45]), linkType, 5, out)).toBe('malformed');
    }
  });
});

describe('PPPoE session frames', () => {
  const out = newLinkResult();
  /** Ethernet → PPPoE (session 1) → IPv4: the PPPoE header at 14, the PPP protocol at 20, IP at 22. */
  const framed = (spec: TcpPacketSpec = v4, opts: LinkOptions = {}) => buildFrame(LinkType.ETHERNET, spec, { pppoeSessionId: 1, ...opts });

  function decodeOne(data: Uint8Array, originalLength = data.length) {
    const decoder = new Decoder();
    const segment = decoder.decode(toFrame(data, LinkType.ETHERNET, { originalLength }));
    return { segment, stats: decoder.stats };
  }

  it('a PPPoE header cut by the snaplen is truncated; the same bytes as the whole frame are malformed', () => {
    const data = framed();
    for (const cut of [14, 17, 19, 20, 21]) {
      expect(decodeLink(data.subarray(0, cut), LinkType.ETHERNET, data.length, out), `cut at ${cut}`).toBe('truncated');
      expect(decodeLink(data.subarray(0, cut), LinkType.ETHERNET, cut, out), `${cut}-byte frame`).toBe('malformed');
    }
    expect(decodeOne(data.subarray(0, 18), data.length).stats).toMatchObject({ frames: 1, truncated: 1, malformed: 0, tcp: 0 });
  });

  it('a PPPoE length beyond the frame on the wire is malformed, and nothing past the frame is read', () => {
    const data = framed();
    // 22 + 58 bytes of IP = 80 bytes; the PPP frame is 60. One byte more than the frame holds:
    data[18] = 0x00;
    data[19] = 61;
    expect(decodeLink(data, LinkType.ETHERNET, data.length, out)).toBe('malformed');
    data[19] = 0xff;
    data[18] = 0xff;
    expect(decodeOne(data).stats).toMatchObject({ frames: 1, malformed: 1, truncated: 0, tcp: 0 });
    // The same length in a frame the snaplen cut is possible: the wire had the bytes.
    data[18] = 0x00;
    data[19] = 60;
    expect(decodeOne(data.subarray(0, 30), 80).stats).toMatchObject({ truncated: 1, malformed: 0 });
  });

  it('a PPPoE length shorter than the IP packet is malformed (the IP length runs past the PPP frame)', () => {
    const data = framed();
    data[19] = 59;
    expect(decodeLink(data, LinkType.ETHERNET, data.length, out)).toBe('ok');
    expect(out.wireEnd).toBe(79);
    expect(decodeOne(data).stats).toMatchObject({ malformed: 1, tcp: 0 });
  });

  it('the PPPoE length, not the frame, ends the packet: a trailer after it is not payload', () => {
    // IPv6 payload length 0 (a GSO super-packet) means "to the end of the frame": PPPoE says where that is.
    const trailer = Uint8Array.from([0xde, 0xad, 0xbe, 0xef]);
    const data = Uint8Array.from([...framed(v6), ...trailer]);
    data[22 + 4] = 0;
    data[22 + 5] = 0;
    const { segment, stats } = decodeOne(data);
    expect(stats).toMatchObject({ tcp: 1, malformed: 0 });
    expect(Buffer.from(segment!.payload).toString('latin1')).toBe('GET / HTTP/1.1\r\n\r\n');
    expect(segment!.payloadLength).toBe(18);
  });

  it('PPP protocols other than IPv4 and IPv6 are not IP', () => {
    const data = framed();
    data[20] = 0xc0; // LCP
    data[21] = 0x21;
    expect(decodeLink(data, LinkType.ETHERNET, data.length, out)).toBe('not-ip');
    expect(out.protocol).toBe(0xc021);
    expect(decodeOne(data).stats).toMatchObject({ frames: 1, nonIp: 1, malformed: 0 });
  });

  it('PPPoE discovery frames (0x8863) are not IP', () => {
    // PADI: ver/type 11, code 09, session 0, length 4, tag Service-Name (0101) of length 0.
    const padi = Uint8Array.from(Buffer.from('ffffffffffff' + '020000000001' + '8863' + '1109' + '0000' + '0004' + '01010000', 'hex'));
    expect(decodeLink(padi, LinkType.ETHERNET, padi.length, out)).toBe('not-ip');
    expect(out.protocol).toBe(0x8863);
  });

  it('a wrong PPPoE version, type or code, or a length with no room for the protocol, is malformed', () => {
    const edits: Array<[string, number, number]> = [
      ['version 2', 14, 0x21],
      ['type 2', 14, 0x12],
      ['code PADT in a session frame', 15, 0xa7],
    ];
    for (const [label, at, value] of edits) {
      const data = framed();
      data[at] = value;
      expect(decodeLink(data, LinkType.ETHERNET, data.length, out), label).toBe('malformed');
    }
    const data = framed();
    data[19] = 0;
    expect(decodeLink(data, LinkType.ETHERNET, data.length, out), 'length 0').toBe('malformed');
    data[19] = 1;
    expect(decodeLink(data, LinkType.ETHERNET, data.length, out), 'length 1 with a 2-byte protocol').toBe('malformed');
  });

  it('reads a compressed (one-byte) PPP protocol field', () => {
    // RFC 1661 §6.5: 0x21 alone is IPv4.
    const full = framed();
    const ip = full.subarray(22);
    const data = Uint8Array.from([...full.subarray(0, 18), 0x00, 1 + ip.length, 0x21, ...ip]);
    expect(decodeLink(data, LinkType.ETHERNET, data.length, out)).toBe('ok');
    expect(out).toMatchObject({ ipVersion: 4, protocol: 0x21, offset: 21, wireEnd: data.length });
    expect(decodeOne(data).segment).toMatchObject({ src: '192.168.1.10', dst: '10.0.0.1', payloadLength: 18 });
  });

  it('Ethernet padding after a short PPP frame is not part of the packet', () => {
    const icmp = buildIpPacket({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 1, payload: Uint8Array.from([8, 0, 0xf7, 0xff, 0, 0, 0, 0]) });
    const data = wrapLink(LinkType.ETHERNET, icmp, { pppoeSessionId: 1, pad: true });
    // 14 + 8 (PPPoE) + 28 (IP) = 50 bytes, padded to the 60-byte minimum.
    expect(data.length).toBe(60);
    expect(decodeLink(data, LinkType.ETHERNET, data.length, out)).toBe('ok');
    expect(out).toMatchObject({ ipVersion: 4, offset: 22, wireEnd: 50 });
    expect(decodeOne(data).stats).toMatchObject({ frames: 1, icmp: 1, malformed: 0 });
  });
});
