/**
 * An incremental HTTP/1.x parser for ONE direction of a connection (RFC 9112), written as an
 * explicit state machine (llhttp style). It is fed StreamChunks in stream order — spans may be cut
 * at any byte — and produces Message records through hooks. It never throws on traffic: every
 * deviation is recorded with its code, offset and frames, and parsing goes on leniently (see
 * LENIENCY in types.ts) or resynchronises at the next plausible start line.
 *
 * Cost model: header lines are found with indexOf(LF) and decoded to latin1 strings once; body
 * bytes are skipped by length arithmetic (Content-Length and chunk data), never converted, and
 * copied only up to `bodyLimit` bytes per message. Frame lists grow only when the frame changes.
 *
 * The parser asks its owner for what it cannot know (undici/llhttp style): at the end of a
 * response's header section, `onHeadersComplete` returns the method of the request it answers
 * (HEAD → no body; CONNECT + 2xx → tunnel). After a request that may switch protocols (CONNECT, or
 * an Upgrade field) it pauses ('paused'); the owner calls resume() or switchProtocols() once the
 * response has decided. After a 101 or a 2xx to CONNECT the response parser enters 'tunnel'.
 * In both states push() returns how many bytes it consumed; the rest belongs to the owner.
 */
import type { Direction, StreamChunk, StreamGap } from '../tcp/stream.js';
import { findStart, matchStart } from './detect.js';
import { plural } from '../text/plural.js';
import { decideFraming } from './framing.js';
import { hasField, isToken } from './headers.js';
import { DEVIATION, type Deviation, type DeviationCode, type HeaderField, type Message, type MessageKind, type StreamDeviation } from './types.js';

/** Every state the parser can be in. */
export const PARSER_STATES = [
  /** At a message boundary: CR/LF are ignored; the next bytes must start a message. */
  'message-start',
  /** Inside the start line. */
  'start-line',
  /** Inside the header section, after the start line. */
  'header-line',
  /** Content-Length body: counting down `remaining`. */
  'body-length',
  /** Close-delimited body: everything until the connection closes. */
  'body-close',
  /** Reading a chunk-size line (size, extensions). */
  'chunk-size',
  /** Chunk data: counting down `remaining`. */
  'chunk-data',
  /** Expecting the CRLF after chunk data. */
  'chunk-data-end',
  /** Inside the trailer section, after the last chunk. */
  'trailer-line',
  /** Desynchronised: skipping bytes until a plausible start line. */
  'resync',
  /** Stopped after a request that may switch protocols; the owner calls resume() or switchProtocols(). */
  'paused',
  /** The connection switched protocols: nothing more is parsed. */
  'tunnel',
  /** finish() was called. */
  'finished',
] as const;

export type ParserState = (typeof PARSER_STATES)[number];

/** Why parsing ends: the TCP connection closed, or the capture ended with it still open. */
export type EndReason = 'close' | 'capture-end';

/** What the parser needs of a StreamChunk. */
export type ParserChunk = Pick<StreamChunk, 'offset' | 'bytes' | 'frame' | 'time'>;
/** What the parser needs of a StreamGap. */
export type ParserGap = Pick<StreamGap, 'offset' | 'length' | 'frameAfter' | 'time'>;

/** The owner's answer at the end of a response's header section. */
export interface ResponseContext {
  /** Method of the request this response answers; null when none is outstanding or it is unknown. */
  requestMethod: string | null;
}

export interface ParserHooks {
  /** The first byte of a message arrived (the record is filled in as parsing goes on). */
  onMessageStart?(message: Message): void;
  /** The header section ended; framing is decided right after. Responses: return the context. */
  onHeadersComplete?(message: Message): ResponseContext | void;
  /** The message ended (complete, truncated, abandoned): the record is final. */
  onMessage?(message: Message): void;
  /** A deviation between messages: skipped, excess, or not-allowed body bytes. */
  onDeviation?(deviation: StreamDeviation): void;
}

export interface ParserOptions {
  kind: MessageKind;
  /** Recorded on messages; default 'client' for requests, 'server' for responses. */
  direction?: Direction;
  /** Body bytes kept (copied) per message for display; default 64 KiB, 0 keeps none. */
  bodyLimit?: number;
  /** Header (and trailer) section size limit; default 256 KiB. */
  maxHeaderSectionSize?: number;
  /** Chunk-size line limit (extensions included); default 16 KiB. */
  maxChunkLineSize?: number;
  /**
   * The stream was picked up mid-way and may begin inside a message: its first bytes count as a
   * request only from a known method on (skipped-bytes before), not as a garbage request line.
   */
  midStream?: boolean;
  hooks?: ParserHooks;
}

export const DEFAULT_BODY_LIMIT = 64 * 1024;
export const DEFAULT_MAX_HEADER_SECTION = 256 * 1024;
export const DEFAULT_MAX_CHUNK_LINE = 16 * 1024;
const MAX_CHUNK_SIZES = 256;
const MAX_CHUNK_EXTENSIONS = 32;

const NO_LINE = new Uint8Array(0);
const FIRST_LINE_BUFFER = 256;

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HTAB = 0x09;
const CTL_IN_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
const CTL_OR_SP = /[\x00-\x20\x7f]/;
const VERSION = /^HTTP\/1\.[0-9]$/;

type SkipCode = typeof DEVIATION.EXCESS_AFTER_BODY | typeof DEVIATION.BODY_NOT_ALLOWED | typeof DEVIATION.SKIPPED_BYTES;

