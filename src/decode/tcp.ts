import type { TcpOptions } from './segment.js';

/**
 * The TCP header (RFC 9293 §3.1) and its options. Writes into a caller-owned `TcpHeader`; the
 * only allocation is the options object, and only for segments that carry a real option.
 */

export const TCP_MIN_HEADER = 20;

/** Option kinds (IANA "TCP Option Kind Numbers"). */
export const TcpOptionKind = {
  EOL: 0,
  NOP: 1,
  MSS: 2,
  WINDOW_SCALE: 3,
  SACK_PERMITTED: 4,
  SACK: 5,
  TIMESTAMP: 8,
} as const;

/**
 * Shared by every segment without options, so the common bare ACK allocates nothing. Frozen:
 * options objects handed out in a Segment must be treated as read-only by every later stage.
 */
export const EMPTY_TCP_OPTIONS: TcpOptions = Object.freeze({});

export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  /** Unsigned 32-bit. */
  seq: number;
  /** Unsigned 32-bit. */
  ack: number;
  /** Data offset × 4, options included. */
  headerLength: number;
  /** The 8 flag bits (CWR … FIN), see TcpFlag. */
  flags: number;
  /** Raw, unscaled. */
  window: number;
  /** Read-only; EMPTY_TCP_OPTIONS when there are none. */
  options: TcpOptions;
  /** An option had an impossible length (parsing stopped) or a known kind had the wrong length (skipped). */
  optionsMalformed: boolean;
  /** Offset of the payload in the packet. */
  payloadOffset: number;
}

/**
 * - `ok`: header and options are complete; the payload may still be cut by the capture.
 * - `truncated`: the capture ends inside the header although the IP length says it was sent.
 * - `malformed`: data offset < 5, or a header longer than the IP payload.
 */
export type TcpStatus = 'ok' | 'truncated' | 'malformed';

export function newTcpHeader(): TcpHeader {
  return {
    srcPort: 0,
    dstPort: 0,
    seq: 0,
    ack: 0,
    headerLength: 0,
    flags: 0,
    window: 0,
    options: EMPTY_TCP_OPTIONS,
    optionsMalformed: false,
    payloadOffset: 0,
  };
}

/**
 * Decode the TCP header at `data[off]`. `capturedEnd` is where the captured segment ends (the IP
 * payload end clipped to the capture), `wireEnd` where it ends on the wire (from the IP length).
 * On `truncated` the fixed fields that were captured are still filled in.
 */
export function decodeTcp(data: Uint8Array, off: number, capturedEnd: number, wireEnd: number, out: TcpHeader): TcpStatus {
  if (wireEnd - off < TCP_MIN_HEADER) return 'malformed';
  if (capturedEnd - off < TCP_MIN_HEADER) return 'truncated';
  out.srcPort = (data[off] << 8) | data[off + 1];
  out.dstPort = (data[off + 2] << 8) | data[off + 3];
  out.seq = ((data[off + 4] << 24) | (data[off + 5] << 16) | (data[off + 6] << 8) | data[off + 7]) >>> 0;
  out.ack = ((data[off + 8] << 24) | (data[off + 9] << 16) | (data[off + 10] << 8) | data[off + 11]) >>> 0;
  const headerLength = (data[off + 12] >> 4) * 4;
  out.headerLength = headerLength;
  out.flags = data[off + 13];
  out.window = (data[off + 14] << 8) | data[off + 15];
  out.options = EMPTY_TCP_OPTIONS;
  out.optionsMalformed = false;
  out.payloadOffset = off + headerLength;
  if (headerLength < TCP_MIN_HEADER || off + headerLength > wireEnd) return 'malformed';
  if (off + headerLength > capturedEnd) return 'truncated';
  if (headerLength > TCP_MIN_HEADER) parseTcpOptions(data, off + TCP_MIN_HEADER, off + headerLength, out);
  return 'ok';
}

/**
 * Parse the options in `data[start..end)` into `out.options` / `out.optionsMalformed`. Never
 * throws: a length byte that is missing, < 2 or runs past the header stops parsing (what came
 * before is kept); a known kind with the wrong length is skipped by its length.
 */
export function parseTcpOptions(data: Uint8Array, start: number, end: number, out: TcpHeader): void {
  // What nearly every segment after the handshake carries (RFC 7323 Appendix A layout):
  // NOP, NOP, Timestamps. One literal, no loop, no shape transitions.
  if (
    end - start === 12 &&
    data[start] === TcpOptionKind.NOP &&
    data[start + 1] === TcpOptionKind.NOP &&
    data[start + 2] === TcpOptionKind.TIMESTAMP &&
    data[start + 3] === 10
  ) {
    out.options = { timestamp: [readU32(data, start + 4), readU32(data, start + 8)] };
    out.optionsMalformed = false;
    return;
  }
  let options: TcpOptions | null = null;
  let malformed = false;
  let i = start;
  while (i < end) {
    const kind = data[i];
    if (kind === TcpOptionKind.EOL) break;
    if (kind === TcpOptionKind.NOP) {
      i++;
      continue;
    }
    if (i + 1 >= end) {
      malformed = true;
      break;
    }
    const length = data[i + 1];
    if (length < 2 || i + length > end) {
      malformed = true;
      break;
    }
    switch (kind) {
      case TcpOptionKind.MSS:
        if (length === 4) (options ??= {}).mss = (data[i + 2] << 8) | data[i + 3];
        else malformed = true;
        break;
      case TcpOptionKind.WINDOW_SCALE:
        // The raw shift count; RFC 7323 §2.3 caps its *use* at 14, which is the TCP stage's call.
        if (length === 3) (options ??= {}).windowScale = data[i + 2];
        else malformed = true;
        break;
      case TcpOptionKind.SACK_PERMITTED:
        if (length === 2) (options ??= {}).sackPermitted = true;
        else malformed = true;
        break;
      case TcpOptionKind.SACK:
        if (length >= 10 && (length - 2) % 8 === 0) (options ??= {}).sack = readSackBlocks(data, i + 2, i + length);
        else malformed = true;
        break;
      case TcpOptionKind.TIMESTAMP:
        if (length === 10) (options ??= {}).timestamp = [readU32(data, i + 2), readU32(data, i + 6)];
        else malformed = true;
        break;
      default:
        // Unknown kinds (TFO, MPTCP, MD5, AO…) are skipped by their length.
        break;
    }
    i += length;
  }
  out.options = options ?? EMPTY_TCP_OPTIONS;
  out.optionsMalformed = malformed;
}

function readU32(data: Uint8Array, off: number): number {
  return ((data[off] << 24) | (data[off + 1] << 16) | (data[off + 2] << 8) | data[off + 3]) >>> 0;
}

function readSackBlocks(data: Uint8Array, start: number, end: number): Array<[number, number]> {
  const blocks: Array<[number, number]> = [];
  for (let i = start; i + 8 <= end; i += 8) blocks.push([readU32(data, i), readU32(data, i + 4)]);
  return blocks;
}
