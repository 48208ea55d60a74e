import { concatBytes } from '../capture/bytes.js';
import { LinkType, type Frame } from '../capture/frame.js';
import { parseIPv4, parseIPv6 } from '../decode/address.js';
import { IpProtocol } from '../decode/ipv4.js';
import { BsdAf, EtherType, PppProtocol, decodeLink, newLinkResult } from '../decode/link.js';
import type { TcpOptions } from '../decode/segment.js';
import { TcpOptionKind } from '../decode/tcp.js';

/**
 * src/synth/ builds synthetic captures: it is used by the tests, the benchmark and
 * captures/make-lo0.mjs, never by the pipeline (which must not import from here).
 *
 * The inverse of the decoder: builds real packet bytes (correct lengths and checksums) for tests,
 * the benchmark's synthetic captures, and for converting Linux captures into macOS `lo0` (NULL)
 * ones. Not on any per-packet decode path, so it favours clarity, and it throws on bad *specs*
 * (they are programming errors, never traffic).
 */

export interface TcpPacketSpec {
  /** IPv4 dotted quad or IPv6 text; both addresses must be the same family, which picks the IP version. */
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack?: number;
  /** TcpFlag bits. */
  flags: number;
  /** Raw window field; default 65535. */
  window?: number;
  /** Encoded the way Linux lays them out (MSS, SACK-permitted + timestamps, NOP + window scale, NOP NOP + SACK). */
  options?: TcpOptions;
  /** A string is encoded as UTF-8. */
  payload?: Uint8Array | string;
  /** IPv4 identification; default 0. */
  ipId?: number;
  /** IPv4 TTL / IPv6 hop limit; default 64. */
  ttl?: number;
  /** Raw IPv4 options, padded with EOL to a multiple of 4 bytes (at most 40). */
  ipOptions?: Uint8Array;
  /**
   * IPv6 extension headers in order. `nextHeaderType` is the type *of this header* (0 hop-by-hop,
   * 43 routing, 44 fragment, 51 AH, 60 destination options); `body` is what follows its Next Header
   * and length bytes, zero-padded (Pad1 options) to the header's size unit. The Next Header and
   * length bytes are filled in.
   */
  ipv6ExtensionHeaders?: Array<{ nextHeaderType: number; body: Uint8Array }>;
}

export interface IpPacketSpec {
  src: string;
  dst: string;
  /** IP protocol / IPv6 next header of the payload (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6…). */
  protocol: number;
  payload: Uint8Array;
  ipId?: number;
  ttl?: number;
  ipOptions?: Uint8Array;
  ipv6ExtensionHeaders?: Array<{ nextHeaderType: number; body: Uint8Array }>;
}

export interface LinkOptions {
  /** Ethernet: 802.1Q VLAN ids, outermost first. */
  vlanIds?: number[];
  /** Ethernet: the outermost tag is an 802.1ad service tag (TPID 0x88a8) instead of 802.1Q. */
  qinq?: boolean;
  /** NULL: byte order of the 4-byte AF (the capturing host's); default 'le' (every current Mac). */
  nullByteOrder?: 'le' | 'be';
  /** NULL / LOOP: the AF_INET6 value to write; default 30 (macOS). */
  af6?: 24 | 28 | 30;
  /** Ethernet, SLL, SLL2: MAC addresses as "aa:bb:cc:dd:ee:ff". */
  srcMac?: string;
  dstMac?: string;
  /** Ethernet: pad to the 60-byte minimum frame, as frames captured on the receiving side are. */
  pad?: boolean;
  /**
   * Ethernet: carry the packet in a PPPoE session (RFC 2516) with this session id, after any VLAN
   * tags: PPPoE header (ver/type 0x11, code 0, id, length), then the PPP protocol 0x0021 / 0x0057.
   */
  pppoeSessionId?: number;
}

