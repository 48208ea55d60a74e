import { describe, expect, it } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { buildFrame, buildIpPacket, toFrame, wrapLink, type TcpPacketSpec } from '../../src/synth/packets.js';
import { Decoder } from '../../src/decode/decoder.js';
import { TcpFlag } from '../../src/decode/segment.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));

describe('real frames (tcpdump -xx on lo, compared with tshark -T fields)', () => {
  // curl → python3 -m http.server on 127.0.0.1:8765, Linux lo (LINKTYPE_ETHERNET, zero MACs).
  it('frame 1: SYN with MSS, SACK_PERM, timestamps, window scale', () => {
    const data = hex(`
      0000 0000 0000 0000 0000 0000 0800 4500
      003c 3332 4000 4006 0988 7f00 0001 7f00
      0001 bcd2 223d 85cf e574 0000 0000 a002
      ffd7 fe30 0000 0204 ffd7 0402 080a 0a3f
      4f0d 0000 0000 0103 030a`);
    const s = new Decoder().decode(toFrame(data, LinkType.ETHERNET, { index: 1 }));
    // tshark: ip.src ip.dst tcp.srcport tcp.dstport tcp.seq_raw tcp.ack_raw tcp.flags tcp.window_size_value tcp.len
    //         tcp.options.mss_val tcp.options.wscale.shift tcp.options.timestamp.tsval tcp.options.timestamp.tsecr
    // 127.0.0.1 127.0.0.1 48338 8765 2244994420 0 0x0002 65495 0 65495 10 171921165 0
    expect(s).toMatchObject({ frame: 1, ipVersion: 4, src: '127.0.0.1', dst: '127.0.0.1', srcPort: 48338, dstPort: 8765 });
    expect(s).toMatchObject({ seq: 2244994420, ack: 0, flags: 0x0002, window: 65495, payloadLength: 0 });
    expect(s!.options).toStrictEqual({ mss: 65495, sackPermitted: true, timestamp: [171921165, 0], windowScale: 10 });
  });

  it('frame 4: the GET request', () => {
    const data = hex(`
      0000 0000 0000 0000 0000 0000 0800 4500
      0082 3334 4000 4006 0940 7f00 0001 7f00
      0001 bcd2 223d 85cf e575 29c5 091b 8018
      0040 fe76 0000 0101 080a 0a3f 4f0d 939b
      ffeb 4745 5420 2f20 4854 5450 2f31 2e31
      0d0a 486f 7374 3a20 3132 372e 302e 302e
      313a 3837 3635 0d0a 5573 6572 2d41 6765
      6e74 3a20 6375 726c 2f37 2e38 382e 310d
      0a41 6363 6570 743a 202a 2f2a 0d0a 0d0a`);
    const s = new Decoder().decode(toFrame(data, LinkType.ETHERNET, { index: 4 }));
    // tshark: 127.0.0.1 127.0.0.1 48338 8765 2244994421 700778779 0x0018 64 78 - - 171921165 2476474347
    //         tcp.payload 474554202f20485454502f312e310d0a486f73743a203132372e302e302e313a383736350d0a…
    expect(s).toMatchObject({ frame: 4, src: '127.0.0.1', dst: '127.0.0.1', srcPort: 48338, dstPort: 8765 });
    expect(s).toMatchObject({ seq: 2244994421, ack: 700778779, flags: 0x0018, window: 64, payloadLength: 78 });
    expect(s!.options).toStrictEqual({ timestamp: [171921165, 2476474347] });
    expect(Buffer.from(s!.payload).toString('hex')).toBe(
      '474554202f20485454502f312e310d0a486f73743a203132372e302e302e313a383736350d0a557365722d4167656e743a206375726c2f372e38382e310d0a4163636570743a202a2f2a0d0a0d0a',
    );
  });

  it('IPv6 SYN to [::1]:8766', () => {
    const data = hex(`
      0000 0000 0000 0000 0000 0000 86dd 600d
      c9fb 0028 0640 0000 0000 0000 0000 0000
      0000 0000 0001 0000 0000 0000 0000 0000
      0000 0000 0001 9e4e 223e 19ed b657 0000
      0000 a002 ffc4 0030 0000 0204 ffc4 0402
      080a c133 692d 0000 0000 0103 030a`);
    const s = new Decoder().decode(toFrame(data, LinkType.ETHERNET));
    // tshark: ::1 ::1 40526 8766 435009111 0 0x0002 65476 0 65476 10 3241371949 0 (sack_perm present)
    expect(s).toMatchObject({ ipVersion: 6, src: '::1', dst: '::1', srcPort: 40526, dstPort: 8766 });
    expect(s).toMatchObject({ seq: 435009111, ack: 0, flags: 0x0002, window: 65476, payloadLength: 0 });
    expect(s!.options).toStrictEqual({ mss: 65476, sackPermitted: true, timestamp: [3241371949, 0], windowScale: 10 });
  });
});

