/**
 * HttpConnectionAnalyzer: the http stage's StreamConsumer for one TCP connection. It labels the
 * connection from its first bytes (detect.ts), and for HTTP owns one request parser and one
 * response parser, pairs their messages (pairing.ts), answers the response parser's questions (the
 * request method: HEAD, CONNECT), and switches the connection to opaque mode after a
 * `101 Switching Protocols` or a 2xx to CONNECT (later bytes are counted per direction, not parsed).
 *
 * End of input — close vs end of capture: the tcp stage calls exactly one of the StreamConsumer's
 *   - close(time): the connection ended (both FINs, a RST, or its 4-tuple reused by a new SYN) →
 *     'truncated-by-close'; a close-delimited body ends normally;
 *   - endOfCapture(time): the capture ended with the connection still open →
 *     'truncated-by-capture-end'; a close-delimited body is incomplete.
 * Whichever comes first finalises; the other is then a no-op.
 */
import type { Direction, StreamChunk, StreamConsumer, StreamGap } from '../tcp/stream.js';
import { detectProtocol, growHead, limitDecides } from './detect.js';
import { headerValue } from './headers.js';
import { MessageMap } from './message-map.js';
import { HttpParser, type EndReason, type ResponseContext } from './parser.js';
import { Pairing } from './pairing.js';
import type { Exchange, HttpConnectionResult, Message, ProtocolLabel, ProtocolSwitch, StreamDeviation } from './types.js';

const BOTH_FINISHED: Record<Direction, boolean> = { client: true, server: true };

export interface HttpAnalyzerOptions {
  /** Body bytes kept per message for display (default 64 KiB; 0 keeps none). */
  bodyLimit?: number;
  /** Header section size limit (default 256 KiB). */
  maxHeaderSectionSize?: number;
  /** Requests that may await a response at once (default 100); more is a 'pending-overflow' deviation. */
  maxPending?: number;
  /** Bytes buffered (copied) while the protocol is undecided, and while a CONNECT/Upgrade awaits its answer (default 64 KiB each). */
  bufferLimit?: number;
  /**
   * Parse HTTP (default true). With false the connection is only labelled from its first bytes and
   * every byte is counted as uninspected: what `conns` needs, at a fraction of the cost.
   */
  parse?: boolean;
  /**
   * The connection was picked up without its handshake: bytes that fill the buffer undecided are
   * let go (skipped-bytes), and the label comes from those that follow (see limitDecides).
   */
  midStream?: boolean;
  /** Keep every exchange for result() (default true). With false, use onExchange: memory stays bounded. */
  retainExchanges?: boolean;
  /** An exchange finished (both messages ended) or was flushed at the end: its record is final. */
  onExchange?(exchange: Exchange): void;
  /** A deviation between messages (skipped / excess / not-allowed body bytes). */
  onDeviation?(deviation: StreamDeviation): void;
}

export const DEFAULT_BUFFER_LIMIT = 64 * 1024;

/** A chunk or gap kept for later (bytes copied). */
type Queued = { chunk: StreamChunk; gap?: undefined } | { gap: StreamGap; chunk?: undefined };

/** A direction's bytes seen and let go while the label waited (HttpParser.beginAfterSkip). */
interface SkippedRun {
  start: number;
  end: number;
  frames: number[];
  frameStarts: number[];
}

/** Frames a skipped run lists (the first ones): a side that streams for hours before anything decides keeps no more. */
const SKIPPED_FRAMES_KEPT = 1024;

function other(direction: Direction): Direction {
  return direction === 'client' ? 'server' : 'client';
}

/** The heads before any byte (shared: growHead never writes into the head it grows). */
const NO_BYTES = new Uint8Array(0);

const DIRECTIONS: readonly Direction[] = ['client', 'server'];

/** The skipped run now reaches `end`; the frame is listed while the list is short. */
function extendSkip(run: SkippedRun, end: number, frame: number, offset: number): void {
  run.end = Math.max(run.end, end);
  if (run.frames.length < SKIPPED_FRAMES_KEPT && run.frames[run.frames.length - 1] !== frame) {
    run.frames.push(frame);
    run.frameStarts.push(offset);
  }
}