/** Bytes held across chunks (a copy) with where they came from. */
interface Piece {
  offset: number;
  bytes: Uint8Array;
  frame: number;
  time: number;
}

/** A run of bytes being skipped. */
interface SkipRun {
  code: SkipCode;
  /** Offset of the first skipped byte; null until one arrives. */
  start: number | null;
  frames: number[];
  /** Offset of the first skipped byte of each entry in `frames`. */
  frameStarts: number[];
  afterMessage: number;
}

/**
 * Buffer's native latin1 decoder, called on the Uint8Array itself: wrapping every line in a Buffer
 * first (Buffer.from(arrayBuffer, …)) cost more than the decoding on header-heavy captures.
 */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }).latin1Slice;

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return latin1Slice.call(bytes, start, end);
}

function isOws(code: number): boolean {
  return code === SP || code === HTAB;
}

/** `text` from `start` on, without leading and trailing SP/HTAB (one slice at most). */
function trimOws(text: string, start = 0): string {
  let s = start;
  let e = text.length;
  while (s < e && isOws(text.charCodeAt(s))) s++;
  while (e > s && isOws(text.charCodeAt(e - 1))) e--;
  return s === 0 && e === text.length ? text : text.slice(s, e);
}

function describeSkip(code: SkipCode, length: number): string {
  switch (code) {
    case DEVIATION.EXCESS_AFTER_BODY:
      return `${plural(length, 'byte')} after the end of the message body do not start a message`;
    case DEVIATION.BODY_NOT_ALLOWED:
      return `${plural(length, 'byte')} after a response that cannot have a body`;
    default:
      return `${plural(length, 'byte')} skipped before a start line`;
  }
}

/** How much of the body the framing counted was captured (bytes lost in bridged gaps are not). */
function bodyCaptured(framing: Message['framing']): Message['bodyCaptured'] {
  const missing = framing?.missingBytes ?? 0;
  if (missing === 0) return 'all';
  return missing === (framing as NonNullable<Message['framing']>).actualBodyBytes ? 'none' : 'partial';
}

/** Parses a chunk-size line: `1*HEXDIG [BWS chunk-ext]`. */
function parseChunkLine(text: string): { size: number; ext: string } | null {
  let i = 0;
  while (i < text.length && /[0-9A-Fa-f]/.test(text[i])) i++;
  if (i === 0) return null;
  const digits = text.slice(0, i).replace(/^0+(?=.)/, '');
  if (digits.length > 13) return null; // beyond 2^52: not a length any peer means
  let rest = text.slice(i);
  let j = 0;
  while (j < rest.length && (rest.charCodeAt(j) === SP || rest.charCodeAt(j) === HTAB)) j++;
  rest = rest.slice(j);
  if (rest !== '' && rest[0] !== ';') return null;
  return { size: parseInt(digits, 16), ext: rest };
}

export class HttpParser {
  readonly kind: MessageKind;
  readonly direction: Direction;
  private readonly bodyLimit: number;
  private readonly maxHead: number;
  private readonly maxChunkLine: number;
  private readonly hooks: ParserHooks;

  private st: ParserState = 'message-start';
  /** Offset of the next byte expected; null before the first byte and after a gap of unknown length. */
  private expected: number | null = null;
  // The piece being processed.
  private base = 0;
  private frame = 0;
  private time = 0;

  private msg: Message | null = null;
  private messages = 0;
  /** Until the first message or skip: a token-like first line is parsed as a (possibly invalid) request. */
  private lenientFirst: boolean;
  /** What non-start bytes at the current boundary are. */
  private boundaryCode: SkipCode = DEVIATION.SKIPPED_BYTES;
  private held: Piece[] = [];
  private heldLen = 0;
  private skip: SkipRun | null = null;

  // Line assembly (start line, field lines, chunk-size lines) across chunks. Allocated when a line
  // first spans chunks: most never do, and an ArrayBuffer per parser (two per connection) was a
  // tenth of the time of `lint` on 100,000 short connections.
  private line = NO_LINE;
  private lineLen = 0;
  private lineOffset = 0;
  /** Bytes of the current header or trailer section. */
  private sectionSize = 0;
  /** Where the frame changed within line-based parts of the current message: for deviation frames. */
  private spanStarts: number[] = [];
  private spanFrames: number[] = [];
  private remaining = 0;
  private crSeen = false;
  private mayPause = false;
  private bareLf: Deviation | null = null;
  private bodyBuf: Uint8Array | null = null;
  private bodyKept = 0;
  private bodyHint = 0;
  /** A gap inside the body ended the kept prefix (bytes after it would not follow on). */
  private bodyKeepStopped = false;

  constructor(options: ParserOptions) {
    this.kind = options.kind;
    this.direction = options.direction ?? (options.kind === 'request' ? 'client' : 'server');
    this.bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    this.maxHead = options.maxHeaderSectionSize ?? DEFAULT_MAX_HEADER_SECTION;
    this.maxChunkLine = options.maxChunkLineSize ?? DEFAULT_MAX_CHUNK_LINE;
    this.hooks = options.hooks ?? {};
    this.lenientFirst = this.kind === 'request' && options.midStream !== true;
  }

