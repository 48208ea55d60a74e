import { LinkType } from '../capture/frame.js';

/**
 * The link layer: find the network header in a frame and say which protocol it is.
 *
 * Runs once per frame, so it writes into a caller-owned `LinkResult` instead of allocating one.
 */

/** EtherType values (IEEE registry) that matter here. */
export const EtherType = {
  IPV4: 0x0800,
  ARP: 0x0806,
  /** 802.1Q customer VLAN tag. */
  VLAN: 0x8100,
  IPV6: 0x86dd,
  /** 802.1ad service tag (QinQ outer tag). */
  QINQ: 0x88a8,
  /** Pre-standard QinQ outer tag still emitted by some switches. */
  QINQ_OLD: 0x9100,
  /** PPPoE discovery stage (PADI, PADO…): never carries IP. */
  PPPOE_DISCOVERY: 0x8863,
  /** PPPoE session stage (RFC 2516): a PPPoE header, then a PPP frame. */
  PPPOE_SESSION: 0x8864,
} as const;

/** PPP protocol numbers (RFC 1661 §2; IANA PPP DLL protocol numbers) that carry IP. */
export const PppProtocol = {
  IPV4: 0x0021,
  IPV6: 0x0057,
} as const;

/**
 * BSD address-family values found in the 4-byte header of LINKTYPE_NULL / LINKTYPE_LOOP.
 * AF_INET6 differs between the BSDs, and a capture may come from any of them.
 */
export const BsdAf = {
  INET: 2,
  /** NetBSD, OpenBSD (and the value libpcap documents as the portable one). */
  INET6_BSD: 24,
  INET6_FREEBSD: 28,
  INET6_DARWIN: 30,
} as const;

/** Header sizes of the fixed-size link layers. */
const ETHERNET_HEADER = 14;
const VLAN_TAG = 4;
const SLL_HEADER = 16;
const SLL2_HEADER = 20;
const BSD_LOOPBACK_HEADER = 4;
/** PPPoE header: ver/type, code, session id, length (RFC 2516 §4). */
const PPPOE_HEADER = 6;
/** RFC 2516 §4: version 1, type 1, in one byte. */
const PPPOE_VER_TYPE = 0x11;
/** The code of every session-stage packet. */
const PPPOE_SESSION_CODE = 0x00;

export interface LinkResult {
  /** 4 or 6 when the network layer is IP; 0 otherwise (then `protocol` says what it is). */
  ipVersion: 0 | 4 | 6;
  /**
   * What the link layer says comes next: an EtherType (Ethernet, SLL, SLL2), a BSD AF value
   * (NULL, LOOP), the IP version nibble (raw IP) or, for a PPPoE session frame, the PPP
   * protocol number. For diagnostics and counting only.
   */
  protocol: number;
  /** Offset of the network-layer header in the frame's data. */
  offset: number;
  /**
   * Where the network-layer packet ends on the wire, in the data's coordinates: the frame's wire
   * length, or less when the link header states a length (PPPoE). The IP decoders must not look
   * past it: bytes after it are link padding, not part of the packet.
   */
  wireEnd: number;
}

/**
 * - `ok`: `out.ipVersion` is 4 or 6 and `out.offset` points at the IP header.
 * - `not-ip`: a well-formed frame carrying something else (ARP, LLC, an unknown AF…).
 * - `truncated`: the captured bytes end inside the link header although the wire had it.
 * - `malformed`: the link header cannot be complete even on the wire, a length or version in it is
 *   impossible (PPPoE), or raw IP that is not IP.
 * - `unknown-link-type`: a LINKTYPE this decoder does not handle.
 */
export type LinkStatus = 'ok' | 'not-ip' | 'truncated' | 'malformed' | 'unknown-link-type';

export function newLinkResult(): LinkResult {
  return { ipVersion: 0, protocol: 0, offset: 0, wireEnd: 0 };
}

/**
 * Decode the link header of `data` (captured bytes) for `linkType`. `wireLength` is the frame's
 * length on the wire, which tells a snaplen cut (truncated) from an impossible frame (malformed).
 */
export function decodeLink(data: Uint8Array, linkType: number, wireLength: number, out: LinkResult): LinkStatus {
  out.ipVersion = 0;
  out.protocol = 0;
  out.offset = 0;
  out.wireEnd = wireLength;
  switch (linkType) {
    case LinkType.ETHERNET:
      return decodeEthernet(data, wireLength, out);
    case LinkType.LINUX_SLL:
      // Protocol type (an EtherType for IP) at bytes 14–15 of the 16-byte header.
      return decodeEtherTypeAt(data, wireLength, SLL_HEADER, 14, out);
    case LinkType.LINUX_SLL2:
      // SLL2 moved the protocol type to the front: bytes 0–1 of the 20-byte header.
      return decodeEtherTypeAt(data, wireLength, SLL2_HEADER, 0, out);
    case LinkType.NULL:
      return decodeBsdLoopback(data, wireLength, false, out);
    case LinkType.LOOP:
      return decodeBsdLoopback(data, wireLength, true, out);
    case LinkType.RAW:
    case LinkType.DLT_RAW:
    case LinkType.DLT_RAW_OPENBSD:
      return decodeRawIp(data, wireLength, out);
    case LinkType.IPV4:
      out.ipVersion = 4;
      out.protocol = 4;
      return 'ok';
    case LinkType.IPV6:
      out.ipVersion = 6;
      out.protocol = 6;
      return 'ok';
    default:
      return 'unknown-link-type';
  }
}

/** Not enough bytes for `need`: a snaplen cut if the wire had them, else an impossible frame. */
function short(need: number, wireLength: number): LinkStatus {
  return need > wireLength ? 'malformed' : 'truncated';
}

