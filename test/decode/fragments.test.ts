import { describe, expect, it } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { buildTcpIpPacket, fragmentIPv4, fragmentIPv6, toFrame, wrapLink, type TcpPacketSpec } from '../../src/synth/packets.js';
import { Decoder } from '../../src/decode/decoder.js';
import {
  FRAGMENT_TIMEOUT_SECONDS,
  FragmentReassembler,
  MAX_PENDING_DATAGRAMS,
  insertRange,
} from '../../src/decode/ipv4-fragments.js';
import { TcpFlag } from '../../src/decode/segment.js';

const body = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7 + 3) & 0xff);
const spec: TcpPacketSpec = {
  src: '192.0.2.1',
  dst: '198.51.100.2',
  srcPort: 80,
  dstPort: 50123,
  seq: 123456789,
  ack: 987654321,
  flags: TcpFlag.ACK | TcpFlag.PSH,
  payload: body,
  ipId: 0xbeef,
};

/** The 3 fragments (IP payload 3020 = 1024 + 1024 + 972), each in an Ethernet frame. */
function fragments(s: TcpPacketSpec = spec): Uint8Array[] {
  return fragmentIPv4(buildTcpIpPacket(s), 1024).map((f) => wrapLink(LinkType.ETHERNET, f));
}

/** Feed `order` (0-based fragment numbers) as frames 1, 2, 3…; returns the segments and the decoder. */
function feed(frames: Uint8Array[], order: number[], times?: number[]) {
  const decoder = new Decoder();
  const segments = order
    .map((n, i) => decoder.decode(toFrame(frames[n], LinkType.ETHERNET, { index: i + 1, time: times ? times[i] : i * 0.001 })))
    .filter((s) => s !== null);
  return { decoder, segments };
}

describe('IPv4 fragment reassembly', () => {
  it('builds 3 fragments with the right offsets and flags', () => {
    const f = fragments();
    expect(f.map((x) => x.length - 14)).toEqual([1044, 1044, 992]);
    expect(f.map((x) => ((x[14 + 6] << 8) | x[14 + 7]).toString(16))).toEqual(['2000', '2080', '100']);
  });

  it.each([
    ['in order', [0, 1, 2]],
    ['last first', [2, 1, 0]],
    ['middle last', [0, 2, 1]],
    ['first last', [1, 2, 0]],
  ])('reassembles fragments delivered %s', (_name, order) => {
    const { decoder, segments } = feed(fragments(), order);
    expect(segments).toHaveLength(1);
    const s = segments[0];
    expect(s.frame).toBe(3); // the fragment that completed the datagram
    expect(s).toMatchObject({ src: '192.0.2.1', dst: '198.51.100.2', srcPort: 80, dstPort: 50123, seq: 123456789, ack: 987654321 });
    expect(s.payloadLength).toBe(3000);
    expect(Buffer.from(s.payload).equals(Buffer.from(body))).toBe(true);
    expect(decoder.stats).toMatchObject({ frames: 3, fragments: 3, reassembledDatagrams: 1, tcp: 1, malformed: 0, truncated: 0 });
  });

  it('yields once for a duplicated fragment and counts the overlap', () => {
    const { decoder, segments } = feed(fragments(), [0, 0, 1, 2]);
    expect(segments).toHaveLength(1);
    expect(segments[0].frame).toBe(4);
    expect(decoder.fragmentStats).toMatchObject({ overlaps: 1, conflicts: 0 });
  });

  it('keeps the first copy when a duplicate differs, and counts the conflict', () => {
    const f = fragments();
    const altered = f[1].slice();
    altered[14 + 20 + 10] ^= 0xff;
    const { decoder, segments } = feed([...f, altered], [1, 3, 0, 2]);
    expect(segments).toHaveLength(1);
    expect(Buffer.from(segments[0].payload).equals(Buffer.from(body))).toBe(true);
    expect(decoder.fragmentStats).toMatchObject({ overlaps: 1, conflicts: 1 });
  });

  it('never yields an incomplete datagram, and expires it after the timeout', () => {
    const f = fragments();
    const other = fragments({ ...spec, ipId: 1 });
    const { decoder, segments } = feed([...f, ...other], [0, 2, 3], [0, 1, FRAGMENT_TIMEOUT_SECONDS + 1]);
    expect(segments).toHaveLength(0);
    expect(decoder.stats).toMatchObject({ fragments: 3, reassembledDatagrams: 0, tcp: 0 });
    expect(decoder.fragmentStats.expired).toBe(1);
  });

  it('keeps datagrams apart by id', () => {
    const a = fragments();
    const b = fragments({ ...spec, ipId: 2, seq: 5 });
    const { segments } = feed([...a, ...b], [0, 3, 1, 4, 5, 2]);
    expect(segments.map((s) => [s.frame, s.seq])).toEqual([
      [5, 5],
      [6, 123456789],
    ]);
  });

  it('does not reassemble a fragment the capture cut, and counts it truncated', () => {
    const f = fragments();
    const decoder = new Decoder();
    decoder.decode(toFrame(f[0], LinkType.ETHERNET, { index: 1 }));
    decoder.decode(toFrame(f[1].subarray(0, 100), LinkType.ETHERNET, { index: 2, originalLength: f[1].length }));
    expect(decoder.decode(toFrame(f[2], LinkType.ETHERNET, { index: 3 }))).toBeNull();
    expect(decoder.stats).toMatchObject({ truncated: 1, fragments: 2 });
  });
});

