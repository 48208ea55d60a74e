import { linkTypeName } from '../capture/frame.js';

/**
 * What became of the frames: a plain object (numbers and one plain record), so it serialises to
 * JSON as it is. Every frame is counted in `frames` and in exactly one of the outcome counters
 * `tcp`, `udp`, `icmp`, `otherIp`, `nonIp`, `unknownLinkType`, `malformed`, `truncated`,
 * `fragments` — except that a fragment which completes a datagram counts in `fragments` *and* in
 * the outcome of the datagram it completed. The rest are details.
 */
export interface DecodeStats {
  /** Frames given to the decoder. */
  frames: number;
  /** Segments returned. */
  tcp: number;
  /** UDP datagrams (not decoded further). */
  udp: number;
  /** ICMP and ICMPv6. */
  icmp: number;
  /** IP carrying anything else (ESP, GRE, SCTP, IPv6 "no next header"…). */
  otherIp: number;
  /** Link layer carries something other than IP (ARP, LLC, PPPoE discovery, PPP LCP, an unknown BSD AF…). */
  nonIp: number;
  /** Frames of a LINKTYPE this decoder does not know; `unknownLinkTypes` says which. */
  unknownLinkType: number;
  /**
   * `unknownLinkType` by link type: LINKTYPE_* value → frames of it. In JSON the keys are the
   * values as decimal strings (`{"147": 1234}`). Empty when every frame's link type was known.
   */
  unknownLinkTypes: Record<number, number>;
  /** Impossible lengths or versions: the packet could not have been that way on the wire either. */
  malformed: number;
  /** The capture (snaplen) cut the frame inside a header, or inside a fragment, so nothing was decoded. */
  truncated: number;
  /** IPv4 and IPv6 fragments (non-atomic) fed to the reassembler. */
  fragments: number;
  /** Datagrams the reassembler completed (each then counted by its protocol). */
  reassembledDatagrams: number;
  /** Segments returned whose payload the capture cut short (`payload.length < payloadLength`); also in `tcp`. */
  truncatedPayloads: number;
  /** Segments returned whose TCP options were malformed (see parseTcpOptions); also in `tcp`. */
  tcpOptionErrors: number;
}

export function newDecodeStats(): DecodeStats {
  return {
    frames: 0,
    tcp: 0,
    udp: 0,
    icmp: 0,
    otherIp: 0,
    nonIp: 0,
    unknownLinkType: 0,
    unknownLinkTypes: {},
    malformed: 0,
    truncated: 0,
    fragments: 0,
    reassembledDatagrams: 0,
    truncatedPayloads: 0,
    tcpOptionErrors: 0,
  };
}

/**
 * The one stderr line that says which frames were skipped because their link type is not
 * decoded, e.g. `wirelens: F: 1,234 frames of link type 147 (USER0) not decoded`; several link
 * types are listed in ascending order, joined by "and". Null when there were none. No trailing
 * newline. Counts use "," as the thousands separator whatever the locale, so the line is stable.
 */
export function describeUndecoded(stats: DecodeStats, file: string): string | null {
  const parts: string[] = [];
  const linkTypes = Object.keys(stats.unknownLinkTypes)
    .map(Number)
    .sort((a, b) => a - b);
  for (const linkType of linkTypes) {
    const frames = stats.unknownLinkTypes[linkType];
    if (!frames) continue;
    const name = linkTypeName(linkType);
    const noun = frames === 1 ? 'frame' : 'frames';
    parts.push(`${frames.toLocaleString('en-US')} ${noun} of link type ${linkType}${name === null ? '' : ` (${name})`}`);
  }
  if (parts.length === 0) return null;
  return `wirelens: ${file}: ${parts.join(' and ')} not decoded`;
}