const IPV4_HEADER = 20;
const IPV6_HEADER = 40;
const TCP_HEADER = 20;
const MAX_OPTION_BYTES = 40;
const ETHERNET_MIN_FRAME = 60;
const PPPOE_HEADER = 6;
const DEFAULT_SRC_MAC = '02:00:00:00:00:01';
const DEFAULT_DST_MAC = '02:00:00:00:00:02';
/** ARPHRD_ETHER, the hardware type SLL/SLL2 record for an Ethernet interface. */
const ARPHRD_ETHER = 1;
/** IPv4 "don't fragment": Linux sets it on every TCP packet (path MTU discovery). */
const DF_BIT = 0x4000;
const MF_BIT = 0x2000;

const utf8 = new TextEncoder();

function bytesOf(payload: Uint8Array | string | undefined): Uint8Array {
  if (payload === undefined) return new Uint8Array(0);
  return typeof payload === 'string' ? utf8.encode(payload) : payload;
}

/** Which family both addresses are; throws when they are not the same valid one. */
function addressesOf(src: string, dst: string): { version: 4 | 6; src: Uint8Array; dst: Uint8Array } {
  const s4 = parseIPv4(src);
  const d4 = parseIPv4(dst);
  if (s4 && d4) return { version: 4, src: s4, dst: d4 };
  const s6 = parseIPv6(src);
  const d6 = parseIPv6(dst);
  if (s6 && d6) return { version: 6, src: s6, dst: d6 };
  throw new Error(`buildIpPacket: src ${JSON.stringify(src)} and dst ${JSON.stringify(dst)} are not two IPv4 or two IPv6 addresses`);
}

/** RFC 1071 one's-complement sum of `parts`, folded and complemented. */
export function internetChecksum(...parts: Uint8Array[]): number {
  let sum = 0;
  let odd = false;
  let pending = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      // Parts are concatenated logically, so an odd-length part shifts the next one's pairing.
      if (odd) sum += (pending << 8) | part[i];
      else pending = part[i];
      odd = !odd;
    }
  }
  if (odd) sum += pending << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** TCP header + options + payload, checksum computed over the pseudo-header for `src`/`dst`. */
function buildTcpSegment(spec: TcpPacketSpec, version: 4 | 6, src: Uint8Array, dst: Uint8Array): Uint8Array {
  const options = encodeTcpOptions(spec.options);
  const payload = bytesOf(spec.payload);
  const headerLength = TCP_HEADER + options.length;
  const segment = new Uint8Array(headerLength + payload.length);
  const ack = spec.ack ?? 0;
  const window = spec.window ?? 65535;
  put16(segment, 0, spec.srcPort);
  put16(segment, 2, spec.dstPort);
  put32(segment, 4, spec.seq);
  put32(segment, 8, ack);
  segment[12] = (headerLength / 4) << 4;
  segment[13] = spec.flags & 0xff;
  put16(segment, 14, window);
  segment.set(options, TCP_HEADER);
  segment.set(payload, headerLength);
  put16(segment, 16, internetChecksum(pseudoHeader(version, src, dst, IpProtocol.TCP, segment.length), segment));
  return segment;
}

/** RFC 9293 §3.1 (IPv4) / RFC 8200 §8.1 (IPv6) pseudo-header. */
function pseudoHeader(version: 4 | 6, src: Uint8Array, dst: Uint8Array, protocol: number, length: number): Uint8Array {
  if (version === 4) {
    const p = new Uint8Array(12);
    p.set(src, 0);
    p.set(dst, 4);
    p[9] = protocol;
    put16(p, 10, length);
    return p;
  }
  const p = new Uint8Array(40);
  p.set(src, 0);
  p.set(dst, 16);
  put32(p, 32, length);
  p[39] = protocol;
  return p;
}

