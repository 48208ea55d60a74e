/**
 * One direction's bytes read by Node's parser (llhttp.ts), synchronously, chunk by chunk as the
 * tcp stage reassembles them: what the parser delivered (NodeMessage, queued until attach.ts
 * matches it to wirelens' message) and where Node stopped. request-reader.ts and
 * response-reader.ts add what Node's `http` server and client do on top of the parser.
 */
import type { StreamChunk, StreamGap } from '../tcp/stream.js';
import { HTTPParser, isParseError, MAX_HEADER_PAIRS, type HttpParser, type ParseError } from './llhttp.js';
import type { NodeMessage, NodeStop } from './types.js';

/** The chunk being parsed: where a message's head ended, where an error points. */
interface Position {
  offset: number;
  end: number;
  frame: number;
}

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
  protected at: Position = { offset: 0, end: 0, frame: 0 };
  /** lib/_http_common.js parserOnHeaders: header fields and URL flushed before the head ended (long heads). */
  private flushedHeaders: string[] = [];
  private flushedUrl = '';

  /** Parses a chunk; Node's parse error stops the side. */
  read(chunk: StreamChunk): void {
    if (this.done) return;
    const parser = this.parserFor();
    this.at = { offset: chunk.offset, end: chunk.offset + chunk.bytes.length, frame: chunk.frame };
    const result = parser.execute(chunk.bytes);
    if (isParseError(result)) this.fail(result, this.at.offset + result.bytesParsed, this.at.frame);
    else if (!this.done) this.parsed();
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
    if (this.pendingHead === this.pending.length) {
      this.pending = [];
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

  protected message(fields: Pick<NodeMessage, 'interim' | 'method' | 'url' | 'status' | 'headers'>): NodeMessage {
    const m: NodeMessage = { ...fields, bodyBytes: 0, complete: false, refused: null, chunkStart: this.at.offset, chunkEnd: this.at.end };
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

  /** Installs Node's header callbacks (kOnHeaders) on a parser; `complete` gets the whole head. */
  protected listen(parser: HttpParser, handlers: { headersComplete(head: Head): number; body(length: number): void; messageComplete(): void }): void {
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
      return handlers.headersComplete({ versionMajor, versionMinor, headers, method, url, statusCode, upgrade, shouldKeepAlive });
    };
    parser[HTTPParser.kOnBody] = (body: Uint8Array) => handlers.body(body.length);
    parser[HTTPParser.kOnMessageComplete] = () => handlers.messageComplete();
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

/** Node's headers of `name` among the first maxHeaderPairs fields it keeps in `req.headers`. */
export function headerValues(headers: readonly string[], name: string): string[] {
  const values: string[] = [];
  const n = Math.min(headers.length, MAX_HEADER_PAIRS);
  for (let i = 0; i < n; i += 2) if (headers[i].length === name.length && headers[i].toLowerCase() === name) values.push(headers[i + 1]);
  return values;
}
