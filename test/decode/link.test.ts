import { describe, expect, it } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { buildFrame, buildTcpIpPacket, toFrame, type LinkOptions, type TcpPacketSpec } from '../../src/decode/build.js';
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
  { name: 'RAW (101) IPv4', linkType: LinkType.RAW, spec: v4, header: '45' },
  { name: 'RAW (101) IPv6', linkType: LinkType.RAW, spec: v6, header: '60' },
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
      [LinkType.IPV4, {}, 0],
    ];
    for (const [linkType, opts, offset] of table) {
      const data = buildFrame(linkType, v4, opts);
      expect(decodeLink(data, linkType, data.length, out), `link ${linkType}`).toBe('ok');
      expect(out.offset).toBe(offset);
      expect(out.ipVersion).toBe(4);
      expect(data.length - out.offset).toBe(ip.length);
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
});