  /**
   * Bytes after the last message are still undecided: held at a message start (they may begin the
   * next message) or being skipped (a run of excess bytes whose deviation is recorded when it ends).
   * While this holds, the last message may still be amended with an excess-after-body deviation.
   */
  get betweenMessages(): boolean {
    return this.st === 'resync' || (this.st === 'message-start' && this.heldLen > 0);
  }

  get state(): ParserState {
    return this.st;
  }

  /** Offset of the next byte the parser expects (null before any byte, or after a gap of unknown length). */
  get expectedOffset(): number | null {
    return this.expected;
  }

  /** Number of messages started so far. */
  get messageCount(): number {
    return this.messages;
  }

  /**
   * Feed the next chunk of this direction. Returns the number of bytes consumed: all of them,
   * unless the parser is (or became) 'paused' or 'tunnel'.
   */
  push(chunk: ParserChunk): number {
    if (this.st === 'finished') throw new Error(`HttpParser(${this.direction}): push() after finish()`);
    let bytes = chunk.bytes;
    let offset = chunk.offset;
    let trimmed = 0;
    if (this.expected !== null && offset !== this.expected) {
      if (offset > this.expected) {
        // A hole the tcp stage did not announce: treat it as a gap.
        this.gap({ offset: this.expected, length: offset - this.expected, frameAfter: chunk.frame, time: chunk.time });
        if (this.st === 'paused' || this.st === 'tunnel') return 0;
      } else {
        trimmed = Math.min(this.expected - offset, bytes.length);
        bytes = bytes.subarray(trimmed);
        offset += trimmed;
        if (bytes.length === 0) return trimmed;
      }
    }
    const used = this.feed(bytes, offset, chunk.frame, chunk.time);
    this.expected = offset + used;
    return trimmed + used;
  }

  /**
   * Before any byte was fed: the stream's bytes [start, end) were seen but not kept (the analyzer
   * picked the connection up in the middle of a response body and dropped it while waiting for the
   * client to speak). Parsing begins in resync at `end`, and the skip run reported at the next start
   * line begins at `start`, listing `frames` (the first frame of each, from `frameStarts`).
   */
  beginAfterSkip(start: number, end: number, frames: readonly number[], frameStarts: readonly number[]): void {
    if (this.messages > 0 || this.expected !== null) throw new Error(`HttpParser(${this.direction}): beginAfterSkip() after bytes were fed`);
    this.enterResync(DEVIATION.SKIPPED_BYTES);
    const skip = this.skip as SkipRun;
    skip.start = start;
    for (let i = 0; i < frames.length; i++) this.noteSkipFrame(frames[i], frameStarts[i]);
    this.expected = end;
  }

  /**
   * Bytes are missing from this direction. Returns whether a message may have begun inside the
   * missing bytes (false only when the hole lies within one body whose framing bridges it): the
   * pairing then knows a whole message may be lost, not just part of one.
   */
  gap(gap: ParserGap): boolean {
    if (this.st === 'finished') throw new Error(`HttpParser(${this.direction}): gap() after finish()`);
    const known = typeof gap.length === 'number';
    const length = known ? (gap.length as number) : 0;
    this.expected = known ? gap.offset + length : null;
    this.lenientFirst = false;
    const st = this.st;
    if (st === 'paused' || st === 'tunnel') return false;
    const msg = this.msg;
    if (msg !== null && msg.framing !== null && known && (st === 'body-length' || st === 'chunk-data' || st === 'body-close')) {
      // A hole one byte longer than a counted body's rest: the sender's FIN, lost with the body's
      // tail (the peer's ACK covers the FIN's sequence number too). The body is bridged; whether a
      // message began in that last byte cannot be told, so the pairing is told it may have.
      const finToo = st === 'body-length' && length === this.remaining + 1;
      if (st === 'body-close' || length <= this.remaining || finToo) {
        const bridged = finToo ? this.remaining : length;
        // Bridged: the body's framing survives a hole of known size.
        this.deviate(DEVIATION.GAP_IN_MESSAGE, gap.offset, `${plural(bridged, 'body byte')} missing from the capture`, bridged, [gap.frameAfter]);
        msg.framing.actualBodyBytes += bridged;
        msg.framing.missingBytes += bridged;
        // The kept prefix must be the body's first bytes, contiguous: bytes after the hole are not kept.
        this.bodyKeepStopped = true;
        msg.offsets.bodyEnd = gap.offset + bridged;
        if (st === 'body-close') return false;
        this.remaining -= bridged;
        if (this.remaining === 0) {
          if (st === 'body-length') this.completeMessage(gap.offset + bridged);
          else {
            this.st = 'chunk-data-end';
            this.crSeen = false;
          }
        }
        return finToo;
      }
    }
    if (msg !== null) {
      const what = known ? plural(length, 'byte') : 'an unknown number of bytes';
      this.deviate(DEVIATION.GAP_IN_MESSAGE, gap.offset, `${what} of the message missing from the capture; parsing resumes at the next start line`, known ? length : undefined, [gap.frameAfter]);
      this.finishMessage(false);
      this.enterResync(DEVIATION.SKIPPED_BYTES);
      return true;
    }
    if (st === 'resync' || this.heldLen > 0) {
      if (st !== 'resync') this.enterResync(DEVIATION.SKIPPED_BYTES);
      const held = this.takeHeld();
      if (this.skip !== null && this.skip.start === null && held.length > 0) {
        this.skip.start = held[0].offset;
        for (const p of held) this.noteSkipFrame(p.frame, p.offset);
      }
      this.endSkip(gap.offset);
    }
    this.enterResync(DEVIATION.SKIPPED_BYTES);
    return true;
  }