/** Options in Linux's layout, padded with EOL to a multiple of 4. Throws past 40 bytes. */
export function encodeTcpOptions(options: TcpOptions | undefined): Uint8Array {
  if (!options) return new Uint8Array(0);
  const out: number[] = [];
  if (options.mss !== undefined) out.push(TcpOptionKind.MSS, 4, options.mss >> 8, options.mss & 0xff);
  if (options.sackPermitted && options.timestamp) out.push(TcpOptionKind.SACK_PERMITTED, 2);
  else if (options.sackPermitted) out.push(TcpOptionKind.NOP, TcpOptionKind.NOP, TcpOptionKind.SACK_PERMITTED, 2);
  else if (options.timestamp) out.push(TcpOptionKind.NOP, TcpOptionKind.NOP);
  if (options.timestamp) out.push(TcpOptionKind.TIMESTAMP, 10, ...u32Bytes(options.timestamp[0]), ...u32Bytes(options.timestamp[1]));
  if (options.windowScale !== undefined) out.push(TcpOptionKind.NOP, TcpOptionKind.WINDOW_SCALE, 3, options.windowScale);
  if (options.sack && options.sack.length > 0) {
    out.push(TcpOptionKind.NOP, TcpOptionKind.NOP, TcpOptionKind.SACK, 2 + 8 * options.sack.length);
    for (const [left, right] of options.sack) out.push(...u32Bytes(left), ...u32Bytes(right));
  }
  while (out.length % 4 !== 0) out.push(TcpOptionKind.EOL);
  if (out.length > MAX_OPTION_BYTES) throw new Error(`encodeTcpOptions: ${out.length} bytes of options exceed the TCP maximum of 40`);
  return Uint8Array.from(out);
}

/** A TCP/IP packet (no link layer); IPv4 or IPv6 from the address syntax; checksums correct. */
export function buildTcpIpPacket(spec: TcpPacketSpec): Uint8Array {
  const { version, src, dst } = addressesOf(spec.src, spec.dst);
  const segment = buildTcpSegment(spec, version, src, dst);
  return buildIpPacket({
    src: spec.src,
    dst: spec.dst,
    protocol: IpProtocol.TCP,
    payload: segment,
    ipId: spec.ipId,
    ttl: spec.ttl,
    ipOptions: spec.ipOptions,
    ipv6ExtensionHeaders: spec.ipv6ExtensionHeaders,
  });
}

/** An IP packet around an already-built transport payload (UDP, ICMP… for tests of what is not TCP). */
export function buildIpPacket(spec: IpPacketSpec): Uint8Array {
  const { version, src, dst } = addressesOf(spec.src, spec.dst);
  return version === 4 ? buildIpv4(spec, src, dst) : buildIpv6(spec, src, dst);
}

function buildIpv4(spec: IpPacketSpec, src: Uint8Array, dst: Uint8Array): Uint8Array {
  const options = spec.ipOptions ?? new Uint8Array(0);
  const optionLength = Math.ceil(options.length / 4) * 4;
  if (optionLength > MAX_OPTION_BYTES) throw new Error(`buildIpPacket: ${options.length} bytes of IPv4 options exceed 40`);
  const headerLength = IPV4_HEADER + optionLength;
  const totalLength = headerLength + spec.payload.length;
  if (totalLength > 0xffff) throw new Error(`buildIpPacket: IPv4 total length ${totalLength} exceeds 65535`);
  const packet = new Uint8Array(totalLength);
  packet[0] = 0x40 | (headerLength / 4);
  put16(packet, 2, totalLength);
  put16(packet, 4, spec.ipId ?? 0);
  put16(packet, 6, DF_BIT);
  packet[8] = spec.ttl ?? 64;
  packet[9] = spec.protocol;
  packet.set(src, 12);
  packet.set(dst, 16);
  packet.set(options, IPV4_HEADER); // the rest of the option space stays 0 = EOL
  put16(packet, 10, internetChecksum(packet.subarray(0, headerLength)));
  packet.set(spec.payload, headerLength);
  return packet;
}

function buildIpv6(spec: IpPacketSpec, src: Uint8Array, dst: Uint8Array): Uint8Array {
  const extensions = (spec.ipv6ExtensionHeaders ?? []).map((h, i, all) =>
    encodeIpv6Extension(h.nextHeaderType, i + 1 < all.length ? all[i + 1].nextHeaderType : spec.protocol, h.body),
  );
  const extensionLength = extensions.reduce((n, e) => n + e.length, 0);
  const payloadLength = extensionLength + spec.payload.length;
  if (payloadLength > 0xffff) throw new Error(`buildIpPacket: IPv6 payload length ${payloadLength} exceeds 65535`);
  const packet = new Uint8Array(IPV6_HEADER + payloadLength);
  packet[0] = 0x60;
  put16(packet, 4, payloadLength);
  packet[6] = extensions.length > 0 ? spec.ipv6ExtensionHeaders![0].nextHeaderType : spec.protocol;
  packet[7] = spec.ttl ?? 64;
  packet.set(src, 8);
  packet.set(dst, 24);
  let off = IPV6_HEADER;
  for (const e of extensions) {
    packet.set(e, off);
    off += e.length;
  }
  packet.set(spec.payload, off);
  return packet;
}

