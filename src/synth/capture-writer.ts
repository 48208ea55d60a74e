import { PcapMagic } from '../capture/pcap.js';
import { BlockType, BYTE_ORDER_MAGIC } from '../capture/pcapng.js';
import { DEFAULT_TICKS_PER_SECOND, secondsToTicks, tsresolTicksPerSecond } from '../capture/timestamp.js';

/**
 * src/synth/ builds synthetic captures: it is used by the tests, the benchmark and
 * captures/make-lo0.mjs, never by the pipeline (which must not import from here).
 *
 * Capture writers for tests, the benchmark generator and re-encoding real captures (e.g. as a
 * macOS lo0 variant). They write exactly what they are told, including impossible values
 * (originalLength < data.length, undefined interface ids), so tests can craft damaged files.
 * The output of well-formed input is accepted by `tshark -r` and `capinfos`.
 */

export interface WriterFrame {
  /** Seconds since the Unix epoch. */
  time: number;
  /** Full packet bytes; the writer cuts them to the snaplen, as a capture tool would. */
  data: Uint8Array;
  /** Length on the wire (default data.length). */
  originalLength?: number;
  /** pcapng interface id (default 0); ignored by pcap. */
  interfaceId?: number;
}

export interface PcapWriterOptions {
  linkType: number;
  nanosecond?: boolean;
  bigEndian?: boolean;
  /** Written in the header and used to cut data (default 262144; 0 = do not cut). */
  snaplen?: number;
}

export interface PcapngInterface {
  linkType: number;
  /** 0 = no limit (the default). */
  snaplen?: number;
  /** Raw if_tsresol byte, e.g. 6, 9, 0x80 | 20; omitted = option not written (µs). */
  tsresol?: number;
  /** if_tsoffset seconds; omitted = option not written. */
  tsoffset?: number;
}

export type PacketBlockKind = 'epb' | 'spb' | 'pb';

export interface PcapngFrame extends WriterFrame {
  /** Which packet block to use (default Enhanced Packet Block). */
  block?: PacketBlockKind;
}

export interface PcapngSectionHeader {
  bigEndian?: boolean;
  interfaces: PcapngInterface[];
}

export interface PcapngSection extends PcapngSectionHeader {
  frames: PcapngFrame[];
  /** Raw blocks (NRB, ISB, DSB, custom…) placed before frame `beforeFrame` (default: end of section). */
  extraBlocks?: Array<{ type: number; body: Uint8Array; beforeFrame?: number }>;
}

const DEFAULT_PCAP_SNAPLEN = 262144;

/** Writes a classic pcap file in one piece. */
export function writePcap(frames: Iterable<WriterFrame>, opts: PcapWriterOptions): Buffer {
  const writer = new PcapStreamWriter(opts);
  const parts = [writer.header()];
  for (const frame of frames) parts.push(writer.frame(frame));
  return Buffer.concat(parts);
}

/** Writes a pcapng file of one or more sections in one piece. */
export function writePcapng(sections: PcapngSection[]): Buffer {
  const parts: Buffer[] = [];
  for (const section of sections) {
    const writer = new PcapngStreamWriter(section);
    parts.push(writer.header());
    const extras = section.extraBlocks ?? [];
    section.frames.forEach((frame, i) => {
      for (const extra of extras) if (extra.beforeFrame === i) parts.push(writer.block(extra.type, extra.body));
      parts.push(writer.frame(frame));
    });
    for (const extra of extras) {
      if (extra.beforeFrame === undefined || extra.beforeFrame >= section.frames.length) {
        parts.push(writer.block(extra.type, extra.body));
      }
    }
  }
  return Buffer.concat(parts);
}

/** Incremental pcap writer: `header()` once, then `frame()` per packet, so huge files stream. */
export class PcapStreamWriter {
  private readonly le: boolean;
  private readonly snaplen: number;
  private readonly ticksPerSecond: number;

  constructor(private readonly opts: PcapWriterOptions) {
    this.le = !opts.bigEndian;
    this.snaplen = opts.snaplen ?? DEFAULT_PCAP_SNAPLEN;
    this.ticksPerSecond = opts.nanosecond ? 1e9 : 1e6;
  }

  header(): Buffer {
    const b = Buffer.alloc(24);
    put32(b, 0, this.opts.nanosecond ? PcapMagic.NANOSECONDS : PcapMagic.MICROSECONDS, this.le);
    put16(b, 4, 2, this.le);
    put16(b, 6, 4, this.le);
    put32(b, 16, this.snaplen, this.le);
    put32(b, 20, this.opts.linkType, this.le);
    return b;
  }

