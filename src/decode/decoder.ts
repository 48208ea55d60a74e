import type { Frame } from '../capture/frame.js';
import { formatIPv4, formatIPv6 } from './address.js';
import { FragmentReassembler, fragmentKey, type FragmentStats } from './ipv4-fragments.js';
import { IpProtocol, decodeIpv4, newIpv4Header } from './ipv4.js';
import { decodeIpv6, newIpv6Header, walkIpv6Extensions } from './ipv6.js';
import { decodeLink, newLinkResult } from './link.js';
import type { Segment } from './segment.js';
import { newDecodeStats, type DecodeStats } from './stats.js';
import { decodeTcp, newTcpHeader } from './tcp.js';

export type { DecodeStats } from './stats.js';

/**
 * Frame → Segment. Never throws on traffic. Allocates nothing per frame but the Segment (and an
 * options object when the segment has options): the per-layer results live in scratch objects
 * owned by this decoder, so a Decoder must not be shared by concurrent pipelines.
 *
 * A Segment's `payload` is a view into the frame's data (or, for a reassembled datagram, into a
 * fresh buffer); its `options` object may be shared between segments and must not be mutated.
 */
export class Decoder {
  /** Read it at any time; the object stays the same, its counters grow. */
  readonly stats: DecodeStats = newDecodeStats();

  private readonly reassembler = new FragmentReassembler();
  private readonly link = newLinkResult();
  private readonly ip4 = newIpv4Header();
  private readonly ip6 = newIpv6Header();
  private readonly tcpHeader = newTcpHeader();

  /** Overlaps, conflicts, expiries and evictions in fragment reassembly. */
  get fragmentStats(): Readonly<FragmentStats> {
    return this.reassembler.stats;
  }

  decode(frame: Frame): Segment | null {
    const stats = this.stats;
    stats.frames++;
    const data = frame.data;
    // A writer that stored originalLength < caplen is wrong about the wire, not about the bytes.
    const wireLength = frame.originalLength > data.length ? frame.originalLength : data.length;
    const link = this.link;
    const linkType = frame.linkType;
    switch (decodeLink(data, linkType, wireLength, link)) {
      case 'ok':
        break;
      case 'not-ip':
        stats.nonIp++;
        return null;
      case 'truncated':
        stats.truncated++;
        return null;
      case 'malformed':
        stats.malformed++;
        return null;
      case 'unknown-link-type':
        stats.unknownLinkType++;
        stats.unknownLinkTypes[linkType] = (stats.unknownLinkTypes[linkType] ?? 0) + 1;
        return null;
    }
    // link.wireEnd, not wireLength: a link header that states a length (PPPoE) ends the packet there.
    return link.ipVersion === 4 ? this.decodeIpv4(frame, link.offset, link.wireEnd) : this.decodeIpv6(frame, link.offset, link.wireEnd);
  }

  private decodeIpv4(frame: Frame, off: number, wireEnd: number): Segment | null {
    const data = frame.data;
    const ip = this.ip4;
    const status = decodeIpv4(data, off, wireEnd, ip);
    if (status !== 'ok') {
      if (status === 'truncated') this.stats.truncated++;
      else this.stats.malformed++;
      return null;
    }
    if (ip.moreFragments || ip.fragmentOffset !== 0) return this.ipv4Fragment(frame, off);
    return this.transport(frame, 4, data, off + 12, off + 16, data, ip.protocol, ip.payloadOffset, ip.payloadEnd, ip.payloadWireEnd);
  }

  private ipv4Fragment(frame: Frame, off: number): Segment | null {
    const data = frame.data;
    const ip = this.ip4;
    // A fragment the capture cut cannot complete its datagram (which will expire): count it as
    // truncated, not as a fragment fed to the reassembler.
    if (ip.payloadEnd < ip.payloadWireEnd) {
      this.stats.truncated++;
      return null;
    }
    this.stats.fragments++;
    const key = fragmentKey(formatIPv4(data, off + 12), formatIPv4(data, off + 16), ip.id, ip.protocol);
    const payload = data.subarray(ip.payloadOffset, ip.payloadEnd);
    const datagram = this.reassembler.add(key, frame.time, ip.fragmentOffset, ip.moreFragments, payload, ip.protocol);
    if (datagram === null) return null;
    this.stats.reassembledDatagrams++;
    const whole = datagram.payload;
    return this.transport(frame, 4, data, off + 12, off + 16, whole, ip.protocol, 0, whole.length, whole.length);
  }