/** One extension header: Next Header, the length in its type's unit, the body zero-padded to that unit. */
function encodeIpv6Extension(type: number, next: number, body: Uint8Array): Uint8Array {
  if (type === IpProtocol.IPV6_FRAGMENT) {
    if (body.length !== 6) throw new Error('buildIpPacket: an IPv6 fragment header body is exactly 6 bytes');
    const header = new Uint8Array(8);
    header[0] = next;
    header.set(body, 2);
    return header;
  }
  // AH counts 4-octet units minus 2 (RFC 4302); the others 8-octet units minus 1 (RFC 8200 §4.3).
  const unit = type === IpProtocol.AH ? 4 : 8;
  const size = Math.max(8, Math.ceil((2 + body.length) / unit) * unit);
  const header = new Uint8Array(size);
  header[0] = next;
  header[1] = type === IpProtocol.AH ? size / 4 - 2 : size / 8 - 1;
  header.set(body, 2);
  return header;
}

/**
 * Split an IPv4 packet into fragments of at most `maxPayload` payload bytes each (rounded down to a
 * multiple of 8, as RFC 791 requires of every fragment but the last). Every fragment repeats the
 * whole header, options included, with DF cleared and offset/MF/length/checksum set.
 */
export function fragmentIPv4(packet: Uint8Array, maxPayload: number): Uint8Array[] {
  const headerLength = (packet[0] & 0x0f) * 4;
  const totalLength = (packet[2] << 8) | packet[3];
  const flagsOffset = (packet[6] << 8) | packet[7];
  const baseOffset = (flagsOffset & 0x1fff) * 8;
  const lastHasMore = (flagsOffset & MF_BIT) !== 0;
  const step = Math.floor(maxPayload / 8) * 8;
  if (step <= 0) throw new Error(`fragmentIPv4: maxPayload ${maxPayload} leaves no room for 8 bytes`);
  const payload = packet.subarray(headerLength, totalLength);
  const fragments: Uint8Array[] = [];
  let start = 0;
  // do…while: an empty payload still yields one (empty) fragment.
  do {
    const chunk = payload.subarray(start, start + step);
    const last = start + step >= payload.length;
    const fragment = new Uint8Array(headerLength + chunk.length);
    fragment.set(packet.subarray(0, headerLength));
    put16(fragment, 2, fragment.length);
    put16(fragment, 6, (last && !lastHasMore ? 0 : MF_BIT) | ((baseOffset + start) / 8));
    put16(fragment, 10, 0);
    put16(fragment, 10, internetChecksum(fragment.subarray(0, headerLength)));
    fragment.set(chunk, headerLength);
    fragments.push(fragment);
    start += step;
  } while (start < payload.length);
  return fragments;
}

/**
 * Split an IPv6 packet into fragments (RFC 8200 §4.5) of at most `maxPayload` fragmentable bytes
 * each (rounded down to a multiple of 8), with identification `id`. The unfragmentable part is the
 * fixed header plus any leading hop-by-hop and routing headers; it is repeated in every fragment.
 */
