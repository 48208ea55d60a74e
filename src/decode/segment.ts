/** TCP flag bits as they sit in the header's flags byte. */
export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

export interface TcpOptions {
  mss?: number;
  windowScale?: number;
  sackPermitted?: boolean;
  /** SACK blocks as [left edge, right edge) sequence numbers. */
  sack?: Array<[number, number]>;
  /** [TSval, TSecr] */
  timestamp?: [number, number];
}

/**
 * One decoded TCP segment. `payload` is a zero-copy view into the frame's data.
 * Addresses are printable strings (IPv4 dotted quad, IPv6 RFC 5952 compressed form).
 */
export interface Segment {
  /** 1-based frame number that carried the segment (the last fragment's, when reassembled). */
  frame: number;
  /** Seconds since the epoch. */
  time: number;
  /**
   * Offset in the capture file of that frame's record (Frame.fileOffset), so a front end can read
   * the frame again later instead of keeping its bytes. Always set by the Decoder.
   */
  fileOffset?: number;
  ipVersion: 4 | 6;
  /** IPv4 identification field (-1 for IPv6); always set by the Decoder. Tells a capture duplicate from a retransmission. */
  ipId?: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  /** Unsigned 32-bit sequence number. */
  seq: number;
  /** Unsigned 32-bit acknowledgement number (meaningful only with the ACK flag). */
  ack: number;
  /** TcpFlag bit set. */
  flags: number;
  /** Raw (unscaled) window field. */
  window: number;
  options: TcpOptions;
  /** Captured payload bytes (view). */
  payload: Uint8Array;
  /** Payload length on the wire as the IP header says; > payload.length when snaplen cut it. */
  payloadLength: number;
}