const spec: TcpPacketSpec = {
  src: '10.1.1.1',
  dst: '10.2.2.2',
  srcPort: 1234,
  dstPort: 80,
  seq: 1,
  ack: 1,
  flags: TcpFlag.ACK,
  payload: new Uint8Array(100).fill(0x61),
};

describe('truncated and malformed frames', () => {
  const full = buildFrame(LinkType.ETHERNET, spec); // 14 + 20 + 20 + 100 = 154 bytes

  it('cut mid-TCP-header: truncated, no segment', () => {
    const decoder = new Decoder();
    expect(decoder.decode(toFrame(full.subarray(0, 14 + 20 + 10), LinkType.ETHERNET, { originalLength: 154 }))).toBeNull();
    expect(decoder.stats).toMatchObject({ frames: 1, truncated: 1, malformed: 0, tcp: 0 });
  });

  it('cut mid-IP-header: truncated, no segment', () => {
    const decoder = new Decoder();
    expect(decoder.decode(toFrame(full.subarray(0, 14 + 12), LinkType.ETHERNET, { originalLength: 154 }))).toBeNull();
    expect(decoder.stats.truncated).toBe(1);
  });

  it('cut in the payload: a segment with the captured bytes and the wire length', () => {
    const decoder = new Decoder();
    const s = decoder.decode(toFrame(full.subarray(0, 14 + 40 + 5), LinkType.ETHERNET, { originalLength: 154 }));
    expect(s!.payload.length).toBe(5);
    expect(s!.payloadLength).toBe(100);
    expect(decoder.stats).toMatchObject({ tcp: 1, truncated: 0, truncatedPayloads: 1 });
  });

  it('a frame shorter than its IP length without a snaplen cut is malformed', () => {
    const decoder = new Decoder();
    expect(decoder.decode(toFrame(full.subarray(0, 100), LinkType.ETHERNET))).toBeNull();
    expect(decoder.stats).toMatchObject({ malformed: 1, truncated: 0 });
  });

  it('a TCP data offset past the IP payload is malformed', () => {
    const tiny = buildFrame(LinkType.ETHERNET, { ...spec, payload: '' });
    tiny[14 + 20 + 12] = 0xf0;
    const decoder = new Decoder();
    expect(decoder.decode(toFrame(tiny, LinkType.ETHERNET))).toBeNull();
    expect(decoder.stats.malformed).toBe(1);
    // The same data offset in a 120-byte segment is fine: 60 header bytes, 60 payload bytes.
    const roomy = full.slice();
    roomy[14 + 20 + 12] = 0xf0;
    expect(new Decoder().decode(toFrame(roomy, LinkType.ETHERNET))!.payloadLength).toBe(60);
  });
});

describe('what is not TCP is counted', () => {
  it('UDP, ICMP, ARP, other IP, unknown link type', () => {
    const decoder = new Decoder();
    const udp = wrapLink(LinkType.ETHERNET, buildIpPacket({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: Uint8Array.from([0, 53, 0, 53, 0, 8, 0, 0]) }));
    const icmp = wrapLink(LinkType.ETHERNET, buildIpPacket({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 1, payload: Uint8Array.from([8, 0, 0xf7, 0xff, 0, 0, 0, 0]) }));
    const gre = wrapLink(LinkType.NULL, buildIpPacket({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 47, payload: new Uint8Array(4) }));
    const arp = hex('ffffffffffff 020000000001 0806 0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002');
    const frames: Array<[Uint8Array, number]> = [
      [udp, LinkType.ETHERNET],
      [icmp, LinkType.ETHERNET],
      [gre, LinkType.NULL],
      [arp, LinkType.ETHERNET],
      [arp, 147],
      [buildFrame(LinkType.ETHERNET, spec), LinkType.ETHERNET],
    ];
    for (const [data, linkType] of frames) decoder.decode(toFrame(data, linkType));
    expect(decoder.stats).toStrictEqual({
      frames: 6,
      tcp: 1,
      udp: 1,
      icmp: 1,
      otherIp: 1,
      nonIp: 1,
      unknownLinkType: 1,
      unknownLinkTypes: { 147: 1 },
      malformed: 0,
      truncated: 0,
      fragments: 0,
      reassembledDatagrams: 0,
      truncatedPayloads: 0,
      tcpOptionErrors: 0,
    });
  });
});

