import { concatBytes, hex32, u32 } from './bytes.js';
import { CaptureError, type Frame } from './frame.js';
import type { FormatParser } from './format.js';
import { PcapParser, pcapVariant } from './pcap.js';
import { BlockType, PcapngParser } from './pcapng.js';
import { emptyStats, FrameSink, type CaptureFormat, type CaptureStats } from './sink.js';

export type { CaptureFormat, CaptureStats } from './sink.js';

/** Bytes needed to tell pcap from pcapng. */
const MAGIC_LENGTH = 4;

/**
 * A push parser over pcap or pcapng bytes, so one code path serves files, stdin and a pipe that is
 * still being written. Chunks are parsed in place: every Frame.data is a view of the chunk it
 * arrived in, so callers must hand over fresh chunks they never modify afterwards.
 *
 * A record that straddles chunks is the only thing copied: its pieces are kept (as views) until
 * the record is complete, then joined once into a new buffer that is never reused. Nothing is ever
 * written into a buffer a Frame may point at.
 *
 * Errors are sticky: after push or end threw a CaptureError, every later call throws it again.
 */
export class CaptureReader {
  readonly stats: CaptureStats = emptyStats();
  private readonly sink: FrameSink;
  private parser: FormatParser | null = null;
  /** Views of the unfinished unit at the end of the input so far, in order. */
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  /** Absolute input offset of the first pending byte. */
  private pendingOffset = 0;
  /** Total bytes the pending unit needs before it can be parsed (> pendingLength). */
  private need = MAGIC_LENGTH;
  private failure: CaptureError | null = null;
  private ended = false;

  constructor(
    readonly fileName: string,
    onFrame: (frame: Frame) => void,
  ) {
    this.sink = new FrameSink(fileName, onFrame, this.stats);
  }

  /** Parses a chunk; may call onFrame many times. Throws CaptureError on damage. */
  push(chunk: Uint8Array): void {
    this.checkUsable();
    try {
      this.feed(plainView(chunk));
    } catch (error) {
      if (error instanceof CaptureError) this.failure = error;
      throw error;
    }
  }

  /** Declares the end of input: throws if it stopped inside a header, record or block, or before a magic. */
  end(): void {
    this.checkUsable();
    this.ended = true;
    const error = this.endError();
    if (error) {
      this.failure = error;
      throw error;
    }
  }

  /** The error that stopped this reader, if any. */
  get error(): CaptureError | null {
    return this.failure;
  }

  private checkUsable(): void {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error(`CaptureReader(${this.fileName}): used after end()`);
  }

  private feed(chunk: Uint8Array): void {
    const chunkOffset = this.stats.bytes;
    this.stats.bytes += chunk.length;
    let pos = 0;
    // First finish the unit left over from earlier chunks, taking only the bytes it still needs.
    while (this.pendingLength > 0) {
      if (pos === chunk.length) return;
      const take = Math.min(this.need - this.pendingLength, chunk.length - pos);
      this.pending.push(chunk.subarray(pos, pos + take));
      this.pendingLength += take;
      pos += take;
      if (this.pendingLength < this.need) return;
      // A new buffer: views into it stay valid because nothing will ever write to it again.
      const unit = concatBytes(this.pending, this.pendingLength);
      const unitOffset = this.pendingOffset;
      this.pending = [];
      this.pendingLength = 0;
      // Usually completes the unit; if it only completed a header, the rest is pending again.
      this.keepRest(unit, this.parseUnits(unit, 0, unitOffset), unitOffset);
    }
    if (pos < chunk.length) this.keepRest(chunk, this.parseUnits(chunk, pos, chunkOffset), chunkOffset);
  }

  /** Parses whole units from `b[pos…]` (`base` = input offset of b[0]); returns where the unfinished one starts. */
  private parseUnits(b: Uint8Array, pos: number, base: number): number {
    if (this.parser === null) {
      if (b.length - pos < MAGIC_LENGTH) {
        this.need = MAGIC_LENGTH;
        return pos;
      }
      this.parser = this.detect(b, pos, base);
    }
    const done = this.parser.parse(b, pos, b.length, base);
    this.need = this.parser.need;
    return done;
  }

  private keepRest(b: Uint8Array, done: number, base: number): void {
    if (done === b.length) return;
    const rest = b.length - done;
    if (rest >= this.need) throw new Error(`CaptureReader: parser stopped with ${rest} bytes left but needs ${this.need}`);
    this.pending = [b.subarray(done)];
    this.pendingLength = rest;
    this.pendingOffset = base + done;
  }

  /** Chooses the format from the magic bytes alone (never from the file name). */
  private detect(b: Uint8Array, pos: number, base: number): FormatParser {
    const magic = u32(b, pos, false);
    const variant = pcapVariant(magic);
    let format: CaptureFormat;
    let parser: FormatParser;
    if (variant) {
      format = 'pcap';
      parser = new PcapParser(this.sink, variant);
    } else if (magic === BlockType.SECTION_HEADER) {
      format = 'pcapng';
      parser = new PcapngParser(this.sink);
    } else {
      throw this.sink.error('not-a-capture', base + pos, `expected pcap or pcapng magic, found ${hex32(magic)}`);
    }
    this.stats.format = format;
    return parser;
  }

  private endError(): CaptureError | null {
    if (this.parser === null) {
      const detail =
        this.stats.bytes === 0
          ? 'input is empty, expected a pcap or pcapng magic'
          : `input is only ${this.stats.bytes} bytes, too short for a pcap or pcapng magic`;
      return this.sink.error('not-a-capture', 0, detail);
    }
    if (this.pendingLength === 0) return null;
    const rest = concatBytes(this.pending, this.pendingLength);
    return this.sink.error('truncated', this.pendingOffset, this.parser.describeTruncation(rest, rest.length));
  }
}

/**
 * `chunk` as a plain Uint8Array (the same bytes, no copy). Frames are subarrays of it, and
 * Uint8Array's builtin subarray is several times cheaper per frame than Buffer's, which goes
 * through Node's FastBuffer subclass constructor.
 */
function plainView(chunk: Uint8Array): Uint8Array {
  return chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
