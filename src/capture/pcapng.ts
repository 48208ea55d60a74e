import { hex32, i64, MAX_UNIT_LENGTH, u16, u32 } from './bytes.js';
import type { FormatParser } from './format.js';
import type { FrameSink } from './sink.js';
import { DEFAULT_TICKS_PER_SECOND, ticksToSeconds, tsresolTicksPerSecond } from './timestamp.js';

/**
 * pcapng: a sequence of blocks `type(4) length(4) body… length(4)`, grouped into sections that
 * each start with a Section Header Block fixing the byte order and resetting the interfaces.
 * https://datatracker.ietf.org/doc/draft-ietf-opsawg-pcapng/
 */

export const BlockType = {
  SECTION_HEADER: 0x0a0d0d0a,
  INTERFACE_DESCRIPTION: 0x00000001,
  /** Obsolete Packet Block, still written by old tools. */
  PACKET: 0x00000002,
  SIMPLE_PACKET: 0x00000003,
  NAME_RESOLUTION: 0x00000004,
  INTERFACE_STATISTICS: 0x00000005,
  ENHANCED_PACKET: 0x00000006,
  SYSTEMD_JOURNAL_EXPORT: 0x00000009,
  DECRYPTION_SECRETS: 0x0000000a,
  CUSTOM: 0x00000bad,
  CUSTOM_DO_NOT_COPY: 0x40000bad,
} as const;

/** Written in the SHB in the section's byte order; how a reader learns that order. */
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** type(4) + length(4) + trailing length(4): the smallest possible block. */
export const BLOCK_OVERHEAD = 12;

/** Smallest total length of each block we parse: the fixed fields plus the 12-byte frame. */
const MIN_LENGTH: ReadonlyMap<number, { bytes: number; name: string }> = new Map([
  [BlockType.SECTION_HEADER, { bytes: 28, name: 'a Section Header Block' }],
  [BlockType.INTERFACE_DESCRIPTION, { bytes: 20, name: 'an Interface Description Block' }],
  [BlockType.PACKET, { bytes: 32, name: 'a Packet Block' }],
  [BlockType.SIMPLE_PACKET, { bytes: 16, name: 'a Simple Packet Block' }],
  [BlockType.ENHANCED_PACKET, { bytes: 32, name: 'an Enhanced Packet Block' }],
]);

const OPTION_END = 0;
const OPTION_IF_TSRESOL = 9;
const OPTION_IF_TSOFFSET = 14;

/** What a packet block needs from its Interface Description Block, resolved once per IDB. */
export interface PcapngInterface {
  linkType: number;
  /** 0 means "no limit". */
  snaplen: number;
  ticksPerSecond: number;
  /** if_tsoffset: seconds added to every timestamp. */
  offsetSeconds: number;
}

/** Splits a pcapng stream into frames; see FormatParser for the contract. */
export class PcapngParser implements FormatParser {
  need = BLOCK_OVERHEAD;
  /** Byte order of the current section (set by each SHB). */
  private littleEndian = true;
  /** Interfaces of the current section, indexed by interface id. */
  interfaces: PcapngInterface[] = [];
  /** Simple Packet Blocks carry no timestamp: they reuse the previous frame's (see simplePacket). */
  private lastTime = 0;

  constructor(private readonly sink: FrameSink) {}

