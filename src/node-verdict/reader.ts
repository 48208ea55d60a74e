/**
 * One direction's bytes read by Node's parser (llhttp.ts), synchronously, chunk by chunk as the
 * tcp stage reassembles them: what the parser delivered (NodeMessage, queued until attach.ts
 * matches it to wirelens' message) and where Node stopped. request-reader.ts and
 * response-reader.ts add what Node's `http` server and client do on top of the parser.
 */
import type { StreamChunk, StreamGap } from '../tcp/stream.js';
import { ChunkedCount } from './chunked-count.js';
import { Queue } from './queue.js';
import { HTTPParser, initialize, isParseError, MAX_HEADER_PAIRS, PAUSED, releaseParser, UPGRADE, type HttpParser, type ParseError } from './llhttp.js';
import type { NodeMessage, NodeParserSettings, NodeStop } from './types.js';

export abstract class Reader {
  /** Messages parsed and not yet matched, oldest first (see `take`). */
  private readonly pending = new Queue<NodeMessage>();
  stop: NodeStop | null = null;
  /** Node stopped reading for a reason that is not a verdict (a capture gap, a tunnel): later bytes are unknown. */
  unknownAfter: string | null = null;
  /** Node closed the connection without an error (see RequestReader): why later messages were never read. */
  closed: string | null = null;
  /** Node reads no more of this side (stopped, closed or halted). */
  done = false;
  /** The chunk being read (stream offsets, frame): where a message's head ended, where an error points. */
  protected chunkOffset = 0;
  protected chunkEnd = 0;
  protected chunkFrame = 0;
  /** The message being read (its body counted), null between messages. */
  protected reading: NodeMessage | null = null;
  /** Node's parser for this side, made on its first byte (a connection without payload costs none). */
  protected parser: HttpParser | null = null;
  /**
   * Body bytes of `reading` still to come when it is a keep-alive message framed by its
   * Content-Length alone (0 otherwise). llhttp does nothing with such bytes but count them, so they
   * are counted here and never parsed: the parser stops at the end of the head (kOnHeadersComplete
   * answers "upgrade", which stops it there without an error) and starts afresh after the body,
   * in the state llhttp itself returns to after a keep-alive message.
   */
  protected bodyLeft = 0;
  /** The head just parsed is such a message (or one in `chunkedUnparsed`): the parser's own end of it (the "upgrade") is not its end. */
  private stoppedAtHead = false;
  /** `reading`'s chunked body, counted here too (strict parsing only: lenient llhttp accepts framing this does not follow). */
  private chunked: ChunkedCount | null = null;
  /**
   * `chunked` is a keep-alive message's body walked in canonical mode and not parsed, as a
   * Content-Length body is not (see bodyLeft): the parser stopped at the end of the head and was
   * re-initialised. Strict llhttp accepts a canonical body whole and returns to that state after
   * it. At the first byte outside canonical framing (an extension, a trailer, a bad size…) the
   * parser is primed to stand where it would and parses the rest (see `leaveToParser`).
   */
  private chunkedUnparsed = false;
  /**
   * The parser stopped at the end of a head whose body is counted (see bodyLeft): it starts afresh
   * before it reads again, as llhttp does after a keep-alive message — when it reads again, so a
   * connection that ends with the body (most short ones) never pays for it.
   */
  private stale = false;
  /** The head of the message whose body is in `chunkedUnparsed` (its version primes the parser). */
  private chunkedHead: Head | null = null;
  /**
   * After `leaveToParser`: the URL the binding would pass with the message's first flush of fields
   * (its trailers), had the parser read the real head: the binding keeps the head's URL until it
   * flushes, and passes it then ('' once flushed). The primed parser holds the primer's '/'.
   */
  private primedUrl: string | null = null;
  /** lib/_http_common.js parserOnHeaders: header fields and URL flushed before the head ended (long heads). */
  private flushedHeaders: string[] | null = null;
  private flushedUrl = '';

  constructor(
    protected readonly settings: NodeParserSettings,
    /** HTTPParser.REQUEST or RESPONSE. */
    private readonly parserType: number,
  ) {}

