/**
 * One direction's bytes read by Node's parser (llhttp.ts), synchronously, chunk by chunk as the
 * tcp stage reassembles them: what the parser delivered (NodeMessage, queued until attach.ts
 * matches it to wirelens' message) and where Node stopped. request-reader.ts and
 * response-reader.ts add what Node's `http` server and client do on top of the parser.
 */
import type { StreamChunk, StreamGap } from '../tcp/stream.js';
import { HTTPParser, isParseError, MAX_HEADER_PAIRS, PAUSED, type HttpParser, type ParseError } from './llhttp.js';
import type { NodeMessage, NodeStop } from './types.js';

/** Zeros fed to the parser in place of body bytes it was not shown (see `read`). */
const ZEROS = new Uint8Array(64 * 1024);

export abstract class Reader {
  /** Messages parsed and not yet matched, oldest first (see `take`). */
  private pending: NodeMessage[] = [];
  private pendingHead = 0;
  stop: NodeStop | null = null;
  /** Node stopped reading for a reason that is not a verdict (a capture gap, a tunnel): later bytes are unknown. */
  unknownAfter: string | null = null;
  /** Node closed the connection without an error (see RequestReader): why later messages were never read. */
  closed: string | null = null;
  /** Node reads no more of this side (stopped, closed or halted). */
  done = false;
  /** The chunk being parsed (stream offsets, frame): where a message's head ended, where an error points. */
  protected chunkOffset = 0;
  protected chunkEnd = 0;
  protected chunkFrame = 0;
  /** The message being read (its body counted), null between messages. */
  protected reading: NodeMessage | null = null;
  /**
   * Body bytes of `reading` still to come when its Content-Length alone frames it (-1 otherwise).
   * Such a body is counted here, not by a kOnBody callback: a callback per segment (Node's binding
   * copies each body piece into a new Buffer) costs most of what the parse costs.
   */
  private bodyLeft = -1;
  /** Body bytes counted but not yet shown to the parser. */
  private skipped = 0;
  /** lib/_http_common.js parserOnHeaders: header fields and URL flushed before the head ended (long heads). */
  private flushedHeaders: string[] = [];
  private flushedUrl = '';
  private readonly countBody = (body: Uint8Array) => {
    if (this.reading !== null) this.reading.bodyBytes += body.length;
  };