  parse(b: Uint8Array, pos: number, end: number, base: number): number {
    for (;;) {
      const available = end - pos;
      // Every block is at least 12 bytes, and 12 covers the SHB's byte-order magic.
      if (available < BLOCK_OVERHEAD) {
        this.need = BLOCK_OVERHEAD;
        return pos;
      }
      // The SHB type is a palindrome, so it reads the same before we know the byte order.
      const type = u32(b, pos, this.littleEndian);
      const le = type === BlockType.SECTION_HEADER ? this.sectionByteOrder(b, pos, base) : this.littleEndian;
      const length = u32(b, pos + 4, le);
      this.checkBlockLength(type, length, base + pos);
      if (available < length) {
        this.need = length;
        return pos;
      }
      const trailer = u32(b, pos + length - 4, le);
      if (trailer !== length) {
        throw this.sink.error(
          'malformed',
          base + pos,
          `pcapng block of type ${hex32(type)} has trailing length ${trailer}, but its header says ${length}`,
        );
      }
      switch (type) {
        case BlockType.ENHANCED_PACKET:
          this.enhancedPacket(b, pos, length, base);
          break;
        case BlockType.SIMPLE_PACKET:
          this.simplePacket(b, pos, length, base);
          break;
        case BlockType.PACKET:
          this.obsoletePacket(b, pos, length, base);
          break;
        case BlockType.INTERFACE_DESCRIPTION:
          this.interfaceDescription(b, pos, length, base);
          break;
        case BlockType.SECTION_HEADER:
          this.sectionHeader(b, pos, le, base);
          break;
        case BlockType.CUSTOM:
        case BlockType.CUSTOM_DO_NOT_COPY:
        case BlockType.SYSTEMD_JOURNAL_EXPORT:
          // Wireshark lists these as frames of their own; keep our numbering equal to its.
          this.sink.stats.skippedBlocks++;
          this.sink.skipNumber();
          break;
        default:
          // NRB, ISB, DSB and unknown blocks carry nothing a frame needs.
          this.sink.stats.skippedBlocks++;
      }
      pos += length;
    }
  }

  describeTruncation(b: Uint8Array, length: number): string {
    if (length < BLOCK_OVERHEAD) {
      return `file ends inside a pcapng block header (${length} of ${BLOCK_OVERHEAD} bytes)`;
    }
    const type = u32(b, 0, this.littleEndian);
    const le = type === BlockType.SECTION_HEADER ? u32(b, 8, true) === BYTE_ORDER_MAGIC : this.littleEndian;
    return `file ends inside a pcapng block of type ${hex32(type)} (${length} of ${u32(b, 4, le)} bytes)`;
  }

  /** Byte order from the SHB's byte-order magic; anything else means this is not pcapng at all. */
  private sectionByteOrder(b: Uint8Array, pos: number, base: number): boolean {
    const magic = u32(b, pos + 8, true);
    if (magic === BYTE_ORDER_MAGIC) return true;
    if (u32(b, pos + 8, false) === BYTE_ORDER_MAGIC) return false;
    // At offset 0 the "SHB type" may just be text starting with \n\r\r\n: not a capture at all.
    const code = base + pos === 0 ? 'not-a-capture' : 'malformed';
    throw this.sink.error(
      code,
      base + pos,
      `pcapng Section Header Block has byte-order magic ${hex32(u32(b, pos + 8, false))}, expected 0x1a2b3c4d in either byte order`,
    );
  }

  /** Checks a block's length before anything trusts it: minimum for its type, alignment, sanity bound. */
  private checkBlockLength(type: number, length: number, offset: number): void {
    const min = MIN_LENGTH.get(type) ?? { bytes: BLOCK_OVERHEAD, name: 'any block' };
    let problem: string | null = null;
    if (length < min.bytes) problem = `less than the ${min.bytes} bytes ${min.name} needs`;
    else if (length % 4 !== 0) problem = 'not a multiple of 4';
    else if (length > MAX_UNIT_LENGTH) problem = `more than the ${MAX_UNIT_LENGTH}-byte limit`;
    if (problem !== null) {
      throw this.sink.error('malformed', offset, `pcapng block of type ${hex32(type)} claims length ${length}, ${problem}`);
    }
  }

  /** A new section: new byte order, and interface ids start again from 0. */
  private sectionHeader(b: Uint8Array, pos: number, le: boolean, base: number): void {
    const major = u16(b, pos + 12, le);
    if (major !== 1) {
      const minor = u16(b, pos + 14, le);
      throw this.sink.error('malformed', base + pos, `unsupported pcapng version ${major}.${minor} (only 1.x exists)`);
    }
    this.littleEndian = le;
    this.interfaces = [];
    this.sink.stats.sections++;
  }