export class HttpConnectionAnalyzer implements StreamConsumer {
  private readonly opts: HttpAnalyzerOptions;
  private readonly bufferLimit: number;
  private label: ProtocolLabel | null = null;
  private reqDir: Direction = 'client';
  private readonly heads: Record<Direction, Uint8Array> = { client: NO_BYTES, server: NO_BYTES };
  private undecided: Queued[] = [];
  private undecidedBytes = 0;
  /** Mid-stream: each direction's bytes let go of at the buffering limit, undecided (null: none). */
  private readonly skipped: Record<Direction, SkippedRun | null> = { client: null, server: null };
  private request: HttpParser | null = null;
  private response: HttpParser | null = null;
  private readonly pairing: Pairing;
  /** Client events held while a CONNECT/Upgrade request awaits its answer. */
  private held: Queued[] = [];
  private heldBytes = 0;
  private switched: ProtocolSwitch | null = null;
  private readonly uninspected: Record<Direction, number> = { client: 0, server: 0 };
  private readonly deviations: StreamDeviation[] = [];
  /** Exchange of the last message that ended, per direction (for stream deviations). */
  private readonly lastEnded: Record<Direction, { message: number; exchange: number } | null> = { client: null, server: null };
  private readonly exchangeOf = new MessageMap<Exchange>();
  private ended: EndReason | null = null;

  constructor(options: HttpAnalyzerOptions = {}) {
    this.opts = options;
    this.bufferLimit = options.bufferLimit ?? DEFAULT_BUFFER_LIMIT;
    this.pairing = new Pairing({ maxPending: options.maxPending, retain: options.retainExchanges, onExchange: options.onExchange });
  }

  /** The label, once decided (null until then, and for a connection without payload). */
  get protocol(): ProtocolLabel | null {
    return this.label;
  }

  /**
   * Whether a finished exchange may still be amended: bytes after the last message of either
   * direction are undecided (excess after a body is recorded when its run ends), so an exchange
   * handed on now could miss its own excess. False once both parsers sit at a clean boundary.
   */
  get settling(): boolean {
    if (this.request === null || this.ended !== null) return false;
    return (this.request as HttpParser).betweenMessages || (this.response as HttpParser).betweenMessages;
  }

  chunk(chunk: StreamChunk): void {
    if (this.ended !== null || chunk.bytes.length === 0) return;
    if (this.label === null) {
      this.undecided.push({ chunk: { ...chunk, bytes: chunk.bytes.slice() } });
      this.undecidedBytes += chunk.bytes.length;
      this.heads[chunk.direction] = growHead(this.heads[chunk.direction], chunk.bytes);
      const full = this.undecidedBytes >= this.bufferLimit;
      if (!full || limitDecides(this.opts.midStream === true)) this.detect(full);
      else {
        this.detect(false);
        if (this.label === null) this.skipUndecided();
      }
      return;
    }
    if (this.label !== 'http' || this.request === null) {
      this.uninspected[chunk.direction] += chunk.bytes.length;
      return;
    }
    this.dispatch(chunk);
  }

  gap(gap: StreamGap): void {
    if (this.ended !== null) return;
    if (this.label === null) {
      this.undecided.push({ gap });
      return;
    }
    if (this.request === null || this.switched !== null) return;
    if (gap.direction === this.reqDir) {
      if (this.held.length > 0 || (this.request as HttpParser).state === 'paused') this.held.push({ gap });
      else this.requestGap(gap);
    } else if ((this.response as HttpParser).gap(gap)) {
      this.pairing.responseGap(gap);
    }
  }

  /**
   * The TCP connection ended (both FINs, a RST, or its 4-tuple reused). `finished`: which sides had
   * sent their FIN (a close-delimited response ends only with the server's; default: both).
   */
  close(_time: number, finished: Record<Direction, boolean> = BOTH_FINISHED): void {
    this.finish('close', finished);
  }

  /** The capture ended with the connection still open. */
  endOfCapture(_time: number): void {
    this.finish('capture-end');
  }

  /** Everything known so far (final after close()/endOfCapture()). */
  result(): HttpConnectionResult {
    return {
      protocol: this.label,
      requestDirection: this.reqDir,
      exchanges: this.pairing.exchanges,
      deviations: this.deviations,
      protocolSwitch: this.switched,
      uninspectedBytes: this.uninspected,
      end: this.ended,
    };
  }

  // ---------------------------------------------------------------- internals

