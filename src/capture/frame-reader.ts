/**
 * Reads single frames of a capture file again, by the file offset the first pass recorded
 * (Frame.fileOffset, SegmentRecord.fileOffset): front ends keep offsets, not bytes, and fetch a
 * connection's frames when someone looks at them.
 *
 * A frame is parsed by the same readers as the first pass: the record or block at the offset is
 * handed to a CaptureReader behind what gives it meaning — the pcap file header, or the pcapng
 * Section Header Block and the Interface Description Blocks before it in its section (link type,
 * if_tsresol, if_tsoffset). For pcapng those are found by walking block headers from the start of
 * the file once, as far as the furthest offset asked for so far.
 *
 * Not for stdin (there is no file to go back to). A Simple Packet Block has no timestamp of its
 * own: read alone it gets time 0.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { u32 } from './bytes.js';
import { CaptureError, type Frame } from './frame.js';
import { PCAP_GLOBAL_HEADER_LENGTH, PCAP_RECORD_HEADER_LENGTH, pcapVariant } from './pcap.js';
import { BlockType, BYTE_ORDER_MAGIC } from './pcapng.js';
import { CaptureReader } from './reader.js';

/** Bytes read at a time while walking pcapng block headers. */
const SCAN_CHUNK = 1 << 20;

/**
 * Bytes read at a time for frames: a connection analysed again asks for its frames in file order,
 * and a busy connection's frames lie close together (25,000 frames of a 107 MB capture took 2.2 s
 * read one by one, two reads each).
 */
const WINDOW = 1 << 20;

/** How far the read-ahead window reaches back into the current one: a frame's largest record (snaplen 262 144) and its header. */
const AHEAD_OVERLAP = 256 * 1024 + 64;

/** One pcapng section as far as walked: its SHB and IDBs, with their offsets. */
interface Section {
  offset: number;
  littleEndian: boolean;
  /** The SHB, then each IDB in order. */
  blocks: Array<{ offset: number; bytes: Uint8Array }>;
}