  private interfaceDescription(b: Uint8Array, pos: number, length: number, base: number): void {
    const le = this.littleEndian;
    const iface: PcapngInterface = {
      linkType: u16(b, pos + 8, le),
      snaplen: u32(b, pos + 12, le),
      ticksPerSecond: DEFAULT_TICKS_PER_SECOND,
      offsetSeconds: 0,
    };
    const optionsEnd = pos + length - 4;
    let o = pos + 16;
    while (o + 4 <= optionsEnd) {
      const code = u16(b, o, le);
      const size = u16(b, o + 2, le);
      if (code === OPTION_END) break;
      const value = o + 4;
      if (value + size > optionsEnd) {
        throw this.sink.error(
          'malformed',
          base + pos,
          `Interface Description Block option ${code} claims ${size} bytes, past the end of the block`,
        );
      }
      if (code === OPTION_IF_TSRESOL && size >= 1) iface.ticksPerSecond = tsresolTicksPerSecond(b[value]);
      else if (code === OPTION_IF_TSOFFSET && size >= 8) iface.offsetSeconds = i64(b, value, le);
      o = value + ((size + 3) & ~3);
    }
    this.interfaces.push(iface);
    this.sink.stats.interfaces++;
  }

  /** EPB: interface id(4) ts high(4) ts low(4) captured(4) original(4) data… options… */
  private enhancedPacket(b: Uint8Array, pos: number, length: number, base: number): void {
    const le = this.littleEndian;
    const interfaceId = u32(b, pos + 8, le);
    this.timestampedPacket(b, pos, length, base, interfaceId, 'Enhanced Packet Block');
  }

  /** Obsolete PB: interface id(2) drops(2) then the same layout as an EPB. */
  private obsoletePacket(b: Uint8Array, pos: number, length: number, base: number): void {
    const interfaceId = u16(b, pos + 8, this.littleEndian);
    this.timestampedPacket(b, pos, length, base, interfaceId, 'Packet Block');
  }

  private timestampedPacket(b: Uint8Array, pos: number, length: number, base: number, interfaceId: number, name: string): void {
    const le = this.littleEndian;
    const iface = this.interfaceFor(interfaceId, base + pos, name);
    const capturedLength = u32(b, pos + 20, le);
    const room = length - 32;
    if (capturedLength > room) {
      throw this.sink.error(
        'malformed',
        base + pos,
        `${name} captured length ${capturedLength} exceeds the ${room} bytes its block has room for`,
      );
    }
    const time = ticksToSeconds(u32(b, pos + 12, le), u32(b, pos + 16, le), iface.ticksPerSecond) + iface.offsetSeconds;
    this.lastTime = time;
    const start = pos + 28;
    const data = b.subarray(start, start + capturedLength);
    this.sink.emit(data, time, iface.linkType, u32(b, pos + 24, le), base + pos, interfaceId);
  }

  /**
   * SPB: original length(4) data… — always interface 0, and no timestamp: we reuse the previous
   * frame's time (0 before any) so durations computed downstream stay sane. Captured length is
   * implied: min(original, snaplen, room in the block), since the block is padded to 4 bytes.
   */
  private simplePacket(b: Uint8Array, pos: number, length: number, base: number): void {
    const iface = this.interfaceFor(0, base + pos, 'Simple Packet Block');
    const originalLength = u32(b, pos + 8, this.littleEndian);
    let capturedLength = Math.min(originalLength, length - 16);
    if (iface.snaplen !== 0 && iface.snaplen < capturedLength) capturedLength = iface.snaplen;
    const start = pos + 12;
    this.sink.emit(b.subarray(start, start + capturedLength), this.lastTime, iface.linkType, originalLength, base + pos, 0);
  }

  private interfaceFor(interfaceId: number, offset: number, name: string): PcapngInterface {
    const iface = this.interfaces[interfaceId];
    if (iface === undefined) {
      const count = this.interfaces.length;
      throw this.sink.error(
        'malformed',
        offset,
        `${name} refers to interface ${interfaceId}, but this section defines ${count} interface${count === 1 ? '' : 's'}`,
      );
    }
    return iface;
  }
}
