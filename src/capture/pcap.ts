import { MAX_UNIT_LENGTH, u16, u32 } from './bytes.js';
import type { FormatParser } from './format.js';
import type { FrameSink } from './sink.js';

/**
 * Classic libpcap files: a 24-byte global header, then records of a 16-byte header plus the
 * captured bytes. https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcap/
 */

export const PCAP_GLOBAL_HEADER_LENGTH = 24;
export const PCAP_RECORD_HEADER_LENGTH = 16;

/** The four magics, as the first four bytes read big-endian. */
export const PcapMagic = {
  MICROSECONDS: 0xa1b2c3d4,
  NANOSECONDS: 0xa1b23c4d,
  MICROSECONDS_SWAPPED: 0xd4c3b2a1,
  NANOSECONDS_SWAPPED: 0x4d3cb2a1,
} as const;

export interface PcapVariant {
  littleEndian: boolean;
  nanosecond: boolean;
}

/** Byte order and resolution for a magic read big-endian, or null if it is not a pcap magic. */
export function pcapVariant(magicBigEndian: number): PcapVariant | null {
  switch (magicBigEndian) {
    case PcapMagic.MICROSECONDS:
      return { littleEndian: false, nanosecond: false };
    case PcapMagic.NANOSECONDS:
      return { littleEndian: false, nanosecond: true };
    case PcapMagic.MICROSECONDS_SWAPPED:
      return { littleEndian: true, nanosecond: false };
    case PcapMagic.NANOSECONDS_SWAPPED:
      return { littleEndian: true, nanosecond: true };
    default:
      return null;
  }
}

/** The global header fields a reader needs (thiszone and sigfigs are always 0 in practice). */
export interface PcapHeader extends PcapVariant {
  versionMajor: number;
  versionMinor: number;
  /** Informational only: never used to size a buffer (some writers put 0xFFFFFFFF here). */
  snaplen: number;
  /** LINKTYPE_*: the low 16 bits; the upper bits carry FCS information we do not need. */
  linkType: number;
}

/** Decodes the global header at `o`; the caller has checked the magic and that 24 bytes are there. */
export function readPcapHeader(b: Uint8Array, o: number, variant: PcapVariant): PcapHeader {
  const le = variant.littleEndian;
  return {
    ...variant,
    versionMajor: u16(b, o + 4, le),
    versionMinor: u16(b, o + 6, le),
    snaplen: u32(b, o + 16, le),
    linkType: u32(b, o + 20, le) & 0xffff,
  };
}

/** Splits a pcap stream into frames; see FormatParser for the contract. */
export class PcapParser implements FormatParser {
  need = PCAP_GLOBAL_HEADER_LENGTH;
  /** Null until the global header has been read. */
  header: PcapHeader | null = null;

  constructor(
    private readonly sink: FrameSink,
    private readonly variant: PcapVariant,
  ) {}

  parse(b: Uint8Array, pos: number, end: number, base: number): number {
    if (this.header === null) {
      if (end - pos < PCAP_GLOBAL_HEADER_LENGTH) {
        this.need = PCAP_GLOBAL_HEADER_LENGTH;
        return pos;
      }
      this.header = readPcapHeader(b, pos, this.variant);
      this.sink.stats.sections = 1;
      this.sink.stats.interfaces = 1;
      pos += PCAP_GLOBAL_HEADER_LENGTH;
    }
    // Hoisted so the per-record loop touches only locals.
    const { littleEndian: le, nanosecond, linkType } = this.header;
    const sink = this.sink;
    // Frame views are built on the ArrayBuffer directly: cheaper than b.subarray per record.
    const buffer = b.buffer;
    const bufferOffset = b.byteOffset;
    for (;;) {
      const available = end - pos;
      if (available < PCAP_RECORD_HEADER_LENGTH) {
        this.need = PCAP_RECORD_HEADER_LENGTH;
        return pos;
      }
      const capturedLength = u32(b, pos + 8, le);
      const originalLength = u32(b, pos + 12, le);
      if (capturedLength > originalLength || capturedLength > MAX_UNIT_LENGTH) {
        throw sink.error('malformed', base + pos, describeBadLength(capturedLength, originalLength));
      }
      const recordLength = PCAP_RECORD_HEADER_LENGTH + capturedLength;
      if (available < recordLength) {
        this.need = recordLength;
        return pos;
      }
      const seconds = u32(b, pos, le);
      const fraction = u32(b, pos + 4, le);
      // µs: seconds * 1e6 + fraction is an exact integer (< 2^53), so one division rounds once and
      // 1700000000.123456 comes out as exactly that double. ns: that sum would not be exact.
      const time = nanosecond ? seconds + fraction / 1e9 : (seconds * 1e6 + fraction) / 1e6;
      const start = pos + PCAP_RECORD_HEADER_LENGTH;
      sink.emit(new Uint8Array(buffer, bufferOffset + start, capturedLength), time, linkType, originalLength, base + pos, 0);
      pos = start + capturedLength;
    }
  }

  describeTruncation(b: Uint8Array, length: number): string {
    if (this.header === null) {
      return `file ends inside the pcap global header (${length} of ${PCAP_GLOBAL_HEADER_LENGTH} bytes)`;
    }
    if (length < PCAP_RECORD_HEADER_LENGTH) {
      return `file ends inside a pcap record header (${length} of ${PCAP_RECORD_HEADER_LENGTH} bytes)`;
    }
    const capturedLength = u32(b, 8, this.header.littleEndian);
    return `file ends inside a pcap record (${length - PCAP_RECORD_HEADER_LENGTH} of ${capturedLength} bytes)`;
  }
}

function describeBadLength(capturedLength: number, originalLength: number): string {
  if (capturedLength > MAX_UNIT_LENGTH) {
    return `pcap record claims ${capturedLength} captured bytes, more than the ${MAX_UNIT_LENGTH}-byte limit`;
  }
  return `pcap record claims ${capturedLength} captured bytes but an original length of only ${originalLength}`;
}
