import { concatBytes, u32 } from './bytes.js';
import { CaptureError, type Frame } from './frame.js';
import type { FormatParser } from './format.js';
import { PcapParser, pcapVariant } from './pcap.js';
import { BlockType, PcapngParser } from './pcapng.js';
import { emptyStats, FrameSink, type CaptureFormat, type CaptureStats } from './sink.js';

export type { CaptureFormat, CaptureStats } from './sink.js';

/** Bytes needed to tell pcap from pcapng. */
const MAGIC_LENGTH = 4;
/**
 * Bytes gathered before the format is chosen: the magic, and enough more that the error for a
 * file that is not a capture can show how it starts. Every capture is longer (a pcap global
 * header is 24 bytes, a pcapng Section Header Block at least 28), and waiting for all of them
 * keeps the message the same however the input was split into chunks.
 */
const PROBE_LENGTH = 8;

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
  private need = PROBE_LENGTH;
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

  /**
   * Deliver at most `n` frames: later ones are dropped, and `full` says the limit was reached so
   * that the owner stops reading (a frame-exact `-c N` whatever the chunking).
   */
  limitFrames(n: number): void {
    this.sink.maxFrames = n;
  }

  /** The frame limit was reached (see limitFrames). */
  get full(): boolean {
    return this.sink.full;
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
      this.pending.push(chunk.slice(pos, pos + take)); // a copy: the chunk is released once parsed
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
      if (b.length - pos < PROBE_LENGTH) {
        this.need = PROBE_LENGTH;
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
    // A copy, not a view: the chunk itself is let go as soon as it is parsed (see source.ts release()).
    this.pending = [b.slice(done)];
    this.pendingLength = rest;
    this.pendingOffset = base + done;
  }

  /**
   * Chooses the format from the magic bytes alone (never from the file name). `b[pos…]` holds
   * PROBE_LENGTH bytes, or the whole input when it is shorter (then at least MAGIC_LENGTH).
   */
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
      throw this.sink.error('not-a-capture', base + pos, `not a pcap or pcapng file (starts with ${preview(b.subarray(pos, pos + PROBE_LENGTH))})`);
    }
    this.stats.format = format;
    return parser;
  }

  private endError(): CaptureError | null {
    if (this.parser === null) {
      const start = concatBytes(this.pending, this.pendingLength);
      if (start.length < MAGIC_LENGTH) return this.sink.error('not-a-capture', 0, describeTooShort(start));
      // Shorter than the probe but long enough for a magic: a capture cut inside its first header
      // (truncated, below) or not a capture (detect throws).
      try {
        this.parser = this.detect(start, 0, 0);
        // Consumes nothing (every first header is longer than the probe): it only sets `need`.
        this.parser.parse(start, 0, start.length, 0);
      } catch (error) {
        if (error instanceof CaptureError) return error;
        throw error;
      }
    }
    if (this.pendingLength === 0) return null;
    const rest = concatBytes(this.pending, this.pendingLength);
    return this.sink.error('truncated', this.pendingOffset, this.parser.describeTruncation(rest, rest.length));
  }
}

function describeTooShort(start: Uint8Array): string {
  if (start.length === 0) return 'empty file (0 bytes), not a capture';
  return `only ${start.length} byte${start.length === 1 ? '' : 's'}, too short for a pcap or pcapng file (starts with ${preview(start)})`;
}

/**
 * The first bytes of an input as a quoted, printable string for an error line: printable ASCII as
 * is, common control characters as \n \r \t, anything else as \xNN, so binary junk and terminal
 * escape sequences cannot garble the message.
 */
export function preview(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    if (byte === 0x22 || byte === 0x5c) text += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
    else if (byte === 0x0a) text += '\\n';
    else if (byte === 0x0d) text += '\\r';
    else if (byte === 0x09) text += '\\t';
    else text += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `"${text}"`;
}

/**
 * `chunk` as a plain Uint8Array (the same bytes, no copy). Frames are subarrays of it, and
 * Uint8Array's builtin subarray is several times cheaper per frame than Buffer's, which goes
 * through Node's FastBuffer subclass constructor.
 */
function plainView(chunk: Uint8Array): Uint8Array {
  return chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