  /**
   * The connection closed, or the capture ended: flush whatever is in progress. Idempotent.
   * `senderClosed`: this direction's sender ended its stream (FIN). A close-delimited body ends
   * only with its sender's close (RFC 9112 §6.3: "octets received prior to the server closing the
   * connection"); a connection ended by the other side's RST cut it.
   */
  finish(reason: EndReason, senderClosed = true): void {
    if (this.st === 'finished') return;
    const truncCode = reason === 'close' ? DEVIATION.TRUNCATED_BY_CLOSE : DEVIATION.TRUNCATED_BY_CAPTURE_END;
    const why = reason === 'close' ? 'the connection closed' : 'the capture ended';
    if (this.st === 'message-start' && this.heldLen > 0) {
      // The beginning of a start line: it is an (incomplete) message.
      this.st = 'start-line';
      for (const p of this.takeHeld()) this.replay(p);
    }
    const at = this.expected ?? 0;
    const msg = this.msg;
    switch (this.st) {
      case 'start-line':
      case 'header-line':
      case 'body-length':
      case 'chunk-size':
      case 'chunk-data':
      case 'chunk-data-end':
      case 'trailer-line': {
        if (msg === null) break;
        if (this.st === 'start-line' && this.lineLen > 0) msg.startLine = latin1(this.line, 0, this.lineLen);
        const counted = this.st === 'body-length' || this.st === 'chunk-data';
        const where = this.st === 'start-line' || this.st === 'header-line' ? 'in the header section' : 'in the body';
        const missing = counted ? `, ${plural(this.remaining, 'byte')} short` : '';
        this.deviate(truncCode, at, `${why} ${where}${missing}`, counted ? this.remaining : undefined, [msg.lastFrame]);
        this.finishMessage(false);
        break;
      }
      case 'body-close':
        if (msg === null) break;
        if (reason === 'capture-end' || !senderClosed) {
          const end = reason === 'capture-end' ? `${why} before the close that ends the body` : `${why} without the sender's FIN that ends the body`;
          this.deviate(truncCode, at, end, undefined, [msg.lastFrame]);
          this.finishMessage(false);
        } else {
          this.finishMessage(true);
        }
        break;
      case 'resync':
        if (this.skip !== null && this.skip.start === null && this.heldLen > 0) this.skip.start = this.held[0].offset;
        this.takeHeld();
        this.endSkip(at);
        break;
      default:
        break;
    }
    this.st = 'finished';
  }

  /** Leave 'paused': the request did not switch protocols; parsing continues with the next bytes. */
  resume(): void {
    if (this.st !== 'paused') return;
    this.st = 'message-start';
    this.boundaryCode = DEVIATION.EXCESS_AFTER_BODY;
  }