export function fragmentIPv6(packet: Uint8Array, maxPayload: number, id: number): Uint8Array[] {
  const step = Math.floor(maxPayload / 8) * 8;
  if (step <= 0) throw new Error(`fragmentIPv6: maxPayload ${maxPayload} leaves no room for 8 bytes`);
  const end = IPV6_HEADER + ((packet[4] << 8) | packet[5]);
  // Find where the fragmentable part starts and which byte holds the Next Header to rewrite.
  let nextHeaderAt = 6;
  let off = IPV6_HEADER;
  while (packet[nextHeaderAt] === IpProtocol.HOP_BY_HOP || packet[nextHeaderAt] === IpProtocol.IPV6_ROUTING) {
    nextHeaderAt = off;
    off += (packet[off + 1] + 1) * 8;
  }
  const firstNextHeader = packet[nextHeaderAt];
  const unfragmentable = packet.subarray(0, off);
  const fragmentable = packet.subarray(off, end);
  const fragments: Uint8Array[] = [];
  let start = 0;
  do {
    const chunk = fragmentable.subarray(start, start + step);
    const more = start + step < fragmentable.length;
    const fragment = new Uint8Array(unfragmentable.length + 8 + chunk.length);
    fragment.set(unfragmentable);
    fragment[nextHeaderAt] = IpProtocol.IPV6_FRAGMENT;
    put16(fragment, 4, fragment.length - IPV6_HEADER);
    fragment[off] = firstNextHeader;
    put16(fragment, off + 2, start | (more ? 1 : 0));
    put32(fragment, off + 4, id);
    fragment.set(chunk, off + 8);
    fragments.push(fragment);
    start += step;
  } while (start < fragmentable.length);
  return fragments;
}

/** Put `ipPacket` inside a link-layer header of `linkType`. */
export function wrapLink(linkType: number, ipPacket: Uint8Array, opts: LinkOptions = {}): Uint8Array {
  const version = ipPacket[0] >> 4;
  if (version !== 4 && version !== 6) throw new Error(`wrapLink: not an IP packet (version nibble ${version})`);
  const etherType = version === 4 ? EtherType.IPV4 : EtherType.IPV6;
  const af = version === 4 ? BsdAf.INET : (opts.af6 ?? BsdAf.INET6_DARWIN);
  switch (linkType) {
    case LinkType.ETHERNET:
      return ethernet(ipPacket, etherType, opts);
    case LinkType.LINUX_SLL: {
      const header = new Uint8Array(16);
      put16(header, 0, 0); // packet type: to us
      put16(header, 2, ARPHRD_ETHER);
      put16(header, 4, 6);
      header.set(parseMac(opts.srcMac ?? DEFAULT_SRC_MAC), 6);
      put16(header, 14, etherType);
      return concatBytes([header, ipPacket]);
    }
    case LinkType.LINUX_SLL2: {
      const header = new Uint8Array(20);
      put16(header, 0, etherType);
      put32(header, 4, 1); // interface index
      put16(header, 8, ARPHRD_ETHER);
      header[10] = 0; // packet type: to us
      header[11] = 6;
      header.set(parseMac(opts.srcMac ?? DEFAULT_SRC_MAC), 12);
      return concatBytes([header, ipPacket]);
    }
    case LinkType.NULL: {
      const header = new Uint8Array(4);
      if ((opts.nullByteOrder ?? 'le') === 'le') header[0] = af;
      else header[3] = af;
      return concatBytes([header, ipPacket]);
    }
    case LinkType.LOOP: {
      const header = new Uint8Array(4);
      header[3] = af;
      return concatBytes([header, ipPacket]);
    }
    case LinkType.RAW:
    case LinkType.DLT_RAW:
    case LinkType.DLT_RAW_OPENBSD:
      return ipPacket.slice();
    case LinkType.IPV4:
    case LinkType.IPV6:
      if ((linkType === LinkType.IPV4) !== (version === 4)) throw new Error(`wrapLink: an IPv${version} packet on link type ${linkType}`);
      return ipPacket.slice();
    default:
      throw new Error(`wrapLink: link type ${linkType} is not supported`);
  }
}

function ethernet(ipPacket: Uint8Array, etherType: number, opts: LinkOptions): Uint8Array {
  if (opts.pppoeSessionId !== undefined) {
    const ppp = pppoeSession(ipPacket, etherType === EtherType.IPV4 ? PppProtocol.IPV4 : PppProtocol.IPV6, opts.pppoeSessionId);
    return ethernetFrame(ppp, EtherType.PPPOE_SESSION, opts);
  }
  return ethernetFrame(ipPacket, etherType, opts);
}