describe('frames of an unknown link type are counted by link type', () => {
  it('keeps one counter per LINKTYPE, and the stats survive a JSON round trip', () => {
    const decoder = new Decoder();
    const bytes = new Uint8Array(40);
    const linkTypes = [147, 147, 9, 147, 162, 9];
    linkTypes.forEach((linkType, i) => decoder.decode(toFrame(bytes, linkType, { index: i + 1 })));
    decoder.decode(toFrame(buildFrame(LinkType.ETHERNET, spec), LinkType.ETHERNET, { index: 7 }));
    expect(decoder.stats).toMatchObject({ frames: 7, tcp: 1, unknownLinkType: 6, nonIp: 0, malformed: 0 });
    expect(decoder.stats.unknownLinkTypes).toStrictEqual({ 9: 2, 147: 3, 162: 1 });
    // The lead puts the stats into the JSON capture summary as they are.
    expect(JSON.parse(JSON.stringify(decoder.stats)).unknownLinkTypes).toStrictEqual({ '9': 2, '147': 3, '162': 1 });
  });

  it('does not count link types it decodes, even when their frames are not IP', () => {
    const decoder = new Decoder();
    decoder.decode(toFrame(Uint8Array.from([0x20, 0, 0, 0]), LinkType.DLT_RAW));
    decoder.decode(toFrame(new Uint8Array(0), LinkType.DLT_RAW_OPENBSD, { originalLength: 40 }));
    expect(decoder.stats).toMatchObject({ frames: 2, malformed: 1, truncated: 1, unknownLinkType: 0, unknownLinkTypes: {} });
  });
});

describe('never throws on traffic', () => {
  /** Deterministic PRNG (mulberry32) so a failure is reproducible. */
  function random(seed: number): () => number {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it('survives random bytes and bit-flipped valid frames on every link type', () => {
    const next = random(1);
    const decoder = new Decoder();
    const linkTypes = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276];
    const valid = [
      buildFrame(LinkType.RAW, { ...spec, options: { mss: 1460, sack: [[1, 2]], timestamp: [3, 4] } }),
      buildFrame(LinkType.RAW, { ...spec, src: '::1', dst: '::2', ipv6ExtensionHeaders: [{ nextHeaderType: 0, body: new Uint8Array(6) }] }),
    ];
    let frames = 0;
    for (let i = 0; i < 20000; i++) {
      const linkType = linkTypes[i % linkTypes.length];
      // 228/229 carry exactly what RAW carries; only the builder refuses the wrong version on them.
      const wrapAs = linkType === 228 || linkType === 229 ? LinkType.RAW : linkType;
      let data: Uint8Array;
      if (i % 2 === 0) {
        data = Uint8Array.from({ length: Math.floor(next() * 120) }, () => Math.floor(next() * 256));
      } else {
        data = wrapLink(wrapAs, valid[i % 4 < 2 ? 0 : 1]);
        for (let flips = 0; flips < 3; flips++) data[Math.floor(next() * data.length)] ^= 1 << Math.floor(next() * 8);
        data = data.subarray(0, Math.floor(next() * (data.length + 1)));
      }
      const originalLength = next() < 0.5 ? data.length : data.length + Math.floor(next() * 100);
      decoder.decode(toFrame(data, linkType, { originalLength, time: i }));
      frames++;
    }
    expect(decoder.stats.frames).toBe(frames);
  });
  it('survives bit-flipped and cut PPPoE frames behind VLAN tags', () => {
    const next = random(2);
    const decoder = new Decoder();
    const valid = [
      buildFrame(LinkType.ETHERNET, spec, { vlanIds: [10, 20], qinq: true, pppoeSessionId: 3 }),
      buildFrame(LinkType.ETHERNET, { ...spec, src: '::1', dst: '::2' }, { pppoeSessionId: 4 }),
    ];
    for (let i = 0; i < 5000; i++) {
      let data = valid[i % 2].slice();
      // Flip bits in the link headers (the first 30 bytes) where PPPoE's fields are.
      for (let flips = 0; flips < 2; flips++) data[Math.floor(next() * 30)] ^= 1 << Math.floor(next() * 8);
      data = data.subarray(0, Math.floor(next() * (data.length + 1)));
      const originalLength = next() < 0.5 ? data.length : data.length + Math.floor(next() * 100);
      decoder.decode(toFrame(data, LinkType.ETHERNET, { originalLength }));
    }
    const s = decoder.stats;
    expect(s.frames).toBe(5000);
    expect(s.tcp + s.udp + s.icmp + s.otherIp + s.nonIp + s.malformed + s.truncated + s.fragments).toBe(5000);
  });
});