  /**
   * The connection switched protocols: stop parsing. Only between messages ('paused' or an empty
   * 'message-start'); returns false (and changes nothing) otherwise.
   */
  switchProtocols(): boolean {
    if (this.st === 'paused' || (this.st === 'message-start' && this.heldLen === 0)) {
      this.st = 'tunnel';
      return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- the machine

  private feed(bytes: Uint8Array, offset: number, frame: number, time: number): number {
    const savedBase = this.base;
    const savedFrame = this.frame;
    const savedTime = this.time;
    this.base = offset;
    this.frame = frame;
    this.time = time;
    const end = bytes.length;
    let pos = 0;
    loop: while (pos < end) {
      switch (this.st) {
        case 'message-start':
          pos = this.onBoundary(bytes, pos);
          break;
        case 'start-line':
        case 'header-line':
        case 'chunk-size':
        case 'trailer-line':
          pos = this.onLineBytes(bytes, pos);
          break;
        case 'body-length':
        case 'chunk-data':
          pos = this.onCounted(bytes, pos);
          break;
        case 'body-close':
          this.bodyBytes(bytes, pos, end - pos, true);
          pos = end;
          break;
        case 'chunk-data-end':
          pos = this.onChunkDataEnd(bytes, pos);
          break;
        case 'resync':
          pos = this.onResync(bytes, pos);
          break;
        case 'paused':
        case 'tunnel':
        case 'finished':
          break loop;
      }
    }
    this.base = savedBase;
    this.frame = savedFrame;
    this.time = savedTime;
    return pos;
  }

  /** Re-feed held bytes; they can never complete a message, so they are always consumed. */
  private replay(piece: Piece): void {
    const used = this.feed(piece.bytes, piece.offset, piece.frame, piece.time);
    if (used !== piece.bytes.length) throw new Error(`HttpParser(${this.direction}): replayed bytes not consumed in state ${this.st}`);
  }

  private hold(bytes: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    this.held.push({ offset: this.base + from, bytes: bytes.slice(from, to), frame: this.frame, time: this.time });
    this.heldLen += to - from;
  }

  private takeHeld(): Piece[] {
    const held = this.held;
    this.held = [];
    this.heldLen = 0;
    return held;
  }

  private heldWith(bytes: Uint8Array, from: number, to: number): Uint8Array {
    const out = new Uint8Array(this.heldLen + (to - from));
    let at = 0;
    for (const p of this.held) {
      out.set(p.bytes, at);
      at += p.bytes.length;
    }
    out.set(bytes.subarray(from, to), at);
    return out;
  }

  private onBoundary(bytes: Uint8Array, pos: number): number {
    const end = bytes.length;
    if (this.heldLen === 0) {
      // LENIENCY.LEADING_EMPTY_LINES_IGNORED
      while (pos < end && (bytes[pos] === CR || bytes[pos] === LF)) pos++;
      if (pos === end) return pos;
      const verdict = matchStart(this.kind, bytes, pos, end, this.lenientFirst);
      if (verdict === 'yes') {
        this.st = 'start-line';
        return pos;
      }
      if (verdict === 'partial') {
        this.hold(bytes, pos, end);
        return end;
      }
      this.enterResync(this.boundaryCode);
      return pos;
    }
    const look = Math.min(end, pos + 16);
    const combined = this.heldWith(bytes, pos, look);
    const verdict = matchStart(this.kind, combined, 0, combined.length, this.lenientFirst);
    if (verdict === 'partial' && look === end) {
      this.hold(bytes, pos, end);
      return end;
    }
    this.st = verdict === 'no' ? 'resync' : 'start-line';
    if (verdict === 'no') this.enterResync(this.boundaryCode);
    for (const p of this.takeHeld()) this.replay(p);
    return pos;
  }

  private onResync(bytes: Uint8Array, pos: number): number {
    const skip = this.skip as SkipRun;
    const end = bytes.length;
    const heldLen = this.heldLen;
    if (skip.start === null) skip.start = heldLen > 0 ? this.held[0].offset : this.base + pos;
    this.noteSkipFrame(this.frame, this.base + pos);
    const view = heldLen > 0 ? this.heldWith(bytes, pos, end) : bytes.subarray(pos);
    const viewBase = heldLen > 0 ? this.held[0].offset : this.base + pos;
    const found = findStart(this.kind, view, view.length);
    if ('found' in found) {
      const start = viewBase + found.found;
      this.endSkip(start);
      const held = this.takeHeld();
      this.st = 'message-start';
      this.lenientFirst = false;
      if (found.found < heldLen) {
        for (const p of held) {
          const from = start - p.offset;
          if (from >= p.bytes.length) continue;
          this.replay(from <= 0 ? p : { ...p, offset: p.offset + from, bytes: p.bytes.subarray(from) });
        }
        return pos;
      }
      return pos + (found.found - heldLen);
    }
    // Keep the tail that could still become a start line.
    const keepOffset = viewBase + found.keepFrom;
    const kept: Piece[] = [];
    for (const p of this.takeHeld()) {
      const from = keepOffset - p.offset;
      if (from >= p.bytes.length) continue;
      kept.push(from <= 0 ? p : { ...p, offset: p.offset + from, bytes: p.bytes.slice(from) });
    }
    this.held = kept;
    for (const p of kept) this.heldLen += p.bytes.length;
    this.hold(bytes, Math.max(pos, keepOffset - this.base), end);
    return end;
  }

  private enterResync(code: SkipCode): void {
    this.st = 'resync';
    this.lenientFirst = false;
    if (this.skip === null) this.skip = { code, start: null, frames: [], frameStarts: [], afterMessage: this.messages };
  }

  private noteSkipFrame(frame: number, offset: number): void {
    const skip = this.skip as SkipRun;
    if (skip.frames[skip.frames.length - 1] !== frame) {
      skip.frames.push(frame);
      skip.frameStarts.push(offset);
    }
  }

  /** The skip run ends at `endOffset`: report it if it skipped anything. */
  private endSkip(endOffset: number): void {
    const skip = this.skip;
    this.skip = null;
    if (skip === null || skip.start === null || endOffset <= skip.start) return;
    while (skip.frameStarts.length > 0 && skip.frameStarts[skip.frameStarts.length - 1] >= endOffset) {
      skip.frameStarts.pop();
      skip.frames.pop();
    }
    const length = endOffset - skip.start;
    this.hooks.onDeviation?.({
      code: skip.code,
      offset: skip.start,
      message: describeSkip(skip.code, length),
      frames: skip.frames,
      length,
      direction: this.direction,
      afterMessage: skip.afterMessage,
    });
  }

  private beginMessage(pos: number): Message {
    this.messages++;
    this.lenientFirst = false;
    const msg: Message = {
      kind: this.kind,
      direction: this.direction,
      index: this.messages,
      startLine: '',
      version: null,
      headers: [],
      headSize: 0,
      framing: null,
      offsets: { headStart: this.base + pos, headEnd: null, bodyEnd: null },
      headerFrames: [],
      bodyFrames: [],
      firstFrame: this.frame,
      lastFrame: this.frame,
      times: { start: this.time, headersEnd: null, end: this.time },
      complete: false,
      bodyCaptured: 'all',
      deviations: [],
    };
    this.msg = msg;
    this.sectionSize = 0;
    this.lineLen = 0;
    this.spanStarts.length = 0;
    this.spanFrames.length = 0;
    this.bareLf = null;
    this.bodyBuf = null;
    this.bodyKept = 0;
    this.bodyHint = 0;
    this.bodyKeepStopped = false;
    this.mayPause = false;
    this.hooks.onMessageStart?.(msg);
    return msg;
  }

  /** Start line, field lines, chunk-size lines and trailer lines: one line per call. */
  private onLineBytes(bytes: Uint8Array, pos: number): number {
    const msg = this.msg ?? this.beginMessage(pos);
    const end = bytes.length;
    const inHead = this.st === 'start-line' || this.st === 'header-line';
    if (this.spanFrames[this.spanFrames.length - 1] !== this.frame) {
      this.spanFrames.push(this.frame);
      this.spanStarts.push(this.base + pos);
    }
    const lf = bytes.indexOf(LF, pos);
    const stop = lf === -1 ? end : lf + 1;
    const n = stop - pos;
    // Limits: consume exactly up to the limit, so the cut does not depend on how the bytes were chunked.
    const allowed = this.st === 'chunk-size' ? this.maxChunkLine - this.lineLen : this.maxHead - this.sectionSize;
    if (n > allowed) {
      this.account(bytes, pos, allowed, inHead);
      if (this.st === 'chunk-size') {
        this.abandon(DEVIATION.CHUNK_EXTENSIONS_OVERFLOW, this.lineLen > 0 ? this.lineOffset : this.base + pos, `chunk-size line longer than ${this.maxChunkLine} bytes`);
      } else {
        const which = inHead ? 'header' : 'trailer';
        this.abandon(DEVIATION.HEADER_SECTION_TOO_LARGE, this.base + pos + allowed, `${which} section larger than ${this.maxHead} bytes (${msg.headers.length} fields so far)`);
      }
      return pos + allowed;
    }
    if (this.st !== 'chunk-size') this.sectionSize += n;
    this.account(bytes, pos, n, inHead);
    if (lf === -1) {
      this.appendLine(bytes, pos, end);
      return end;
    }
    let text: string;
    let bare: boolean;
    let lineOffset: number;
    if (this.lineLen === 0) {
      lineOffset = this.base + pos;
      bare = lf === pos || bytes[lf - 1] !== CR;
      text = latin1(bytes, pos, bare ? lf : lf - 1);
    } else {
      this.appendLine(bytes, pos, stop);
      lineOffset = this.lineOffset;
      const len = this.lineLen;
      bare = len < 2 || this.line[len - 2] !== CR;
      text = latin1(this.line, 0, bare ? len - 1 : len - 2);
      this.lineLen = 0;
    }
    if (bare) this.noteBareLf(this.base + lf);
    this.onLine(text, lineOffset, this.base + stop);
    return stop;
  }

  /** Header-section bytes, or body framing bytes (chunk-size and trailer lines). */
  private account(bytes: Uint8Array, pos: number, n: number, inHead: boolean): void {
    if (n <= 0) return;
    if (!inHead) {
      this.bodyBytes(bytes, pos, n, false);
      return;
    }
    const msg = this.msg as Message;
    msg.headSize += n;
    if (msg.headerFrames[msg.headerFrames.length - 1] !== this.frame) msg.headerFrames.push(this.frame);
    msg.lastFrame = this.frame;
    msg.times.end = this.time;
  }

  private appendLine(bytes: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (this.lineLen === 0) this.lineOffset = this.base + from;
    if (this.lineLen + n > this.line.length) {
      const grown = new Uint8Array(Math.max(this.line.length * 2, this.lineLen + n, FIRST_LINE_BUFFER));
      grown.set(this.line.subarray(0, this.lineLen));
      this.line = grown;
    }
    this.line.set(bytes.subarray(from, to), this.lineLen);
    this.lineLen += n;
  }

  private onLine(text: string, lineOffset: number, nextOffset: number): void {
    const msg = this.msg as Message;
    switch (this.st) {
      case 'start-line':
        msg.startLine = text;
        if (this.kind === 'request') this.parseRequestLine(msg, text, lineOffset);
        else this.parseStatusLine(msg, text, lineOffset);
        this.st = 'header-line';
        break;
      case 'header-line':
        if (text === '') this.endHead(nextOffset);
        else this.addField(text, lineOffset, msg.headers);
        break;
      case 'trailer-line':
        if (text === '') this.completeMessage(nextOffset);
        else this.addField(text, lineOffset, (msg.framing as NonNullable<Message['framing']>).trailers as HeaderField[]);
        break;
      case 'chunk-size':
        this.onChunkLine(msg, text, lineOffset);
        break;
      default:
        throw new Error(`HttpParser: line in state ${this.st}`);
    }
  }

  private parseRequestLine(msg: Message, text: string, offset: number): void {
    const sp1 = text.indexOf(' ');
    if (sp1 === -1) {
      this.deviate(DEVIATION.INVALID_START_LINE, offset, `request line ${JSON.stringify(text.slice(0, 64))} has no SP`);
      return;
    }
    const method = text.slice(0, sp1);
    msg.method = method;
    if (!isToken(method)) this.deviate(DEVIATION.INVALID_TOKEN, offset, `method ${JSON.stringify(method.slice(0, 64))} is not a token`);
    const sp2 = text.indexOf(' ', sp1 + 1);
    if (sp2 === -1) {
      msg.target = text.slice(sp1 + 1);
      this.deviate(DEVIATION.INVALID_START_LINE, offset, 'request line has no HTTP-version');
      return;
    }
    const target = text.slice(sp1 + 1, sp2);
    const version = text.slice(sp2 + 1);
    msg.target = target;
    msg.version = version;
    if (target === '' || version.includes(' ') || CTL_OR_SP.test(target)) {
      this.deviate(DEVIATION.INVALID_START_LINE, offset, 'request line is not `method SP target SP version`');
    } else if (!VERSION.test(version)) {
      this.deviate(DEVIATION.INVALID_VERSION, offset + sp2 + 1, `HTTP-version ${JSON.stringify(version.slice(0, 32))} is not HTTP/1.x`);
    }
  }

  private parseStatusLine(msg: Message, text: string, offset: number): void {
    const sp1 = text.indexOf(' ');
    const version = sp1 === -1 ? text : text.slice(0, sp1);
    msg.version = version;
    if (!VERSION.test(version)) this.deviate(DEVIATION.INVALID_VERSION, offset, `HTTP-version ${JSON.stringify(version.slice(0, 32))} is not HTTP/1.x`);
    if (sp1 === -1) {
      this.deviate(DEVIATION.INVALID_START_LINE, offset, 'status line has no status code');
      return;
    }
    const rest = text.slice(sp1 + 1);
    const code = rest.slice(0, 3);
    if (!/^[0-9]{3}$/.test(code) || (rest.length > 3 && rest[3] !== ' ')) {
      this.deviate(DEVIATION.INVALID_START_LINE, offset + sp1 + 1, `status code ${JSON.stringify(rest.slice(0, 16))} is not three digits`);
      return;
    }
    msg.status = Number(code);
    msg.reason = rest.slice(4);
  }

  private addField(text: string, offset: number, fields: HeaderField[]): void {
    const c0 = text.charCodeAt(0);
    if (c0 === SP || c0 === HTAB) {
      // LENIENCY.OBS_FOLD_UNFOLDED
      const more = trimOws(text);
      const prev = fields[fields.length - 1];
      if (prev === undefined) {
        this.deviate(DEVIATION.OBS_FOLD, offset, 'whitespace-led line before the first field (ignored)');
        return;
      }
      this.deviate(DEVIATION.OBS_FOLD, offset, `field ${prev.name} continued on the next line (obs-fold)`);
      if (more !== '') prev.value = prev.value === '' ? more : `${prev.value} ${more}`;
      return;
    }
    const colon = text.indexOf(':');
    if (colon === -1) {
      this.deviate(DEVIATION.MISSING_COLON, offset, `field line ${JSON.stringify(text.slice(0, 64))} has no colon`);
      return;
    }
    // Bounds first, one slice each (name and value): this runs for every field line of the capture.
    let nameEnd = colon;
    while (nameEnd > 0 && isOws(text.charCodeAt(nameEnd - 1))) nameEnd--;
    const name = text.slice(0, nameEnd);
    if (nameEnd !== colon) {
      this.deviate(DEVIATION.SPACE_BEFORE_COLON, offset + nameEnd, `whitespace between field name ${JSON.stringify(name)} and the colon`);
    }
    if (!isToken(name)) this.deviate(DEVIATION.INVALID_TOKEN, offset, `field name ${JSON.stringify(name.slice(0, 64))} is not a token`);
    const value = trimOws(text, colon + 1);
    if (CTL_IN_VALUE.test(value)) this.deviate(DEVIATION.INVALID_HEADER_VALUE, offset, `field ${name} has control characters in its value`);
    fields.push({ name, value, offset });
  }

  private endHead(headEnd: number): void {
    const msg = this.msg as Message;
    msg.offsets.headEnd = headEnd;
    msg.offsets.bodyEnd = headEnd;
    msg.times.headersEnd = this.time;
    const context = this.hooks.onHeadersComplete?.(msg);
    const requestMethod = this.kind === 'response' && context ? context.requestMethod : null;
    const decision = decideFraming({ kind: this.kind, status: msg.status, requestMethod, headers: msg.headers });
    for (const issue of decision.issues) this.deviate(issue.code, issue.offset, issue.message);
    msg.framing =
      decision.declared === undefined
        ? { kind: decision.kind, reason: decision.reason, actualBodyBytes: 0, missingBytes: 0 }
        : { kind: decision.kind, reason: decision.reason, declared: decision.declared, actualBodyBytes: 0, missingBytes: 0 };
    this.mayPause =
      this.kind === 'request' && (msg.method === 'CONNECT' || hasField(msg.headers, 'upgrade'));
    switch (decision.kind) {
      case 'content-length':
        if (decision.declared === 0) {
          this.completeMessage(headEnd);
        } else {
          this.remaining = decision.declared as number;
          this.bodyHint = this.remaining;
          this.st = 'body-length';
        }
        break;
      case 'chunked':
        msg.framing.chunks = 0;
        msg.framing.chunkSizes = [];
        msg.framing.lastChunk = false;
        this.st = 'chunk-size';
        break;
      case 'close':
        this.st = 'body-close';
        break;
      default:
        this.completeMessage(headEnd);
    }
  }

  private onChunkLine(msg: Message, text: string, offset: number): void {
    const framing = msg.framing as NonNullable<Message['framing']>;
    const parsed = parseChunkLine(text);
    if (parsed === null) {
      this.abandon(DEVIATION.INVALID_CHUNK_SIZE, offset, `chunk-size line ${JSON.stringify(text.slice(0, 32))} is not HEXDIG [chunk-ext]`);
      return;
    }
    if (parsed.ext !== '') {
      framing.chunkExtensions ??= [];
      if (framing.chunkExtensions.length < MAX_CHUNK_EXTENSIONS) framing.chunkExtensions.push(parsed.ext);
    }
    if (parsed.size === 0) {
      framing.lastChunk = true;
      framing.trailers = [];
      this.sectionSize = 0;
      this.st = 'trailer-line';
      return;
    }
    framing.chunks = (framing.chunks ?? 0) + 1;
    if ((framing.chunkSizes as number[]).length < MAX_CHUNK_SIZES) (framing.chunkSizes as number[]).push(parsed.size);
    this.remaining = parsed.size;
    this.st = 'chunk-data';
  }

  private onCounted(bytes: Uint8Array, pos: number): number {
    const n = Math.min(this.remaining, bytes.length - pos);
    this.bodyBytes(bytes, pos, n, true);
    this.remaining -= n;
    if (this.remaining === 0) {
      if (this.st === 'body-length') this.completeMessage(this.base + pos + n);
      else {
        this.st = 'chunk-data-end';
        this.crSeen = false;
      }
    }
    return pos + n;
  }

  private onChunkDataEnd(bytes: Uint8Array, pos: number): number {
    const b = bytes[pos];
    if (b === CR && !this.crSeen) {
      this.crSeen = true;
      this.bodyBytes(bytes, pos, 1, false);
      return pos + 1;
    }
    this.st = 'chunk-size';
    if (b === LF) {
      if (!this.crSeen) this.noteBareLf(this.base + pos);
      this.bodyBytes(bytes, pos, 1, false);
      return pos + 1;
    }
    // LENIENCY.MISSING_CHUNK_CRLF_ASSUMED
    this.deviate(DEVIATION.MISSING_CHUNK_CRLF, this.base + pos, 'chunk data not followed by CRLF', undefined, [this.frame]);
    return pos;
  }

  private bodyBytes(bytes: Uint8Array, pos: number, n: number, payload: boolean): void {
    const msg = this.msg as Message;
    if (msg.bodyFrames[msg.bodyFrames.length - 1] !== this.frame) msg.bodyFrames.push(this.frame);
    msg.lastFrame = this.frame;
    msg.times.end = this.time;
    msg.offsets.bodyEnd = this.base + pos + n;
    if (!payload) return;
    (msg.framing as NonNullable<Message['framing']>).actualBodyBytes += n;
    if (this.bodyKept < this.bodyLimit && !this.bodyKeepStopped) this.keepBody(bytes, pos, n);
  }

  private keepBody(bytes: Uint8Array, pos: number, n: number): void {
    const take = Math.min(n, this.bodyLimit - this.bodyKept);
    const need = this.bodyKept + take;
    if (this.bodyBuf === null || this.bodyBuf.length < need) {
      const size = Math.min(this.bodyLimit, Math.max(need, this.bodyHint, (this.bodyBuf?.length ?? 0) * 2, 1024));
      const grown = new Uint8Array(size);
      if (this.bodyBuf !== null) grown.set(this.bodyBuf.subarray(0, this.bodyKept));
      this.bodyBuf = grown;
    }
    this.bodyBuf.set(bytes.subarray(pos, pos + take), this.bodyKept);
    this.bodyKept = need;
  }

  private completeMessage(endOffset: number): void {
    const msg = this.msg as Message;
    msg.offsets.bodyEnd = endOffset;
    const framing = msg.framing as NonNullable<Message['framing']>;
    const pause = this.mayPause;
    this.finishMessage(true);
    if (framing.kind === 'tunnel') {
      this.st = 'tunnel';
    } else if (framing.kind === 'invalid') {
      this.enterResync(DEVIATION.SKIPPED_BYTES);
    } else if (pause) {
      this.st = 'paused';
    } else {
      this.st = 'message-start';
      this.boundaryCode = this.kind === 'response' && framing.kind === 'none' ? DEVIATION.BODY_NOT_ALLOWED : DEVIATION.EXCESS_AFTER_BODY;
    }
  }

  /** The message cannot go on (bad chunk, oversized section): record, end it, resync. */
  private abandon(code: DeviationCode, offset: number, message: string): void {
    this.deviate(code, offset, message);
    this.finishMessage(false);
    this.enterResync(DEVIATION.SKIPPED_BYTES);
  }

  private finishMessage(complete: boolean): void {
    const msg = this.msg as Message;
    msg.complete = complete;
    msg.bodyCaptured = bodyCaptured(msg.framing);
    if (this.bodyKept > 0 && this.bodyBuf !== null) msg.bodyPrefix = this.bodyBuf.subarray(0, this.bodyKept);
    this.msg = null;
    this.bodyBuf = null;
    this.bodyKept = 0;
    this.lineLen = 0;
    this.hooks.onMessage?.(msg);
  }

  private frameAt(offset: number): number {
    const starts = this.spanStarts;
    let lo = 0;
    let hi = starts.length - 1;
    if (hi < 0 || offset < starts[0]) return this.frame;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.spanFrames[lo];
  }

  private deviate(code: DeviationCode, offset: number, message: string, length?: number, frames?: number[]): void {
    const d: Deviation = { code, offset, message, frames: frames ?? [this.frameAt(offset)] };
    if (length !== undefined) d.length = length;
    (this.msg as Message).deviations.push(d);
  }

  /** LENIENCY.BARE_LF_LINE_END: the first bare LF of a message is recorded, the rest counted. */
  private noteBareLf(offset: number): void {
    if (this.bareLf !== null) {
      this.bareLf.count = (this.bareLf.count ?? 1) + 1;
      return;
    }
    this.deviate(DEVIATION.BARE_LF, offset, 'line ended by LF without CR', undefined, [this.frame]);
    const devs = (this.msg as Message).deviations;
    this.bareLf = devs[devs.length - 1];
  }
}