describe('FragmentReassembler', () => {
  const bytes = (n: number, v: number) => new Uint8Array(n).fill(v);

  it('ignores fragments that disagree about the end', () => {
    const r = new FragmentReassembler();
    expect(r.add('k', 0, 16, false, bytes(8, 1), 6)).toBeNull(); // end = 24
    expect(r.add('k', 0, 16, true, bytes(16, 2), 6)).toBeNull(); // reaches 32 > 24
    expect(r.add('k', 0, 8, false, bytes(8, 3), 6)).toBeNull(); // second, different end
    expect(r.stats.inconsistent).toBe(2);
    const done = r.add('k', 0, 0, true, bytes(16, 4), 6);
    expect(Array.from(done!.payload)).toEqual([...bytes(16, 4), ...bytes(8, 1)]);
  });

  it('drops a datagram that grows past 64 KiB', () => {
    const r = new FragmentReassembler();
    r.add('k', 0, 0, true, bytes(8, 1), 6);
    expect(r.add('k', 0, 65528, true, bytes(16, 1), 6)).toBeNull();
    expect(r.stats.oversize).toBe(1);
    expect(r.pendingCount).toBe(0);
  });

  it('evicts the oldest datagram beyond MAX_PENDING_DATAGRAMS', () => {
    const r = new FragmentReassembler();
    for (let i = 0; i <= MAX_PENDING_DATAGRAMS; i++) r.add(`k${i}`, 0, 8, false, bytes(8, 1), 6);
    expect(r.pendingCount).toBe(MAX_PENDING_DATAGRAMS);
    expect(r.stats.evicted).toBe(1);
    expect(r.add('k1', 0, 0, true, bytes(8, 1), 6)).not.toBeNull();
    // k0 is gone: its first half now starts a new datagram instead of completing one.
    expect(r.add('k0', 0, 0, true, bytes(8, 1), 6)).toBeNull();
  });

  it('merges ranges', () => {
    const ranges: number[] = [];
    insertRange(ranges, 10, 20);
    insertRange(ranges, 30, 40);
    expect(ranges).toEqual([10, 20, 30, 40]);
    insertRange(ranges, 20, 30);
    expect(ranges).toEqual([10, 40]);
    insertRange(ranges, 0, 5);
    insertRange(ranges, 50, 60);
    insertRange(ranges, 3, 55);
    expect(ranges).toEqual([0, 60]);
  });
});

describe('IPv6 fragment reassembly', () => {
  const spec6: TcpPacketSpec = { ...spec, src: '2001:db8::1', dst: '2001:db8::2' };

  it.each([
    ['in order', [0, 1, 2]],
    ['reversed', [2, 1, 0]],
  ])('reassembles %s, behind a hop-by-hop header, with destination options in the fragmentable part', (_n, order) => {
    const packet = buildTcpIpPacket({
      ...spec6,
      ipv6ExtensionHeaders: [
        { nextHeaderType: 0, body: new Uint8Array(6) },
        { nextHeaderType: 60, body: new Uint8Array(6) },
      ],
    });
    const frames = fragmentIPv6(packet, 1024, 0x01020304).map((f) => wrapLink(LinkType.ETHERNET, f));
    expect(frames).toHaveLength(3);
    const { decoder, segments } = feed(frames, order);
    expect(segments).toHaveLength(1);
    expect(segments[0]).toMatchObject({ frame: 3, ipVersion: 6, src: '2001:db8::1', dst: '2001:db8::2', seq: 123456789, payloadLength: 3000 });
    expect(Buffer.from(segments[0].payload).equals(Buffer.from(body))).toBe(true);
    expect(decoder.stats).toMatchObject({ fragments: 3, reassembledDatagrams: 1, tcp: 1 });
  });

  it('decodes an atomic fragment (offset 0, M = 0) as a whole packet', () => {
    const packet = buildTcpIpPacket({ ...spec6, payload: 'hi', ipv6ExtensionHeaders: [{ nextHeaderType: 44, body: new Uint8Array(6) }] });
    const decoder = new Decoder();
    const s = decoder.decode(toFrame(packet, LinkType.IPV6));
    expect(Buffer.from(s!.payload).toString()).toBe('hi');
    expect(decoder.stats.fragments).toBe(0);
  });
});