  frame(f: WriterFrame): Buffer {
    const data = cut(f.data, this.snaplen);
    const b = Buffer.alloc(16 + data.length);
    // pcap stores whole seconds + fraction, so split (exactly) rather than multiply out.
    const seconds = Math.floor(f.time);
    let fraction = Math.round((f.time - seconds) * this.ticksPerSecond);
    let whole = seconds;
    if (fraction >= this.ticksPerSecond) {
      whole += 1;
      fraction -= this.ticksPerSecond;
    }
    put32(b, 0, whole, this.le);
    put32(b, 4, fraction, this.le);
    put32(b, 8, data.length, this.le);
    put32(b, 12, f.originalLength ?? f.data.length, this.le);
    b.set(data, 16);
    return b;
  }
}

/** Incremental pcapng writer for one section: `header()` (SHB + IDBs), then `frame()`/`block()`. */
export class PcapngStreamWriter {
  private readonly le: boolean;

  constructor(private readonly section: PcapngSectionHeader) {
    this.le = !section.bigEndian;
  }

  header(): Buffer {
    const shb = this.newBlock(BlockType.SECTION_HEADER, 16);
    put32(shb, 8, BYTE_ORDER_MAGIC, this.le);
    put16(shb, 12, 1, this.le);
    put16(shb, 14, 0, this.le);
    // Section length -1: "not specified", which is what streaming writers use.
    put32(shb, 16, 0xffffffff, this.le);
    put32(shb, 20, 0xffffffff, this.le);
    return Buffer.concat([shb, ...this.section.interfaces.map((iface) => this.interfaceBlock(iface))]);
  }

  frame(f: PcapngFrame): Buffer {
    const interfaceId = f.interfaceId ?? 0;
    const iface = this.section.interfaces[interfaceId];
    const data = cut(f.data, iface?.snaplen ?? 0);
    const originalLength = f.originalLength ?? f.data.length;
    const kind = f.block ?? 'epb';
    if (kind === 'spb') {
      const b = this.newBlock(BlockType.SIMPLE_PACKET, 4 + pad4(data.length));
      put32(b, 8, originalLength, this.le);
      b.set(data, 12);
      return b;
    }
    const b = this.newBlock(kind === 'epb' ? BlockType.ENHANCED_PACKET : BlockType.PACKET, 20 + pad4(data.length));
    if (kind === 'epb') put32(b, 8, interfaceId, this.le);
    else put16(b, 8, interfaceId, this.le); // drops count (next 2 bytes) stays 0
    const ticksPerSecond = iface?.tsresol === undefined ? DEFAULT_TICKS_PER_SECOND : tsresolTicksPerSecond(iface.tsresol);
    const { high, low } = secondsToTicks(f.time - (iface?.tsoffset ?? 0), ticksPerSecond);
    put32(b, 12, high, this.le);
    put32(b, 16, low, this.le);
    put32(b, 20, data.length, this.le);
    put32(b, 24, originalLength, this.le);
    b.set(data, 28);
    return b;
  }

  /** Any block given its raw body (padded to 4 bytes here). */
  block(type: number, body: Uint8Array): Buffer {
    const b = this.newBlock(type, pad4(body.length));
    b.set(body, 8);
    return b;
  }

  private interfaceBlock(iface: PcapngInterface): Buffer {
    const options: Buffer[] = [];
    if (iface.tsresol !== undefined) options.push(this.option(9, Buffer.from([iface.tsresol])));
    if (iface.tsoffset !== undefined) {
      const value = Buffer.alloc(8);
      if (this.le) value.writeBigInt64LE(BigInt(iface.tsoffset));
      else value.writeBigInt64BE(BigInt(iface.tsoffset));
      options.push(this.option(14, value));
    }
    if (options.length > 0) options.push(Buffer.alloc(4)); // opt_endofopt
    const optionBytes = Buffer.concat(options);
    const b = this.newBlock(BlockType.INTERFACE_DESCRIPTION, 8 + optionBytes.length);
    put16(b, 8, iface.linkType, this.le);
    put32(b, 12, iface.snaplen ?? 0, this.le);
    optionBytes.copy(b, 16);
    return b;
  }

  private option(code: number, value: Uint8Array): Buffer {
    const b = Buffer.alloc(4 + pad4(value.length));
    put16(b, 0, code, this.le);
    put16(b, 2, value.length, this.le);
    b.set(value, 4);
    return b;
  }

  /** A zeroed block with its type and both lengths written; the body starts at offset 8. */
  private newBlock(type: number, bodyLength: number): Buffer {
    const length = 12 + bodyLength;
    const b = Buffer.alloc(length);
    put32(b, 0, type, this.le);
    put32(b, 4, length, this.le);
    put32(b, length - 4, length, this.le);
    return b;
  }
}

function cut(data: Uint8Array, snaplen: number): Uint8Array {
  return snaplen > 0 && data.length > snaplen ? data.subarray(0, snaplen) : data;
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}

function put16(b: Buffer, o: number, value: number, le: boolean): void {
  if (le) b.writeUInt16LE(value, o);
  else b.writeUInt16BE(value, o);
}

function put32(b: Buffer, o: number, value: number, le: boolean): void {
  if (le) b.writeUInt32LE(value >>> 0, o);
  else b.writeUInt32BE(value >>> 0, o);
}