  /**
   * Reads a chunk; Node's parse error stops the side. Body bytes are counted here rather than by
   * Node's kOnBody (its binding copies each piece into a new Buffer and calls into JavaScript for
   * it, which costs more than the parse): a Content-Length body is not parsed at all (see
   * `bodyLeft`), nor is a keep-alive chunked one while its framing is canonical (see
   * `chunkedUnparsed`); any other chunked body is parsed and its framing followed by ChunkedCount.
   */
  read(chunk: StreamChunk): void {
    if (this.done) return;
    const bytes = chunk.bytes;
    this.chunkOffset = chunk.offset;
    this.chunkEnd = chunk.offset + bytes.length;
    this.chunkFrame = chunk.frame;
    // The binding builds an Error for every stop, pauses included: without a stack it costs little.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      this.readFrom(bytes);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }

  private readFrom(bytes: Uint8Array): void {
    const length = bytes.length;
    let start = 0;
    if (this.bodyLeft > 0 || this.chunkedUnparsed) {
      start = this.skipBody(bytes, 0);
      if (start === length) {
        this.parsed();
        return;
      }
    } else if (this.chunked !== null && this.reading !== null) {
      const chunked = this.chunked;
      const fromChunkStart = chunked.atChunkStart;
      const extensions = chunked.extensions;
      this.reading.bodyBytes += chunked.count(bytes, 0);
      // Whole well-formed chunks from one chunk start to the next: llhttp would end where it began.
      if (fromChunkStart && chunked.atChunkStart && chunked.extensions === extensions) return;
    }
    this.execute(this.parserFor(), bytes, start);
  }

  private execute(parser: HttpParser, bytes: Uint8Array, from: number): void {
    let start = from;
    while (start < bytes.length) {
      if (this.stale) this.refresh(parser);
      const result = parser.execute(start === 0 ? bytes : bytes.subarray(start));
      if (isParseError(result)) {
        if (result.code !== 'HPE_PAUSED') {
          this.fail(result, this.chunkOffset + start + result.bytesParsed, this.chunkFrame);
          return;
        }
        // Paused at the end of a chunked head: its body starts here.
        parser.resume();
        start += result.bytesParsed;
        (this.reading as NodeMessage).bodyBytes += (this.chunked as ChunkedCount).count(bytes, start);
        continue;
      }
      if (!this.stoppedAtHead) break;
      // Stopped at the end of a head whose body is not parsed: it is counted, the parser starts afresh after it.
      this.stoppedAtHead = false;
      this.stale = true;
      start = this.skipBody(bytes, start + result);
    }
    if (!this.done) this.parsed();
  }

  /** A body not parsed (bodyLeft, chunkedUnparsed) in bytes[from…]: returns where llhttp reads on. */
  private skipBody(bytes: Uint8Array, from: number): number {
    if (this.bodyLeft > 0) return this.countLength(bytes, from);
    const chunked = this.chunked as ChunkedCount;
    const reading = this.reading as NodeMessage;
    reading.bodyBytes += chunked.count(bytes, from);
    if (chunked.over) {
      this.ended();
      return chunked.end;
    }
    if (chunked.deviation < 0) return bytes.length;
    const at = chunked.deviation;
    this.leaveToParser(chunked.primer());
    chunked.followAll();
    reading.bodyBytes += chunked.count(bytes, at);
    return at;
  }

  /**
   * The chunked body left canonical framing: the fresh parser is taken past a chunked head of the
   * same version (callbacks off, so no message is recorded) and the canonical part of the current
   * chunk (`primer`), where it stands as it would have at this byte, and parses from there on.
   * The head adds fewer header bytes than the real one did (maxHeaderSize), and the binding counts
   * header bytes afresh after a head and after each chunk size line, as it counts extension bytes.
   */
  private leaveToParser(primer: string): void {
    const parser = this.parser as HttpParser;
    const head = this.chunkedHead as Head;
    this.chunkedUnparsed = false;
    this.chunkedHead = null;
    this.stale = false;
    initialize(parser, this.parserType, this.settings);
    parser[HTTPParser.kOnHeaders] = undefined;
    // A function, so that the binding forgets the primer's fields (it keeps them when there is none).
    parser[HTTPParser.kOnHeadersComplete] = continueAfterHead;
    parser[HTTPParser.kOnMessageComplete] = undefined;
    parser[HTTPParser.kOnBody] = undefined;
    const result = parser.execute(Buffer.from(chunkedHead(this.parserType, head) + primer, 'latin1'));
    parser[HTTPParser.kOnHeaders] = onHeaders;
    parser[HTTPParser.kOnHeadersComplete] = onHeadersComplete;
    parser[HTTPParser.kOnMessageComplete] = onMessageComplete;
    // Never seen (the head is one llhttp accepted): what follows would not be Node's verdict.
    if (isParseError(result)) this.halt(`an internal error: Node's parser refused the chunked head wirelens primed it with (${result.code})`);
    this.primedUrl = head.flushed ? '' : head.url;
  }

  /** The parser in the state llhttp starts a message in (initialised, Node's callbacks on). */
  protected refresh(parser: HttpParser): void {
    this.stale = false;
    initialize(parser, this.parserType, this.settings);
    parser[HTTPParser.kOnMessageComplete] = onMessageComplete;
  }

  /** This side's parser for a last call (finish()), started afresh if it stopped after a head (see `stale`). */
  protected get current(): HttpParser {
    const parser = this.parser as HttpParser;
    if (this.stale) this.refresh(parser);
    return parser;
  }

  /** Inside a body the parser was never shown (bodyLeft, chunkedUnparsed): llhttp would be inside it. */
  protected get inUnparsedBody(): boolean {
    return this.bodyLeft > 0 || this.chunkedUnparsed;
  }

  /** Counts the Content-Length body in bytes[from…]; returns where it ended (or the chunk did). */
  private countLength(bytes: Uint8Array, from: number): number {
    const taken = Math.min(this.bodyLeft, bytes.length - from);
    this.bodyLeft -= taken;
    (this.reading as NodeMessage).bodyBytes += taken;
    if (this.bodyLeft === 0) this.ended();
    return from + taken;
  }

  /** The message being read is complete (lib/_http_common.js parserOnMessageComplete). */
  ended(): void {
    if (this.reading !== null) this.reading.complete = true;
    this.reading = null;
    this.chunked = null;
    this.chunkedUnparsed = false;
    this.chunkedHead = null;
    this.primedUrl = null;
    this.dropTrailers();
    this.messageCompleted();
  }

  /**
   * lib/_http_common.js parserOnMessageComplete: fields flushed by the message's end are its
   * trailers (req.trailers), flushed with the URL the binding still held; Node empties both, so
   * neither joins the next head (which, once the binding has flushed, also comes in flushes).
   */
  private dropTrailers(): void {
    if (this.flushedHeaders === null || this.flushedHeaders.length === 0) return;
    this.flushedHeaders = null;
    this.flushedUrl = '';
  }

  gap(gap: StreamGap): void {
    this.halt(`a capture gap at offset ${gap.offset} (frame ${gap.frameAfter}): the bytes Node would have read are missing`);
  }

  /** The connection ended (a FIN, a RST, or the end of the capture): what Node does at the end of the stream. */
  abstract end(): void;

  /** After `end()`: the parser goes back to the free list; nothing more is read. */
  release(): void {
    this.done = true;
    if (this.parser === null) return;
    (this.parser as ReaderOf)[READER] = undefined;
    releaseParser(this.parser);
    this.parser = null;
  }

  /**
   * The oldest parsed message whose head ended in the chunk holding stream byte `last` (the last
   * byte of wirelens' head), taken off the queue; messages whose chunks ended before it, which
   * wirelens has no message for (a different message boundary), are passed over and dropped.
   */
  take(last: number): NodeMessage | undefined {
    let next = this.pending.peek();
    while (next !== undefined && next.chunkEnd <= last) {
      this.pending.shift();
      next = this.pending.peek();
    }
    if (next === undefined || next.chunkStart > last) return undefined;
    return this.pending.shift();
  }

  /** Stops reading without a verdict: what follows is unknown. */
  halt(why: string): void {
    if (this.done) return;
    this.done = true;
    this.unknownAfter = why;
  }

  /** The parser, created on the side's first byte (a connection without payload costs none). */
  protected abstract parserFor(): HttpParser;

  /** After a chunk parsed without error. */
  protected parsed(): void {}

  /** A message Node parsed a head of; `headers` are its names and values, from which a plain Content-Length is read. */
  protected message(interim: boolean, method: string | null, url: string | null, status: number | null, headers: readonly string[]): NodeMessage {
    // One literal with every field (no spread): the objects share one shape.
    const m: NodeMessage = {
      interim,
      method,
      url,
      status,
      headers: headers.length / 2,
      bodyBytes: 0,
      complete: false,
      refused: null,
      chunkStart: this.chunkOffset,
      chunkEnd: this.chunkEnd,
      contentLength: plainContentLength(headers),
    };
    this.pending.push(m);
    return m;
  }

  /** Node's stop at a parse error: llhttp's position in the chunk, and what Node does next. */
  protected fail(error: ParseError, offset: number | null, frame: number | null): void {
    this.stopWith(error.code, error.reason, offset, frame, this.nextAfter(error.code));
  }

  protected stopWith(code: string, reason: string, offset: number | null, frame: number | null, next: string): void {
    if (this.done) return;
    this.done = true;
    this.stop = { code, reason, offset, frame, next };
  }

  /** What Node does after a parse error with this code. */
  protected abstract nextAfter(code: string): string;

  /** The parser's head callback (via onHeadersComplete below): the subclass's reading of it, then how the body is counted. */
  headEnded(parser: HttpParser, head: Head): number {
    const answer = this.headersComplete(head);
    const reading = this.reading;
    const body = answer === 0 && reading !== null && !this.done;
    // A keep-alive message whose Content-Length frames it: its body is counted, never parsed (see bodyLeft).
    if (body && head.shouldKeepAlive && reading.contentLength !== null && reading.contentLength > 0) {
      this.bodyLeft = reading.contentLength;
      this.stoppedAtHead = true;
      // llhttp ends an "upgraded" message at once: that end is not the message's (and a call into JS saved).
      parser[HTTPParser.kOnMessageComplete] = undefined;
      return UPGRADE;
    }
    const chunked = body && !this.settings.insecureHTTPParser && plainChunked(head.headers);
    // A keep-alive chunked message: its body is walked, not parsed, while it is canonical (see chunkedUnparsed).
    if (chunked && head.shouldKeepAlive) {
      this.chunked = new ChunkedCount(true);
      this.chunkedUnparsed = true;
      this.chunkedHead = head;
      this.stoppedAtHead = true;
      parser[HTTPParser.kOnMessageComplete] = undefined;
      return UPGRADE;
    }
    this.chunked = chunked ? new ChunkedCount() : null;
    // Any other body is counted by Node's own callback.
    parser[HTTPParser.kOnBody] = body && this.chunked === null ? onBody : undefined;
    // Paused at the end of a chunked head, so the count starts at the body's first byte.
    return this.chunked !== null ? PAUSED : answer;
  }

  /** lib/_http_common.js parserOnHeaders: fields flushed before the head ended (past maxHeaderPairs, names and values counted, no more kept). */
  flushed(headers: string[], url: string): void {
    if (this.primedUrl !== null) {
      url = this.primedUrl;
      this.primedUrl = null;
    }
    const kept = (this.flushedHeaders ??= []);
    if (kept.length < MAX_HEADER_PAIRS) kept.push(...headers);
    this.flushedUrl += url;
  }

  /** The head's fields and URL when they came in flushes (kOnHeadersComplete then passes undefined). */
  takeFlushed(): { headers: string[]; url: string } {
    const flushed = { headers: this.flushedHeaders ?? [], url: this.flushedUrl };
    this.flushedHeaders = null;
    this.flushedUrl = '';
    return flushed;
  }

  bodyRead(length: number): void {
    if (this.reading !== null) this.reading.bodyBytes += length;
  }

  /** Node's reading of a head (lib/_http_server.js parserOnIncoming, lib/_http_client.js parserOnIncomingClient): kOnHeadersComplete's answer. */
  protected abstract headersComplete(head: Head): number;

  /** A message ended (after `reading` is marked complete). */
  protected messageCompleted(): void {}

  /** Makes `parser` this side's (Node's callbacks are the same functions for every parser: they find their reader on it). */
  protected adopt(parser: HttpParser): HttpParser {
    (parser as ReaderOf)[READER] = this;
    parser[HTTPParser.kOnHeaders] = onHeaders;
    parser[HTTPParser.kOnHeadersComplete] = onHeadersComplete;
    parser[HTTPParser.kOnMessageComplete] = onMessageComplete;
    return (this.parser = parser);
  }
}

/** Where a parser keeps the reader using it. */
const READER = Symbol('reader');
type ReaderOf = HttpParser & { [READER]?: Reader };
const readerOf = (parser: HttpParser): Reader => (parser as ReaderOf)[READER] as Reader;

/** Node's callbacks, called with the parser as `this` (as lib/_http_common.js's are). */
function onHeaders(this: HttpParser, headers: string[], url: string): void {
  readerOf(this).flushed(headers, url);
}

function onHeadersComplete(
  this: HttpParser,
  versionMajor: number,
  versionMinor: number,
  headers: string[] | undefined,
  method: number | undefined,
  url: string | undefined,
  statusCode: number | undefined,
  _statusMessage: string | undefined,
  upgrade: boolean,
  shouldKeepAlive: boolean,
): number {
  const reader = readerOf(this);
  const flushed = headers === undefined;
  if (headers === undefined || url === undefined) {
    const flushed = reader.takeFlushed();
    headers ??= flushed.headers;
    url ??= flushed.url;
  }
  return reader.headEnded(this, { versionMajor, versionMinor, headers, method, url, statusCode, upgrade, shouldKeepAlive, flushed });
}

/** kOnHeadersComplete while a parser is primed (Reader.leaveToParser): no message, the body follows. */
function continueAfterHead(): number {
  return 0;
}

function onBody(this: HttpParser, body: Uint8Array): void {
  readerOf(this).bodyRead(body.length);
}

function onMessageComplete(this: HttpParser): void {
  readerOf(this).ended();
}

/** A message head as kOnHeadersComplete passes it. */
export interface Head {
  versionMajor: number;
  versionMinor: number;
  /** Names and values alternating: Node's `rawHeaders`. */
  headers: string[];
  /** llhttp's method index (requests). */
  method: number | undefined;
  url: string;
  statusCode: number | undefined;
  upgrade: boolean;
  shouldKeepAlive: boolean;
  /** The fields came in flushes (more than the binding holds): it passed them to kOnHeaders. */
  flushed: boolean;
}

/**
 * A chunked head of `head`'s version, as short as llhttp takes one (see Reader.leaveToParser):
 * HTTP/1.0 keeps the connection alive only when told, so it says so, as the real head did.
 */
function chunkedHead(type: number, head: Head): string {
  const version = `HTTP/${head.versionMajor}.${head.versionMinor}`;
  const start = type === HTTPParser.REQUEST ? `POST / ${version}\r\n` : `${version} 200 \r\n`;
  const keepAlive = head.versionMajor > 0 && head.versionMinor > 0 ? '' : 'Connection: keep-alive\r\n';
  return `${start}${keepAlive}Transfer-Encoding: chunked\r\n\r\n`;
}

/** The body length of a head with one well-formed Content-Length and no Transfer-Encoding; null otherwise (llhttp parses such bodies). */
function plainContentLength(headers: readonly string[]): number | null {
  let length: number | null = null;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i];
    if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') return null;
    if (name.length !== 14 || name.toLowerCase() !== 'content-length') continue;
    if (length !== null || !/^\d{1,15}$/.test(headers[i + 1])) return null;
    length = Number(headers[i + 1]);
  }
  return length;
}

/** One Transfer-Encoding, exactly `chunked`, and no Content-Length: the framing ChunkedCount follows. */
function plainChunked(headers: readonly string[]): boolean {
  let chunked = false;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i];
    // Lower-cased only when the length matches (most fields are neither).
    if (name.length === 14 && name.toLowerCase() === 'content-length') return false;
    if (name.length !== 17 || name.toLowerCase() !== 'transfer-encoding') continue;
    if (chunked || headers[i + 1].trim().toLowerCase() !== 'chunked') return false;
    chunked = true;
  }
  return chunked;
}

/** Node's headers of `name` among the first maxHeaderPairs fields it keeps in `req.headers`. */
export function headerValues(headers: readonly string[], name: string): string[] {
  const values: string[] = [];
  const n = Math.min(headers.length, MAX_HEADER_PAIRS);
  for (let i = 0; i < n; i += 2) if (headers[i].length === name.length && headers[i].toLowerCase() === name) values.push(headers[i + 1]);
  return values;
}