  private finish(reason: EndReason, finished: Record<Direction, boolean> = BOTH_FINISHED): void {
    if (this.ended !== null) return;
    if (this.label === null) this.detect(true);
    this.ended = reason;
    if (this.request === null) return;
    const request = this.request as HttpParser;
    if (this.switched === null && request.state === 'paused') this.resumeRequests();
    request.finish(reason);
    (this.response as HttpParser).finish(reason, finished[this.reqDir === 'client' ? 'server' : 'client']);
    this.pairing.flush();
  }

  /**
   * Mid-stream, the buffer full and nothing decided: the bytes so far were inside messages. Let
   * them go, keeping where they lay per direction, and start the heads afresh from the next bytes.
   */
  private skipUndecided(): void {
    for (const q of this.undecided) {
      const direction = q.chunk !== undefined ? q.chunk.direction : q.gap.direction;
      const run = (this.skipped[direction] ??= { start: Infinity, end: 0, frames: [], frameStarts: [] });
      if (q.chunk !== undefined) {
        run.start = Math.min(run.start, q.chunk.offset);
        extendSkip(run, q.chunk.offset + q.chunk.bytes.length, q.chunk.frame, q.chunk.offset);
      } else if (typeof q.gap.length === 'number') {
        run.start = Math.min(run.start, q.gap.offset);
        run.end = Math.max(run.end, q.gap.offset + q.gap.length);
      }
    }
    this.undecided = [];
    this.undecidedBytes = 0;
    this.heads.client = this.heads.server = NO_BYTES;
  }

  private detect(final: boolean): void {
    const decision = detectProtocol(this.heads.client, this.heads.server, final);
    if (decision === null) return;
    this.label = decision.protocol;
    this.reqDir = decision.requestDirection;
    const queued = this.undecided;
    this.undecided = [];
    this.undecidedBytes = 0;
    this.heads.client = this.heads.server = NO_BYTES;
    if (this.label === 'http' && this.opts.parse !== false) this.createParsers();
    for (const direction of DIRECTIONS) {
      const run = this.skipped[direction];
      if (run === null) continue;
      this.skipped[direction] = null;
      const parser = this.request === null ? null : direction === this.reqDir ? this.request : (this.response as HttpParser);
      if (parser !== null) parser.beginAfterSkip(run.start, run.end, run.frames, run.frameStarts);
      else this.uninspected[direction] += run.end - run.start;
    }
    for (const q of queued) {
      if (q.gap !== undefined) this.gap(q.gap);
      else if (this.request !== null) this.dispatch(q.chunk);
      else this.uninspected[q.chunk.direction] += q.chunk.bytes.length;
    }
  }

  private createParsers(): void {
    // Options written out rather than spread from a shared object: V8 takes a slow path for new
    // properties added to a spread copy (~5 µs per parser, a tenth of `lint` on 100,000 short connections).
    const { bodyLimit, maxHeaderSectionSize, midStream } = this.opts;
    this.request = new HttpParser({
      bodyLimit,
      maxHeaderSectionSize,
      midStream,
      kind: 'request',
      direction: this.reqDir,
      hooks: {
        onMessageStart: (m) => {
          this.exchangeOf.set(m, this.pairing.requestStarted(m));
        },
        onMessage: (m) => {
          const exchange = this.pairing.requestEnded(m) ?? this.exchangeOf.get(m);
          this.exchangeOf.delete(m);
          if (exchange) this.lastEnded[m.direction] = { message: m.index, exchange: exchange.index };
        },
        onDeviation: (d) => this.streamDeviation(d),
      },
    });
    this.response = new HttpParser({
      bodyLimit,
      maxHeaderSectionSize,
      midStream,
      kind: 'response',
      direction: other(this.reqDir),
      hooks: {
        onHeadersComplete: (m) => this.responseHead(m),
        onMessage: (m) => {
          const exchange = this.pairing.responseEnded(m);
          this.lastEnded[m.direction] = { message: m.index, exchange: exchange.index };
          if (m.framing?.kind === 'tunnel' && this.switched === null) this.switchProtocols(m, exchange);
        },
        onDeviation: (d) => this.streamDeviation(d),
      },
    });
  }