/** PPPoE session header + 2-byte PPP protocol + `packet`; the length field counts protocol and packet. */
function pppoeSession(packet: Uint8Array, pppProtocol: number, sessionId: number): Uint8Array {
  const out = new Uint8Array(PPPOE_HEADER + 2 + packet.length);
  out[0] = 0x11; // version 1, type 1
  out[1] = 0x00; // code: session data
  put16(out, 2, sessionId);
  put16(out, 4, 2 + packet.length);
  put16(out, 6, pppProtocol);
  out.set(packet, 8);
  return out;
}

/** MACs, VLAN tags, `etherType`, `payload`, then padding if asked. */
function ethernetFrame(payload: Uint8Array, etherType: number, opts: LinkOptions): Uint8Array {
  const tags = opts.vlanIds ?? [];
  const headerLength = 14 + 4 * tags.length;
  const length = Math.max(headerLength + payload.length, opts.pad ? ETHERNET_MIN_FRAME : 0);
  const frame = new Uint8Array(length);
  frame.set(parseMac(opts.dstMac ?? DEFAULT_DST_MAC), 0);
  frame.set(parseMac(opts.srcMac ?? DEFAULT_SRC_MAC), 6);
  let off = 12;
  tags.forEach((id, i) => {
    put16(frame, off, i === 0 && opts.qinq ? EtherType.QINQ : EtherType.VLAN);
    put16(frame, off + 2, id & 0x0fff);
    off += 4;
  });
  put16(frame, off, etherType);
  frame.set(payload, off + 2);
  return frame;
}

/**
 * The IP packet inside a frame, as a view: link header dropped and link padding trimmed by the IP
 * length (so the result can be re-wrapped as NULL/lo0). Null when the frame is not IP.
 */
export function unwrapLink(frameData: Uint8Array, linkType: number): Uint8Array | null {
  const link = newLinkResult();
  if (decodeLink(frameData, linkType, frameData.length, link) !== 'ok') return null;
  const off = link.offset;
  let end = Math.min(frameData.length, link.wireEnd);
  if (link.ipVersion === 4 && end - off >= IPV4_HEADER) {
    const total = (frameData[off + 2] << 8) | frameData[off + 3];
    if (total > 0 && off + total < end) end = off + total;
  } else if (link.ipVersion === 6 && end - off >= IPV6_HEADER) {
    const payload = (frameData[off + 4] << 8) | frameData[off + 5];
    if (payload > 0 && off + IPV6_HEADER + payload < end) end = off + IPV6_HEADER + payload;
  }
  return frameData.subarray(off, end);
}

/** `wrapLink(linkType, buildTcpIpPacket(spec), linkOpts)`. */
export function buildFrame(linkType: number, spec: TcpPacketSpec, linkOpts?: LinkOptions): Uint8Array {
  return wrapLink(linkType, buildTcpIpPacket(spec), linkOpts);
}

/** A Frame around built bytes, for tests: index 1, time 0, nothing cut, unless said otherwise. */
export function toFrame(
  data: Uint8Array,
  linkType: number,
  opts: { index?: number; time?: number; originalLength?: number; fileOffset?: number; interfaceId?: number } = {},
): Frame {
  return {
    index: opts.index ?? 1,
    time: opts.time ?? 0,
    linkType,
    data,
    originalLength: opts.originalLength ?? data.length,
    fileOffset: opts.fileOffset ?? 0,
    interfaceId: opts.interfaceId ?? 0,
  };
}

function parseMac(text: string): Uint8Array {
  const parts = text.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) throw new Error(`not a MAC address: ${text}`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

function put16(data: Uint8Array, off: number, value: number): void {
  data[off] = (value >>> 8) & 0xff;
  data[off + 1] = value & 0xff;
}

function put32(data: Uint8Array, off: number, value: number): void {
  data[off] = (value >>> 24) & 0xff;
  data[off + 1] = (value >>> 16) & 0xff;
  data[off + 2] = (value >>> 8) & 0xff;
  data[off + 3] = value & 0xff;
}

function u32Bytes(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}