export class FrameReader {
  private readonly sections: Section[] = [];
  /** The stretch of the file read last: frames are views of it (a new window is a new buffer, never one written over). */
  private window: { start: number; bytes: Uint8Array } | null = null;
  /** The stretch after `window`, being read: a connection's frames are asked for in file order. */
  private ahead: { start: number; read: Promise<Uint8Array> } | null = null;
  /** The reader units are parsed with, and what it was fed of `section` (the pcap header: 1). */
  private parsing: { reader: CaptureReader; section: Section | null; blocks: number } | null = null;
  private found: Frame | null = null;
  /** pcapng: offset of the next block header not walked yet. */
  private walked = 0;

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
    /** The file's size when last looked at: a spool being written grows (see pcapngUnit). */
    private size: number,
    /** pcap: the 24-byte file header; null for pcapng. */
    private readonly pcapHeader: Uint8Array | null,
    private readonly pcapLittleEndian: boolean,
  ) {}

  /** Opens a pcap or pcapng file. Throws CaptureError ('io', 'not-a-capture') naming the file. */
  static async open(path: string): Promise<FrameReader> {
    let file: FileHandle;
    try {
      file = await open(path, 'r');
    } catch (error) {
      throw new CaptureError('io', path, 0, describeOpenFailure(error as NodeJS.ErrnoException), 0);
    }
    try {
      const size = (await file.stat()).size;
      const head = await readAt(file, 0, PCAP_GLOBAL_HEADER_LENGTH);
      const magic = head.length >= 4 ? u32(head, 0, false) : 0;
      if (magic === BlockType.SECTION_HEADER) return new FrameReader(path, file, size, null, true);
      const variant = pcapVariant(magic);
      if (variant === null || head.length < PCAP_GLOBAL_HEADER_LENGTH) {
        throw new CaptureError('not-a-capture', path, 0, 'not a pcap or pcapng capture file', 0);
      }
      return new FrameReader(path, file, size, head, variant.littleEndian);
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  /**
   * The frame whose record or block starts at `fileOffset`, numbered `frameNumber` (the first
   * pass's number: a frame read alone cannot know its own). Throws CaptureError when no frame
   * starts there or the bytes are damaged.
   */
  async read(fileOffset: number, frameNumber: number): Promise<Frame> {
    const unit = this.pcapHeader !== null ? await this.pcapUnit(fileOffset) : await this.pcapngUnit(fileOffset);
    const found = this.parseUnit(unit.section, fileOffset, unit.bytes);
    if (typeof found === 'string') throw new CaptureError('malformed', this.path, fileOffset, `no frame ${frameNumber} at this offset${found}`, 0);
    return { ...found, index: frameNumber, fileOffset };
  }

  /**
   * The frame of one record or block, parsed by a reader kept across reads (one reader and one
   * header parse per frame cost more than the frame), fed what gives the unit its meaning first:
   * the pcap file header, or the section's SHB and the IDBs before the unit. A unit that gives no
   * frame (damaged, cut short, not a packet block) returns why, and the next read starts afresh.
   */
  private parseUnit(section: Section | null, offset: number, bytes: Uint8Array): Frame | string {
    let parsing = this.parsing;
    if (parsing === null || parsing.section !== section) {
      const reader = new CaptureReader(this.path, (f) => {
        this.found = f;
      });
      parsing = { reader, section, blocks: 0 };
      this.parsing = parsing;
    }
    this.found = null;
    try {
      if (section === null) {
        if (parsing.blocks === 0) parsing.reader.push(this.pcapHeader as Uint8Array);
        parsing.blocks = 1;
      } else {
        // IDBs come in file order; those after the unit do not change how it reads.
        while (parsing.blocks < section.blocks.length && section.blocks[parsing.blocks].offset < offset) parsing.reader.push(section.blocks[parsing.blocks++].bytes);
      }
      parsing.reader.push(bytes);
    } catch (error) {
      this.parsing = null;
      if (error instanceof CaptureError) return `: ${error.detail}`;
      throw error;
    }
    const found = this.found as Frame | null;
    if (found === null) this.parsing = null;
    return found ?? '';
  }

  async close(): Promise<void> {
    await this.file.close();
  }

  /** The pcap file header and the record at `offset`. */
  private async pcapUnit(offset: number): Promise<{ section: null; bytes: Uint8Array }> {
    const header = await this.bytesAt(offset, PCAP_RECORD_HEADER_LENGTH);
    if (header.length < PCAP_RECORD_HEADER_LENGTH) throw this.noFrame(offset);
    const caplen = u32(header, 8, this.pcapLittleEndian);
    const record = await this.bytesAt(offset, PCAP_RECORD_HEADER_LENGTH + caplen);
    return { section: null, bytes: record };
  }

  /** The section holding `offset` (its SHB and IDBs), and the block at `offset`. */
  private async pcapngUnit(offset: number): Promise<{ section: Section; bytes: Uint8Array }> {
    // A reader kept open on a file still being written (the live spool): it may have grown since.
    if (offset >= this.size) this.size = (await this.file.stat()).size;
    if (offset < 0 || offset >= this.size) throw this.noFrame(offset);
    await this.walkTo(offset);
    const section = this.sectionAt(offset);
    if (section === undefined) throw this.noFrame(offset);
    const header = await this.bytesAt(offset, 8);
    const length = u32(header, 4, section.littleEndian);
    return { section, bytes: await this.bytesAt(offset, length) };
  }

  /** `length` bytes at `position` (fewer at the end of the file), from the window read last when it holds them. */
  private async bytesAt(position: number, length: number): Promise<Uint8Array> {
    const held = within(this.window, position, length);
    if (held !== null) return held;
    const ahead = this.ahead;
    this.ahead = null;
    const next = ahead !== null && position >= ahead.start ? { start: ahead.start, bytes: await ahead.read } : null;
    const w = next !== null && within(next, position, length) !== null ? next : { start: position, bytes: await readAt(this.file, position, Math.max(length, WINDOW)) };
    this.window = w;
    // The stretch after it, read while this one is parsed: a frame that runs past its end is in both.
    if (w.bytes.length === WINDOW) {
      const start = w.start + WINDOW - AHEAD_OVERLAP;
      this.ahead = { start, read: readAt(this.file, start, WINDOW).catch(() => new Uint8Array(0)) };
    }
    return within(w, position, length) ?? w.bytes.subarray(position - w.start);
  }

  private sectionAt(offset: number): Section | undefined {
    let found: Section | undefined;
    for (const section of this.sections) if (section.offset <= offset) found = section;
    return found;
  }

  /** Walks block headers up to `offset`, keeping every SHB and IDB. */
  private async walkTo(offset: number): Promise<void> {
    let chunk: Uint8Array = new Uint8Array(0);
    let chunkStart = this.walked;
    while (this.walked <= offset && this.walked + 12 <= this.size) {
      const at = this.walked - chunkStart;
      if (at + 12 > chunk.length) {
        chunkStart = this.walked;
        chunk = await readAt(this.file, chunkStart, SCAN_CHUNK);
        continue;
      }
      const type = u32(chunk, at, true);
      const current = this.sections.at(-1);
      let littleEndian = current?.littleEndian ?? true;
      if (type === BlockType.SECTION_HEADER) littleEndian = u32(chunk, at + 8, true) === BYTE_ORDER_MAGIC;
      const blockType = u32(chunk, at, littleEndian);
      const length = u32(chunk, at + 4, littleEndian);
      if (length < 12 || length % 4 !== 0) throw new CaptureError('malformed', this.path, this.walked, `pcapng block length ${length}`, 0);
      if (blockType === BlockType.SECTION_HEADER) {
        this.sections.push({ offset: this.walked, littleEndian, blocks: [{ offset: this.walked, bytes: await readAt(this.file, this.walked, length) }] });
      } else if (blockType === BlockType.INTERFACE_DESCRIPTION && current !== undefined) {
        current.blocks.push({ offset: this.walked, bytes: await readAt(this.file, this.walked, length) });
      }
      this.walked += length;
    }
  }

  private noFrame(offset: number): CaptureError {
    return new CaptureError('malformed', this.path, offset, 'no frame starts at this offset', 0);
  }
}

/** `length` bytes at `position` of a window that holds them all, or null. */
function within(w: { start: number; bytes: Uint8Array } | null, position: number, length: number): Uint8Array | null {
  if (w === null || position < w.start || position + length > w.start + w.bytes.length) return null;
  return w.bytes.subarray(position - w.start, position - w.start + length);
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  const { bytesRead } = await file.read(bytes, 0, length, position);
  return bytesRead === length ? bytes : bytes.subarray(0, bytesRead);
}

function describeOpenFailure(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'no such file or directory';
  if (error.code === 'EISDIR') return 'is a directory, not a capture file';
  return `cannot read: ${error.message}`;
}