  /** Pair a response at the end of its header section, and tell its parser the request method. */
  private responseHead(m: Message): ResponseContext {
    const { exchange, role } = this.pairing.responseHead(m);
    const requestMethod = exchange.request?.method ?? null;
    if (role === 'final' && (this.request as HttpParser).state === 'paused' && exchange === this.pairing.lastRequestExchange) {
      const switches = m.status === 101 || (requestMethod === 'CONNECT' && m.status !== undefined && m.status >= 200 && m.status < 300);
      // The request that paused its parser got an answer that does not switch: parse what followed it.
      if (!switches) this.resumeRequests();
    }
    return { requestMethod };
  }

  private switchProtocols(m: Message, exchange: Exchange): void {
    const upgrade = headerValue(m.headers, 'upgrade');
    this.switched = {
      kind: m.status === 101 ? 'upgrade' : 'connect',
      exchange: exchange.index,
      upgradeTo: m.status === 101 ? upgrade : null,
      frame: m.lastFrame,
      time: m.times.headersEnd ?? m.times.end,
      offsets: { client: null, server: null },
    };
    (this.request as HttpParser).switchProtocols();
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const q of held) if (q.chunk !== undefined) this.opaque(this.reqDir, q.chunk.offset, q.chunk.bytes.length);
  }

  private dispatch(chunk: StreamChunk): void {
    const dir = chunk.direction;
    if (this.switched !== null) {
      this.opaque(dir, chunk.offset, chunk.bytes.length);
      return;
    }
    if (dir === this.reqDir) {
      const request = this.request as HttpParser;
      if (this.held.length > 0 || request.state === 'paused') {
        this.holdRequestBytes(chunk);
        return;
      }
      const used = request.push(chunk);
      if (used < chunk.bytes.length) this.holdRequestBytes({ ...chunk, offset: chunk.offset + used, bytes: chunk.bytes.subarray(used) });
      return;
    }
    const used = (this.response as HttpParser).push(chunk);
    if (used < chunk.bytes.length) this.opaque(dir, chunk.offset + used, chunk.bytes.length - used);
  }

  private holdRequestBytes(chunk: StreamChunk): void {
    if (this.switched !== null) {
      this.opaque(chunk.direction, chunk.offset, chunk.bytes.length);
      return;
    }
    this.held.push({ chunk: { ...chunk, bytes: chunk.bytes.slice() } });
    this.heldBytes += chunk.bytes.length;
    // Too much data without an answer: assume no switch and parse it.
    if (this.heldBytes > this.bufferLimit) this.resumeRequests();
  }

  /** Continue parsing requests after a pause, feeding what was held (it may pause again). */
  private resumeRequests(): void {
    const request = this.request as HttpParser;
    request.resume();
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (let i = 0; i < held.length; i++) {
      const q = held[i];
      if (this.switched !== null) {
        if (q.chunk !== undefined) this.opaque(this.reqDir, q.chunk.offset, q.chunk.bytes.length);
        continue;
      }
      if (request.state === 'paused') {
        this.held = held.slice(i);
        for (const r of this.held) this.heldBytes += r.chunk?.bytes.length ?? 0;
        return;
      }
      if (q.gap !== undefined) {
        this.requestGap(q.gap);
        continue;
      }
      const used = request.push(q.chunk);
      if (used < q.chunk.bytes.length) {
        const rest: Queued = { chunk: { ...q.chunk, offset: q.chunk.offset + used, bytes: q.chunk.bytes.subarray(used) } };
        this.held = [rest, ...held.slice(i + 1)];
        for (const r of this.held) this.heldBytes += r.chunk?.bytes.length ?? 0;
        return;
      }
    }
  }

  /** Request bytes are missing: the parser bridges or resynchronises, the pairing learns whether whole requests may be gone. */
  private requestGap(gap: StreamGap): void {
    if ((this.request as HttpParser).gap(gap)) this.pairing.requestGap(gap);
  }

  private opaque(dir: Direction, offset: number, length: number): void {
    if (length <= 0) return;
    const sw = this.switched as ProtocolSwitch;
    if (sw.offsets[dir] === null) sw.offsets[dir] = offset;
    this.uninspected[dir] += length;
  }

  private streamDeviation(d: StreamDeviation): void {
    const last = this.lastEnded[d.direction];
    const record: StreamDeviation = { ...d, exchange: last !== null && last.message === d.afterMessage ? last.exchange : null };
    this.deviations.push(record);
    this.opts.onDeviation?.(record);
  }
}
