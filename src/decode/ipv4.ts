/**
 * The IPv4 header (RFC 791). Writes into a caller-owned `Ipv4Header` (once per packet, so no
 * allocation) and reports whether the header is usable.
 */

/** IP protocol numbers (IANA) that the decoder distinguishes. */
export const IpProtocol = {
  HOP_BY_HOP: 0,
  ICMP: 1,
  TCP: 6,
  UDP: 17,
  IPV6_ROUTING: 43,
  IPV6_FRAGMENT: 44,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  IPV6_NO_NEXT: 59,
  IPV6_DEST_OPTIONS: 60,
} as const;

/** Smallest IPv4 header (IHL 5); options make it up to 60 bytes. */
export const IPV4_MIN_HEADER = 20;

/** "More fragments" in the flags/fragment-offset field. */
const MF_BIT = 0x2000;
/** Fragment offset (in 8-byte units) in the flags/fragment-offset field. */
const OFFSET_MASK = 0x1fff;

export interface Ipv4Header {
  /** IHL × 4, options included. */
  headerLength: number;
  /** Total length as the header says it (header + payload), or the wire length when the header says 0 (see decodeIpv4). */
  totalLength: number;
  id: number;
  protocol: number;
  moreFragments: boolean;
  /** Offset of this fragment's payload in the original datagram, in bytes. */
  fragmentOffset: number;
  /** Offset in the frame of the payload (after options). */
  payloadOffset: number;
  /** End of the *captured* payload: the total length clips away Ethernet padding, the capture may stop earlier. */
  payloadEnd: number;
  /** End of the payload on the wire (payloadOffset + totalLength - headerLength); ≥ payloadEnd. */
  payloadWireEnd: number;
}

/**
 * - `ok`: header complete; `payloadEnd < payloadWireEnd` means the capture cut the payload.
 * - `truncated`: the capture ends inside the header although the wire carried it.
 * - `malformed`: an impossible version, IHL or total length.
 */
export type Ipv4Status = 'ok' | 'truncated' | 'malformed';

export function newIpv4Header(): Ipv4Header {
  return {
    headerLength: 0,
    totalLength: 0,
    id: 0,
    protocol: 0,
    moreFragments: false,
    fragmentOffset: 0,
    payloadOffset: 0,
    payloadEnd: 0,
    payloadWireEnd: 0,
  };
}

/**
 * Decode the IPv4 header at `data[off]`. `wireEnd` is where the frame ends on the wire, in the
 * same coordinates as `data` (≥ data.length when snaplen cut the frame). Source and destination
 * addresses stay in the packet, at `off + 12` and `off + 16`, so nothing is formatted here.
 */
export function decodeIpv4(data: Uint8Array, off: number, wireEnd: number, out: Ipv4Header): Ipv4Status {
  const captured = data.length;
  if (captured - off < IPV4_MIN_HEADER) return off + IPV4_MIN_HEADER > wireEnd ? 'malformed' : 'truncated';
  const versionIhl = data[off];
  if (versionIhl >> 4 !== 4) return 'malformed';
  const headerLength = (versionIhl & 0x0f) * 4;
  if (headerLength < IPV4_MIN_HEADER) return 'malformed';
  let totalLength = (data[off + 2] << 8) | data[off + 3];
  if (totalLength === 0) {
    // Linux captures of TCP segmentation offload (GSO) write 0 when the super-packet exceeds
    // 64 KiB; Wireshark then takes the rest of the frame, and so do we.
    totalLength = wireEnd - off;
  }
  if (totalLength < headerLength || off + totalLength > wireEnd) return 'malformed';
  if (captured < off + headerLength) return 'truncated';
  const fragment = (data[off + 6] << 8) | data[off + 7];
  out.headerLength = headerLength;
  out.totalLength = totalLength;
  out.id = (data[off + 4] << 8) | data[off + 5];
  out.protocol = data[off + 9];
  out.moreFragments = (fragment & MF_BIT) !== 0;
  out.fragmentOffset = (fragment & OFFSET_MASK) * 8;
  out.payloadOffset = off + headerLength;
  out.payloadWireEnd = off + totalLength;
  // Frames shorter than Ethernet's 60-byte minimum are padded: the payload ends at the total
  // length, not at the frame's end.
  out.payloadEnd = out.payloadWireEnd < captured ? out.payloadWireEnd : captured;
  return 'ok';
}
