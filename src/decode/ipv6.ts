import { IpProtocol } from './ipv4.js';

/**
 * The IPv6 header (RFC 8200) and its extension-header chain. Writes into a caller-owned
 * `Ipv6Header` (once per packet, so no allocation).
 */

export const IPV6_HEADER = 40;
/** The fragment header is always 8 bytes (RFC 8200 §4.5). */
const FRAGMENT_HEADER = 8;

export interface Ipv6Header {
  /** The upper-layer protocol the chain ended at (6 = TCP, 17, 58, 59 "no next header", …). */
  protocol: number;
  /** Offset of the upper-layer header (after every extension header), or of the fragment data. */
  payloadOffset: number;
  /** End of the captured payload (payload length clips link padding; the capture may stop earlier). */
  payloadEnd: number;
  /** End of the payload on the wire; ≥ payloadEnd. */
  payloadWireEnd: number;
  /** For `fragment`: the fragment's offset in bytes, its M flag, identification, and the header type that follows. */
  fragmentOffset: number;
  moreFragments: boolean;
  fragmentId: number;
  fragmentNextHeader: number;
}

/**
 * - `ok`: `protocol` and `payloadOffset` name the upper layer.
 * - `fragment`: a non-atomic fragment; the `fragment*` fields describe it and the fragment's data
 *   runs from `payloadOffset` to `payloadWireEnd`.
 * - `truncated`: the capture ends inside the fixed or an extension header although the wire had it.
 * - `malformed`: wrong version, or a length that runs past the packet.
 */
export type Ipv6Status = 'ok' | 'fragment' | 'truncated' | 'malformed';

export function newIpv6Header(): Ipv6Header {
  return {
    protocol: 0,
    payloadOffset: 0,
    payloadEnd: 0,
    payloadWireEnd: 0,
    fragmentOffset: 0,
    moreFragments: false,
    fragmentId: 0,
    fragmentNextHeader: 0,
  };
}

/**
 * Decode the fixed header at `data[off]` and follow the extension headers. `wireEnd` is where the
 * frame ends on the wire, in `data`'s coordinates. Addresses stay in the packet at `off + 8` and
 * `off + 24`.
 */
export function decodeIpv6(data: Uint8Array, off: number, wireEnd: number, out: Ipv6Header): Ipv6Status {
  const captured = data.length;
  if (captured - off < IPV6_HEADER) return off + IPV6_HEADER > wireEnd ? 'malformed' : 'truncated';
  if (data[off] >> 4 !== 6) return 'malformed';
  const payloadLength = (data[off + 4] << 8) | data[off + 5];
  const payloadStart = off + IPV6_HEADER;
  // 0 means a jumbogram (RFC 2675) or, far more often, a Linux GSO super-packet: either way the
  // payload runs to the end of the frame, as Wireshark assumes.
  const payloadWireEnd = payloadLength === 0 ? wireEnd : payloadStart + payloadLength;
  if (payloadWireEnd > wireEnd) return 'malformed';
  out.payloadWireEnd = payloadWireEnd;
  out.payloadEnd = payloadWireEnd < captured ? payloadWireEnd : captured;
  return walkIpv6Extensions(data, payloadStart, data[off + 6], out);
}

/**
 * Follow the next-header chain from `nextHeader` at `data[off]` until a header that is not an
 * extension we skip: hop-by-hop (0), routing (43), destination options (60), AH (51); a
 * fragment header (44) stops the walk unless it is atomic (offset 0, M = 0, RFC 6946).
 * `out.payloadEnd` / `out.payloadWireEnd` must already be set; the chain stays inside them.
 * Also used on a reassembled payload, whose chain continues after the fragment header.
 */
export function walkIpv6Extensions(data: Uint8Array, off: number, nextHeader: number, out: Ipv6Header): Ipv6Status {
  const capturedEnd = out.payloadEnd;
  const wireEnd = out.payloadWireEnd;
  let nh = nextHeader;
  // Every extension header is at least 8 bytes, so the loop ends within the packet.
  for (;;) {
    let length: number;
    switch (nh) {
      case IpProtocol.HOP_BY_HOP:
      case IpProtocol.IPV6_ROUTING:
      case IpProtocol.IPV6_DEST_OPTIONS:
        if (off + 2 > capturedEnd) return off + 2 > wireEnd ? 'malformed' : 'truncated';
        // Hdr Ext Len counts 8-octet units beyond the first 8 (RFC 8200 §4.3).
        length = (data[off + 1] + 1) * 8;
        break;
      case IpProtocol.AH:
        if (off + 2 > capturedEnd) return off + 2 > wireEnd ? 'malformed' : 'truncated';
        // AH counts 4-octet units minus 2 (RFC 4302 §2.2).
        length = (data[off + 1] + 2) * 4;
        break;
      case IpProtocol.IPV6_FRAGMENT: {
        if (off + FRAGMENT_HEADER > capturedEnd) return off + FRAGMENT_HEADER > wireEnd ? 'malformed' : 'truncated';
        const field = (data[off + 2] << 8) | data[off + 3];
        const fragmentOffset = field & 0xfff8;
        const more = (field & 1) !== 0;
        if (fragmentOffset === 0 && !more) {
          // Atomic fragment: the whole packet, just with a fragment header in front.
          length = FRAGMENT_HEADER;
          break;
        }
        out.protocol = IpProtocol.IPV6_FRAGMENT;
        out.fragmentOffset = fragmentOffset;
        out.moreFragments = more;
        out.fragmentId = ((data[off + 4] << 24) | (data[off + 5] << 16) | (data[off + 6] << 8) | data[off + 7]) >>> 0;
        out.fragmentNextHeader = data[off];
        out.payloadOffset = off + FRAGMENT_HEADER;
        return 'fragment';
      }
      default:
        out.protocol = nh;
        out.payloadOffset = off;
        return 'ok';
    }
    if (off + length > wireEnd) return 'malformed';
    if (off + length > capturedEnd) return 'truncated';
    nh = data[off];
    off += length;
  }
}