function decodeEthernet(data: Uint8Array, wireLength: number, out: LinkResult): LinkStatus {
  if (data.length < ETHERNET_HEADER) return short(ETHERNET_HEADER, wireLength);
  // The EtherType after the two MAC addresses; the tag loop starts from it.
  return decodeEtherTypeAt(data, wireLength, ETHERNET_HEADER, 12, out);
}

/**
 * The EtherType at `typeAt`, the payload at `headerLength`; then skip any number of stacked
 * 802.1Q / 802.1ad tags (each 4 bytes: TCI, then the next EtherType). SLL and SLL2 get the same
 * loop because libpcap re-inserts VLAN tags into cooked captures when the kernel stripped them.
 * A PPPoE session (behind any tags, as DSL access networks send it) is unwrapped as well.
 */
function decodeEtherTypeAt(
  data: Uint8Array,
  wireLength: number,
  headerLength: number,
  typeAt: number,
  out: LinkResult,
): LinkStatus {
  if (data.length < headerLength) return short(headerLength, wireLength);
  let type = (data[typeAt] << 8) | data[typeAt + 1];
  let offset = headerLength;
  while (type === EtherType.VLAN || type === EtherType.QINQ || type === EtherType.QINQ_OLD) {
    if (data.length < offset + VLAN_TAG) return short(offset + VLAN_TAG, wireLength);
    type = (data[offset + 2] << 8) | data[offset + 3];
    offset += VLAN_TAG;
  }
  if (type === EtherType.PPPOE_SESSION) return decodePppoeSession(data, wireLength, offset, out);
  out.protocol = type;
  out.offset = offset;
  if (type === EtherType.IPV4) out.ipVersion = 4;
  else if (type === EtherType.IPV6) out.ipVersion = 6;
  else return 'not-ip';
  return 'ok';
}

/**
 * A PPPoE session header at `data[offset]` (RFC 2516 §4), then the PPP protocol field (RFC 1661
 * §2). The PPPoE length counts the PPP frame, protocol field included; it bounds the IP packet
 * (`out.wireEnd`), so Ethernet padding after a short PPP frame is never read as IP.
 */
function decodePppoeSession(data: Uint8Array, wireLength: number, offset: number, out: LinkResult): LinkStatus {
  const pppStart = offset + PPPOE_HEADER;
  if (data.length < pppStart) return short(pppStart, wireLength);
  if (data[offset] !== PPPOE_VER_TYPE || data[offset + 1] !== PPPOE_SESSION_CODE) return 'malformed';
  const pppLength = (data[offset + 4] << 8) | data[offset + 5];
  const pppEnd = pppStart + pppLength;
  if (pppEnd > wireLength) return 'malformed';
  // A PPP frame has at least a protocol field; the bytes up to pppEnd were on the wire, so a
  // shorter capture is a snaplen cut.
  if (pppLength < 1) return 'malformed';
  if (data.length <= pppStart) return 'truncated';
  // Protocol-field compression (RFC 1661 §6.5): every protocol number has an even first byte and
  // an odd last byte, so an odd first byte is a protocol sent as one byte.
  const compressed = (data[pppStart] & 1) === 1;
  const fieldLength = compressed ? 1 : 2;
  if (pppLength < fieldLength) return 'malformed';
  if (data.length < pppStart + fieldLength) return 'truncated';
  const protocol = compressed ? data[pppStart] : (data[pppStart] << 8) | data[pppStart + 1];
  out.protocol = protocol;
  out.offset = pppStart + fieldLength;
  out.wireEnd = pppEnd;
  if (protocol === PppProtocol.IPV4) out.ipVersion = 4;
  else if (protocol === PppProtocol.IPV6) out.ipVersion = 6;
  // LCP, IPCP, CHAP, compressed or multilink frames: PPP, but not IP.
  else return 'not-ip';
  return 'ok';
}

/**
 * NULL (0) and LOOP (108): a 4-byte address family. LOOP writes it big-endian. NULL writes it in
 * the byte order of the host that captured, which the file does not record, so take whichever
 * order gives a small number: AF values are < 256, so exactly one of the two orders fits.
 */
function decodeBsdLoopback(data: Uint8Array, wireLength: number, bigEndianOnly: boolean, out: LinkResult): LinkStatus {
  if (data.length < BSD_LOOPBACK_HEADER) return short(BSD_LOOPBACK_HEADER, wireLength);
  const bigEndian = ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0;
  let af = bigEndian;
  if (!bigEndianOnly && bigEndian > 0xffff) {
    af = (data[0] | (data[1] << 8) | (data[2] << 16) | (data[3] << 24)) >>> 0;
  }
  out.protocol = af;
  out.offset = BSD_LOOPBACK_HEADER;
  if (af === BsdAf.INET) out.ipVersion = 4;
  else if (af === BsdAf.INET6_BSD || af === BsdAf.INET6_FREEBSD || af === BsdAf.INET6_DARWIN) out.ipVersion = 6;
  else return 'not-ip';
  return 'ok';
}

/** RAW (101, and DLT_RAW's 12 and 14): no link header; the IP version nibble tells v4 from v6. */
function decodeRawIp(data: Uint8Array, wireLength: number, out: LinkResult): LinkStatus {
  if (data.length < 1) return short(1, wireLength);
  const version = data[0] >> 4;
  out.protocol = version;
  if (version === 4) out.ipVersion = 4;
  else if (version === 6) out.ipVersion = 6;
  // The link type promises IP, so another version is a broken packet, not another protocol.
  else return 'malformed';
  return 'ok';
}