  /**
   * Parses a chunk; Node's parse error stops the side. A Content-Length body is counted here: the
   * parser pauses at the end of its head (so the count starts at the right byte), and a chunk that
   * lies wholly inside the body is not parsed at all (llhttp only counts such bytes, and most of a
   * capture's segments are body bytes); before the parser sees the chunk that ends the body, or the
   * end of the stream, it is fed as many zeros, which leaves it in the very state the bytes would.
   */
  read(chunk: StreamChunk): void {
    if (this.done) return;
    const bytes = chunk.bytes;
    const length = bytes.length;
    if (this.bodyLeft >= 0) {
      const reading = this.reading as NodeMessage;
      if (this.bodyLeft > length) {
        this.bodyLeft -= length;
        this.skipped += length;
        reading.bodyBytes += length;
        return;
      }
      reading.bodyBytes += this.bodyLeft;
      this.bodyLeft = -1;
    }
    const parser = this.parserFor();
    this.catchUp(parser);
    this.chunkOffset = chunk.offset;
    this.chunkEnd = chunk.offset + length;
    this.chunkFrame = chunk.frame;
    // The binding builds an Error for every stop, pauses included: without a stack it costs little.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      this.execute(parser, bytes);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }

  private execute(parser: HttpParser, bytes: Uint8Array): void {
    let start = 0;
    for (;;) {
      const result = parser.execute(start === 0 ? bytes : bytes.subarray(start));
      if (!isParseError(result)) break;
      if (result.code !== 'HPE_PAUSED') {
        this.fail(result, this.chunkOffset + start + result.bytesParsed, this.chunkFrame);
        return;
      }
      // Paused at the end of a Content-Length head: its body starts here.
      parser.resume();
      start += result.bytesParsed;
      const reading = this.reading as NodeMessage;
      const inChunk = Math.min(reading.contentLength as number, bytes.length - start);
      reading.bodyBytes += inChunk;
      this.bodyLeft = (reading.contentLength as number) - inChunk;
      if (this.bodyLeft === 0) this.bodyLeft = -1;
    }
    if (!this.done) this.parsed();
  }

  /** Shows the parser the body bytes only counted so far (as zeros: llhttp does not look at them). */
  protected catchUp(parser: HttpParser): void {
    while (this.skipped > 0) {
      const n = Math.min(this.skipped, ZEROS.length);
      parser.execute(ZEROS.subarray(0, n));
      this.skipped -= n;
    }
  }

  gap(gap: StreamGap): void {
    this.halt(`a capture gap at offset ${gap.offset} (frame ${gap.frameAfter}): the bytes Node would have read are missing`);
  }

  /** The connection ended (a FIN, a RST, or the end of the capture): what Node does at the end of the stream. */
  abstract end(): void;

  /**
   * The oldest parsed message whose head ended in the chunk holding stream byte `last` (the last
   * byte of wirelens' head), taken off the queue; messages whose chunks ended before it, which
   * wirelens has no message for (a different message boundary), are passed over and dropped.
   */
  take(last: number): NodeMessage | undefined {
    while (this.pendingHead < this.pending.length && this.pending[this.pendingHead].chunkEnd <= last) this.pendingHead++;
    const next = this.pending[this.pendingHead];
    const taken = next !== undefined && next.chunkStart <= last ? next : undefined;
    if (taken !== undefined) this.pendingHead++;
    // Node usually parses the next message before wirelens hands the last one on: drop the taken front.
    if (this.pendingHead >= 16 || this.pendingHead === this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    return taken;
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
  protected message(fields: Pick<NodeMessage, 'interim' | 'method' | 'url' | 'status'>, headers: readonly string[]): NodeMessage {
    const m: NodeMessage = { ...fields, headers: headers.length / 2, bodyBytes: 0, complete: false, refused: null, chunkStart: this.chunkOffset, chunkEnd: this.chunkEnd, contentLength: plainContentLength(headers) };
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

  /**
   * Installs Node's callbacks on a parser (lib/_http_common.js): `headersComplete` gets the whole
   * head, bodies are counted on `reading`, and `messageComplete` hears of every message's end.
   */
  protected listen(parser: HttpParser, handlers: { headersComplete(head: Head): number; messageComplete(): void }): void {
    parser[HTTPParser.kOnHeaders] = (headers: string[], url: string) => {
      // Once past maxHeaderPairs Node stops collecting the flushed fields (counted as names and values).
      if (this.flushedHeaders.length < MAX_HEADER_PAIRS) this.flushedHeaders.push(...headers);
      this.flushedUrl += url;
    };
    parser[HTTPParser.kOnHeadersComplete] = (
      versionMajor: number,
      versionMinor: number,
      headers: string[] | undefined,
      method: number | undefined,
      url: string | undefined,
      statusCode: number | undefined,
      _statusMessage: string | undefined,
      upgrade: boolean,
      shouldKeepAlive: boolean,
    ): number => {
      if (headers === undefined) {
        headers = this.flushedHeaders;
        this.flushedHeaders = [];
      }
      if (url === undefined) {
        url = this.flushedUrl;
        this.flushedUrl = '';
      }
      const answer = handlers.headersComplete({ versionMajor, versionMinor, headers, method, url, statusCode, upgrade, shouldKeepAlive });
      const reading = this.reading;
      const counted = answer === 0 && reading !== null && !this.done && reading.contentLength !== null;
      // Body bytes are counted by the callback only where the Content-Length does not frame the body.
      parser[HTTPParser.kOnBody] = answer === 0 && reading !== null && !counted ? this.countBody : undefined;
      if (!counted || reading.contentLength === 0) return answer;
      return PAUSED;
    };
    parser[HTTPParser.kOnMessageComplete] = () => {
      if (this.reading !== null) this.reading.complete = true;
      this.reading = null;
      this.bodyLeft = -1;
      handlers.messageComplete();
    };
  }
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

/** Node's headers of `name` among the first maxHeaderPairs fields it keeps in `req.headers`. */
export function headerValues(headers: readonly string[], name: string): string[] {
  const values: string[] = [];
  const n = Math.min(headers.length, MAX_HEADER_PAIRS);
  for (let i = 0; i < n; i += 2) if (headers[i].length === name.length && headers[i].toLowerCase() === name) values.push(headers[i + 1]);
  return values;
}