  private decodeIpv6(frame: Frame, off: number, wireEnd: number): Segment | null {
    const data = frame.data;
    const ip = this.ip6;
    switch (decodeIpv6(data, off, wireEnd, ip)) {
      case 'ok':
        return this.transport(frame, 6, data, off + 8, off + 24, data, ip.protocol, ip.payloadOffset, ip.payloadEnd, ip.payloadWireEnd);
      case 'fragment':
        return this.ipv6Fragment(frame, off);
      case 'truncated':
        this.stats.truncated++;
        return null;
      case 'malformed':
        this.stats.malformed++;
        return null;
    }
  }

  private ipv6Fragment(frame: Frame, off: number): Segment | null {
    const data = frame.data;
    const ip = this.ip6;
    if (ip.payloadEnd < ip.payloadWireEnd) {
      this.stats.truncated++;
      return null;
    }
    this.stats.fragments++;
    const key = fragmentKey(formatIPv6(data, off + 8), formatIPv6(data, off + 24), ip.fragmentId, IpProtocol.IPV6_FRAGMENT);
    const payload = data.subarray(ip.payloadOffset, ip.payloadEnd);
    const datagram = this.reassembler.add(key, frame.time, ip.fragmentOffset, ip.moreFragments, payload, ip.fragmentNextHeader);
    if (datagram === null) return null;
    this.stats.reassembledDatagrams++;
    // The fragmentable part may itself start with extension headers (destination options…).
    const whole = datagram.payload;
    ip.payloadEnd = whole.length;
    ip.payloadWireEnd = whole.length;
    const status = walkIpv6Extensions(whole, 0, datagram.protocol, ip);
    if (status !== 'ok') {
      // A fragment header inside a reassembled datagram, or a chain running past its end.
      this.stats.malformed++;
      return null;
    }
    return this.transport(frame, 6, data, off + 8, off + 24, whole, ip.protocol, ip.payloadOffset, whole.length, whole.length);
  }

  /**
   * The transport layer of an IP packet whose addresses are at `addressData[srcOff/dstOff]` and
   * whose payload is `data[off..capturedEnd)` (`wireEnd` on the wire). Only TCP yields a Segment.
   */
  private transport(
    frame: Frame,
    ipVersion: 4 | 6,
    addressData: Uint8Array,
    srcOff: number,
    dstOff: number,
    data: Uint8Array,
    protocol: number,
    off: number,
    capturedEnd: number,
    wireEnd: number,
  ): Segment | null {
    const stats = this.stats;
    if (protocol !== IpProtocol.TCP) {
      if (protocol === IpProtocol.UDP) stats.udp++;
      else if (protocol === IpProtocol.ICMP || protocol === IpProtocol.ICMPV6) stats.icmp++;
      else stats.otherIp++;
      return null;
    }
    const tcp = this.tcpHeader;
    const status = decodeTcp(data, off, capturedEnd, wireEnd, tcp);
    if (status !== 'ok') {
      if (status === 'truncated') stats.truncated++;
      else stats.malformed++;
      return null;
    }
    stats.tcp++;
    if (capturedEnd < wireEnd) stats.truncatedPayloads++;
    if (tcp.optionsMalformed) stats.tcpOptionErrors++;
    const v4 = ipVersion === 4;
    return {
      frame: frame.index,
      time: frame.time,
      fileOffset: frame.fileOffset,
      ipVersion,
      // The identification sits 8 bytes before the IPv4 source address (header bytes 4-5).
      ipId: v4 ? (addressData[srcOff - 8] << 8) | addressData[srcOff - 7] : -1,
      src: v4 ? formatIPv4(addressData, srcOff) : formatIPv6(addressData, srcOff),
      srcPort: tcp.srcPort,
      dst: v4 ? formatIPv4(addressData, dstOff) : formatIPv6(addressData, dstOff),
      dstPort: tcp.dstPort,
      seq: tcp.seq,
      ack: tcp.ack,
      flags: tcp.flags,
      window: tcp.window,
      options: tcp.options,
      payload: data.subarray(tcp.payloadOffset, capturedEnd),
      payloadLength: wireEnd - tcp.payloadOffset,
    };
  }
}
