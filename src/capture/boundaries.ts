/**
 * Where the whole records of a raw pcap or pcapng byte stream end, without parsing frames: the
 * recorder (`--write`, the live spool) copies the bytes through unchanged and needs only to know
 * how far they form a valid capture (a file cut there opens in Wireshark) and how many packets
 * that is (`-c N`). A pcap record is 16 header bytes plus its captured length; a pcapng block
 * carries its total length at offset 4, in the byte order of its section.
 */
import { MAX_UNIT_LENGTH, u32 } from './bytes.js';
import { PCAP_GLOBAL_HEADER_LENGTH as PCAP_GLOBAL_HEADER, PCAP_RECORD_HEADER_LENGTH as PCAP_RECORD_HEAD, pcapVariant } from './pcap.js';
import { BLOCK_OVERHEAD, BlockType, BYTE_ORDER_MAGIC } from './pcapng.js';

/** pcapng blocks that carry a packet: Enhanced, Simple, and the obsolete Packet Block. */
const PACKET_BLOCKS = new Set<number>([BlockType.ENHANCED_PACKET, BlockType.SIMPLE_PACKET, BlockType.PACKET]);
/** Enough for a pcapng block's type, length and (in an SHB) byte-order magic; a pcap global header is longer. */
const BLOCK_HEAD = BLOCK_OVERHEAD;

type Layout = 'start' | 'pcap' | 'pcapng';

export class RecordBoundaries {
  /** Input offset just after the last whole record (or header/block): a capture cut here is valid. */
  complete = 0;
  /** Packet records among the whole ones (up to the limit). */
  packets = 0;
  /** The bytes stopped looking like a capture: boundaries are no longer tracked (`complete` stays). */
  broken = false;
  /** Input offset where the limit's last packet ends, once reached; null before. */
  limitEnd: number | null = null;
  private layout: Layout = 'start';
  private bigEndian = false;
  private offset = 0;
  private readonly head = new Uint8Array(PCAP_GLOBAL_HEADER);
  private headLength = 0;
  /** Bytes of the current unit still to pass after its head. */
  private skip = 0;
  private unitIsPacket = false;

  /** `maxPackets`: stop counting after this many packets (limitEnd says where). */
  constructor(private readonly maxPackets = Number.POSITIVE_INFINITY) {}

  /** The stream's format, once its first bytes arrived. */
  get format(): 'pcap' | 'pcapng' | null {
    return this.layout === 'start' ? null : this.layout;
  }

  push(chunk: Uint8Array): void {
    let i = 0;
    while (i < chunk.length && !this.broken && this.limitEnd === null) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        this.offset += n;
        if (this.skip === 0) this.unitDone();
        continue;
      }
      const want = this.layout === 'pcap' ? PCAP_RECORD_HEAD : BLOCK_HEAD;
      const n = Math.min(want - this.headLength, chunk.length - i);
      this.head.set(chunk.subarray(i, i + n), this.headLength);
      this.headLength += n;
      i += n;
      this.offset += n;
      if (this.headLength === want) this.startUnit(want);
    }
  }

  private startUnit(headLength: number): void {
    const length = this.unitLength();
    this.headLength = 0;
    if (length === null || length < headLength || length > MAX_UNIT_LENGTH) {
      this.broken = true;
      return;
    }
    this.skip = length - headLength;
    if (this.skip === 0) this.unitDone();
  }

  /** The length of the unit whose head is in `head`, or null when it is not a capture's. */
  private unitLength(): number | null {
    const h = this.head;
    if (this.layout === 'pcap') {
      this.unitIsPacket = true;
      return PCAP_RECORD_HEAD + u32(h, 8, !this.bigEndian);
    }
    const magic = u32(h, 0, false);
    const pcap = this.layout === 'start' ? pcapVariant(magic) : null;
    if (pcap !== null) {
      this.layout = 'pcap';
      this.bigEndian = !pcap.littleEndian;
      this.unitIsPacket = false;
      return PCAP_GLOBAL_HEADER;
    }
    if (magic === BlockType.SECTION_HEADER) {
      // The section's byte order is that in which its byte-order magic reads right.
      if (u32(h, 8, false) === BYTE_ORDER_MAGIC) this.bigEndian = true;
      else if (u32(h, 8, true) === BYTE_ORDER_MAGIC) this.bigEndian = false;
      else return null;
      this.layout = 'pcapng';
    } else if (this.layout !== 'pcapng') {
      return null;
    }
    const length = u32(h, 4, !this.bigEndian);
    if (length % 4 !== 0) return null;
    this.unitIsPacket = PACKET_BLOCKS.has(u32(h, 0, !this.bigEndian));
    return length;
  }

  private unitDone(): void {
    this.complete = this.offset;
    if (!this.unitIsPacket) return;
    this.packets++;
    if (this.packets >= this.maxPackets) this.limitEnd = this.offset;
  }
}
