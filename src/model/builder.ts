import { HttpConnectionAnalyzer } from '../http/connection.js';
import { ProtocolSniffer } from '../http/sniffer.js';
import type { Exchange, HttpConnectionResult, Message, StreamDeviation } from '../http/types.js';
import type { ConnectionRecord } from '../tcp/connection.js';
import type { StreamChunk, StreamConsumer, StreamGap } from '../tcp/stream.js';
import { formatEndpoint } from './endpoint.js';
import { bodyView } from './body.js';
import { capturePoint } from './capture-point.js';
import { closeEventAfter, closingOf, type CloseEvent } from './closing.js';
import { framingModel } from './framing.js';
import { packing } from './packing.js';
import { before, reuse, timing, type PreviousExchange } from './reuse.js';
import { round6 } from './round.js';
import type { CapturePoint, ConnectionModel, ConnectionOpened, ExchangeModel, MessageModel, Stall } from './types.js';

export const DEFAULT_BODY_LIMIT = 64 * 1024;
/**
 * Finished exchanges held back while the bytes after them are undecided (a possible excess run):
 * beyond this many they are handed on anyway, so a stream stuck in resynchronisation cannot make a
 * connection hold its exchanges.
 */
const MAX_HELD_EXCHANGES = 16;

/** What the model hands on, as soon as each is certain. */
export interface ModelEvents {
  connectionOpened?(connection: ConnectionOpened): void;
  /** An exchange is complete (or was ended by the close or the end of the capture): its record is final. */
  exchange?(exchange: ExchangeModel): void;
  /** A connection ended and its record is final (the tcp stage retired it: settled, or the capture ended). */
  connectionClosed?(connection: ConnectionModel): void;
}

export interface ModelBuilderOptions {
  /** Body bytes kept per message (default 64 KiB; 0 keeps none). */
  bodyLimit?: number;
  /** Attach a BodyView (decoded text / base64) to every message with a body. */
  bodies?: boolean;
  /** Parse HTTP (default true). False: connections are only labelled, `exchanges` is null (conns). */
  http?: boolean;
}

/** One open connection: its analyzer and the little it must remember between exchanges. */
interface Live {
  record: ConnectionRecord;
  /**
   * The HTTP analysis, or only the protocol label when HTTP is not parsed (`http: false`); null
   * once let go at the close, its outcome kept in `ended`: the analyzer (two parsers, the pairing)
   * then dies young instead of being promoted with every settling connection (on 10^5 short
   * connections that was most of the old generation's garbage).
   */
  analyzer: HttpConnectionAnalyzer | ProtocolSniffer | null;
  ended: HttpOutcome | null;
  /** The capture-point verdict, recomputed only when a larger segment changes it. */
  point: CapturePoint | null;
  maxSegment: { client: number; server: number };
  /** Finished exchanges not yet handed on (see MAX_HELD_EXCHANGES). */
  held: Exchange[];
  previous: PreviousExchange | null;
  exchanges: number;
  /** The last response that said `Connection: close`. */
  connectionClose: { exchange: number; frame: number; time: number } | null;
  /** End of the last exchange that completed. */
  lastExchangeEnd: number | null;
  /**
   * Start of the last exchange's request when that exchange was still under way: its response
   * never ended, or the request itself never did (an upload answered early). The connection was
   * not idle from then on.
   */
  openRequestStart: number | null;
  deviations: StreamDeviation[];
}

/**
 * Builds the model as the capture streams by: one HttpConnectionAnalyzer per TCP connection; each
 * exchange handed on as soon as it is complete, each connection once it has closed and settled.
 * Memory follows the open connections — an exchange is not kept once handed on.
 */
export class ModelBuilder {
  private readonly live = new Map<number, Live>();
  private captureStart: number | null = null;
  private lastTime = 0;

  constructor(
    private readonly options: ModelBuilderOptions,
    private readonly events: ModelEvents,
  ) {}

  /** The capture's first frame time: connection `start` is relative to it. */
  setCaptureStart(time: number): void {
    this.captureStart ??= time;
  }

  /** The tcp stage opened a connection (its roles are known): returns its consumer. */
  open(record: ConnectionRecord): StreamConsumer {
    this.setCaptureStart(record.startTime);
    if (this.options.http === false) return this.openSniffed(record);
    const analyzer = new HttpConnectionAnalyzer({
      bodyLimit: this.options.bodyLimit ?? DEFAULT_BODY_LIMIT,
      midStream: record.midStream,
      retainExchanges: false,
      // Held until the bytes after it are decided (see `settling`): its excess may still come.
      onExchange: (exchange) => live.held.push(exchange),
      // Kept for the connection record, and to give an exchange still held its excess.
      onDeviation: (deviation) => live.deviations.push(deviation),
    });
    const live = newLive(record, analyzer, { client: 0, server: 0 });
    this.live.set(record.id, live);
    this.opened(record);
    return new ModelConsumer(this, live);
  }

  /** Only the label and byte counts (conns, follow): no parser, no exchanges. */
  private openSniffed(record: ConnectionRecord): StreamConsumer {
    const sniffer = new ProtocolSniffer(record.midStream);
    this.live.set(record.id, newLive(record, sniffer, sniffer.maxSegment));
    this.opened(record);
    return sniffer;
  }

  private opened(record: ConnectionRecord): void {
    this.events.connectionOpened?.({
      id: record.id,
      client: formatEndpoint(record.client.ip, record.client.port),
      server: formatEndpoint(record.server.ip, record.server.port),
      ipVersion: record.ipVersion,
      startTime: record.startTime,
      firstFrame: record.firstFrame,
      midStream: record.midStream,
    });
  }

  /** The tcp stage retired a connection: its record is final (late ACKs counted). Hand it on. */
  final(record: ConnectionRecord): void {
    const live = this.live.get(record.id);
    if (live !== undefined) this.emitConnection(live);
  }

  /** Capture time (a frame's, or the wall clock's on a quiet live capture): stalls and waits ending with the capture are measured to it. */
  tick(time: number): void {
    this.lastTime = time;
  }

  /** The capture ended at `lastTime` (its last frame's time, null for an empty capture). */
  markCaptureEnd(lastTime: number | null): void {
    if (lastTime !== null) this.lastTime = lastTime;
  }

  /** After the tcp stage's finish(): hands on anything it did not retire (none, normally), in id order. */
  finish(): void {
    const rest = [...this.live.values()].sort((a, b) => a.record.id - b.record.id);
    for (const live of rest) this.emitConnection(live);
  }

  /** Hands on the exchanges `live` holds (ModelConsumer's, at each chunk that decides them). */
  release(live: Live): void {
    const held = live.held;
    if (held.length === 0) return;
    live.held = [];
    for (const exchange of held) this.emitExchange(live, exchange);
  }

  private emitExchange(live: Live, exchange: Exchange): void {
    const rec = live.record;
    const point = this.capturePointOf(live);
    const request = this.messageModel(live, exchange.request, point.note);
    const response = this.messageModel(live, exchange.response, point.note);
    const model: ExchangeModel = {
      connection: rec.id,
      index: exchange.index,
      pipelined: exchange.pipelined,
      request,
      interim: exchange.interim.map((m) => this.messageModel(live, m, point.note) as MessageModel),
      response,
      reuse: reuse(exchange, live.previous),
      timing: timing(exchange, request, response, closeEventAfter(rec, request?.times.end ?? Infinity), this.lastTime),
      before: before(rec, exchange, live.connectionClose),
      lost: exchange.lost === null ? null : { message: exchange.lost.message, offset: exchange.lost.gap.offset, length: exchange.lost.gap.length, frame: exchange.lost.gap.frameAfter },
    };
    live.exchanges++;
    live.previous = { end: lastByteOf(exchange) };
    if (response !== null && model.reuse.connectionClose.response) {
      live.connectionClose = { exchange: exchange.index, frame: response.endFrame ?? response.frames[response.frames.length - 1], time: response.times.end ?? response.times.lastByte };
    }
    const end = response?.times.end ?? null;
    if (end !== null) live.lastExchangeEnd = end;
    // A response the capture lost ended at an unknown time: so does the connection's last exchange.
    else if (exchange.lost?.message === 'response') live.lastExchangeEnd = null;
    // A request still unfinished when its exchange was handed on (an upload the server answered
    // early) kept the connection busy, like one never answered: no idle time before the close.
    live.openRequestStart = request !== null && (end === null || !request.complete) ? request.times.start : null;
    this.events.exchange?.(model);
  }

  /** Per exchange on the hot path: the verdict (and its note) is built again only when the largest segment grew. */
  private capturePointOf(live: Live): CapturePoint {
    const seen = live.maxSegment;
    const point = live.point;
    if (point !== null && point.maxSegment.client === seen.client && point.maxSegment.server === seen.server) return point;
    const hs = live.record.handshake;
    return (live.point = capturePoint({ client: hs.clientMss ?? null, server: hs.serverMss ?? null }, { ...seen }));
  }

  private emitConnection(live: Live): void {
    if (!this.live.delete(live.record.id)) return;
    this.release(live);
    this.events.connectionClosed?.(this.connectionModel(live));
  }

  /** The connection ended: keep its analysis' outcome, drop the analyzer (see Live.ended). */
  letGo(live: Live): void {
    if (live.analyzer === null) return;
    live.ended = outcomeOf(live.analyzer);
    live.analyzer = null;
  }

  private connectionModel(live: Live): ConnectionModel {
    const { record: rec } = live;
    const http = live.ended ?? outcomeOf(live.analyzer as HttpConnectionAnalyzer | ProtocolSniffer);
    const { client: c, server: s } = rec.stats;
    const payload = c.bytes + s.bytes > 0;
    return {
      id: rec.id,
      client: formatEndpoint(rec.client.ip, rec.client.port),
      server: formatEndpoint(rec.server.ip, rec.server.port),
      ipVersion: rec.ipVersion,
      protocol: http.protocol ?? (payload ? 'unknown' : 'none'),
      startTime: rec.startTime,
      start: round6(rec.startTime - (this.captureStart ?? rec.startTime)),
      endTime: rec.endTime,
      duration: round6(rec.endTime - rec.startTime),
      firstFrame: rec.firstFrame,
      lastFrame: rec.lastFrame,
      midStream: rec.midStream,
      handshake: {
        syn: rec.handshake.syn,
        synAck: rec.handshake.synAck,
        ack: rec.handshake.ack,
        rtt: rec.handshake.rtt === null ? null : round6(rec.handshake.rtt),
        refused: rec.handshake.refused,
        fallback: rec.handshake.fallback ?? null,
        clientMss: rec.handshake.clientMss ?? null,
        serverMss: rec.handshake.serverMss ?? null,
      },
      teardown: rec.teardown,
      frames: { client: c.frames, server: s.frames, total: c.frames + s.frames },
      bytes: { client: c.bytes, server: s.bytes },
      retransmissions: { client: c.retransmissions, server: s.retransmissions },
      firstRetransmission: { client: c.firstRetransmission, server: s.firstRetransmission },
      spuriousRetransmissions: { client: Math.min(c.spuriousRetransmissions, c.retransmissions), server: Math.min(s.spuriousRetransmissions, s.retransmissions) },
      outOfOrder: { client: c.outOfOrder, server: s.outOfOrder },
      firstOutOfOrder: { client: c.firstOutOfOrder, server: s.firstOutOfOrder },
      conflictingOverlaps: c.conflictingOverlaps + s.conflictingOverlaps,
      zeroWindow: { client: c.zeroWindow, server: s.zeroWindow },
      keepAlives: { client: c.keepAlives, server: s.keepAlives },
      zeroWindowProbes: { client: c.zeroWindowProbes, server: s.zeroWindowProbes },
      truncatedFrames: c.truncatedFrames + s.truncatedFrames,
      duplicates: { client: c.duplicates, server: s.duplicates },
      gaps: rec.gaps,
      history: rec.history,
      capturePoint: this.capturePointOf(live),
      exchanges: this.options.http === false ? null : live.exchanges,
      protocolSwitch: http.protocolSwitch,
      uninspectedBytes: http.uninspectedBytes,
      deviations: live.deviations,
      closing: closingOf(rec, live.lastExchangeEnd, live.openRequestStart, live.connectionClose, http.protocolSwitch !== null),
      end: http.end ?? 'capture-end',
    };
  }

  private messageModel(live: Live, message: Message | null, note: string | null): MessageModel | null {
    if (!message) return null;
    // What ended the message (a close-delimited body) or its stall: the first close after its last byte.
    const close = closeEventAfter(live.record, message.times.end);
    const closeDelimited = message.complete && message.framing?.kind === 'close';
    const end = !message.complete ? null : closeDelimited && close !== null ? close.time : message.times.end;
    const endFrame = !message.complete ? null : closeDelimited && close !== null ? close.frame : message.lastFrame;
    return {
      kind: message.kind,
      direction: message.direction,
      startLine: message.startLine,
      method: message.method ?? null,
      target: message.target ?? null,
      status: message.status ?? null,
      reason: message.reason ?? null,
      version: message.version,
      headers: message.headers,
      headSize: message.headSize,
      framing: message.framing === null ? null : framingModel(message.framing, excessAfter(live.deviations, message)),
      complete: message.complete,
      frames: mergeFrames(message.headerFrames, message.bodyFrames),
      packing: packing(message, note),
      times: { start: message.times.start, headersEnd: message.times.headersEnd, lastByte: message.times.end, end },
      endFrame,
      stall: message.complete || endedAtGap(message) ? null : stallOf(message, close, this.lastTime),
      offsets: message.offsets,
      deviations: message.deviations,
      bodyCaptured: message.bodyCaptured,
      body: this.options.bodies ? (bodyView(message, { bodyLimit: this.options.bodyLimit ?? DEFAULT_BODY_LIMIT }) ?? null) : null,
      // Filled in by the node-verdict stage (analysis.ts) before the record is handed on.
      node: null,
    };
  }
}

/**
 * One connection's stream into its analyzer. It lets go of the analyzer and its state at the end:
 * a consumer is sometimes reachable a while after its connection ended (from a promoted object
 * the collector has not reclaimed yet), and whatever it still held was promoted with it.
 */
class ModelConsumer implements StreamConsumer {
  constructor(
    private builder: ModelBuilder | null,
    /** Holds the analyzer until the end (Live.analyzer). */
    private live: Live | null,
  ) {}

  chunk(chunk: StreamChunk): void {
    const live = this.live as Live;
    const analyzer = live.analyzer as HttpConnectionAnalyzer;
    if (chunk.bytes.length > live.maxSegment[chunk.direction]) live.maxSegment[chunk.direction] = chunk.bytes.length;
    analyzer.chunk(chunk);
    if (live.held.length > 0 && (!analyzer.settling || live.held.length > MAX_HELD_EXCHANGES)) (this.builder as ModelBuilder).release(live);
  }

  gap(gap: StreamGap): void {
    const live = this.live as Live;
    const analyzer = live.analyzer as HttpConnectionAnalyzer;
    analyzer.gap(gap);
    if (live.held.length > 0 && !analyzer.settling) (this.builder as ModelBuilder).release(live);
  }

  close(time: number): void {
    const live = this.live;
    if (live !== null) {
      // Which sides ended their stream with a FIN: a close-delimited response is whole only after the server's.
      const t = live.record.teardown;
      (live.analyzer as HttpConnectionAnalyzer | null)?.close(time, { client: t.clientFin !== null, server: t.serverFin !== null });
    }
    this.end();
  }

  endOfCapture(time: number): void {
    (this.live?.analyzer as HttpConnectionAnalyzer | undefined)?.endOfCapture(time);
    this.end();
  }

  private end(): void {
    const builder = this.builder;
    const live = this.live;
    if (builder === null || live === null) return;
    builder.release(live);
    builder.letGo(live);
    this.builder = null;
    this.live = null;
  }
}

/** A connection's state before its first byte (the caller sets maxSegment). */
function newLive(record: ConnectionRecord, analyzer: HttpConnectionAnalyzer | ProtocolSniffer, maxSegment: Live['maxSegment']): Live {
  return { record, analyzer, ended: null, point: null, held: [], previous: null, exchanges: 0, connectionClose: null, lastExchangeEnd: null, openRequestStart: null, deviations: [], maxSegment };
}

/** What the connection record needs of the HTTP stage. */
type HttpOutcome = Pick<HttpConnectionResult, 'protocol' | 'protocolSwitch' | 'uninspectedBytes' | 'end'>;

/** The outcome of an analyzer, or of a sniffer (every byte uninspected, nothing parsed). */
function outcomeOf(analyzer: HttpConnectionAnalyzer | ProtocolSniffer): HttpOutcome {
  if (analyzer instanceof ProtocolSniffer) return { protocol: analyzer.protocol, protocolSwitch: null, uninspectedBytes: analyzer.bytes, end: analyzer.ended };
  const { protocol, protocolSwitch, uninspectedBytes, end } = analyzer.result();
  return { protocol, protocolSwitch, uninspectedBytes, end };
}

/** The excess run (or body after a no-body response) that directly followed `message` on its stream. */
function excessAfter(deviations: StreamDeviation[], message: Message): StreamDeviation | null {
  for (let i = deviations.length - 1; i >= 0; i--) {
    const d = deviations[i];
    if (d.direction !== message.direction || d.afterMessage !== message.index) continue;
    if (d.code === 'excess-after-body' || d.code === 'body-not-allowed') return d;
  }
  return null;
}

/**
 * An unfinished message whose parse ended at a capture gap (its last deviation a gap-in-message:
 * the rest is missing from the file, parsing resumed at the next start line). Nothing was waited
 * for, so it has no stall: the gap says what happened (a stall "until the end of the capture"
 * measured at the gap claimed a wait of a few milliseconds that never was).
 */
function endedAtGap(message: Message): boolean {
  const deviations = message.deviations;
  return deviations.length > 0 && deviations[deviations.length - 1].code === 'gap-in-message';
}

/** Where an unfinished message stopped, and what ended the wait. */
function stallOf(message: Message, close: CloseEvent | null, captureEnd: number): Stall {
  const lastByte = { frame: message.lastFrame, time: message.times.end };
  const inHead = message.offsets.headEnd === null;
  const truncation = message.deviations.find((d) => d.code === 'truncated-by-close' || d.code === 'truncated-by-capture-end');
  const until = close;
  return {
    lastByte,
    endedBy: until === null ? 'capture-end' : until.endedBy,
    until: until === null ? null : { frame: until.frame, time: until.time },
    duration: round6((until === null ? captureEnd : until.time) - lastByte.time),
    in: inHead ? 'header-section' : 'body',
    missingBytes: truncation?.length ?? null,
  };
}

function lastByteOf(exchange: Exchange): number | null {
  // A response the capture lost ended at an unknown time: the next request's idle time is unknown.
  if (exchange.lost?.message === 'response') return null;
  return exchange.response?.times.end ?? exchange.request?.times.end ?? null;
}

/** Header frames then body frames, without the shared frame twice (both lists are ascending). */
function mergeFrames(header: number[], body: number[]): number[] {
  if (body.length === 0) return header.slice();
  if (header.length === 0) return body.slice();
  const start = body[0] === header[header.length - 1] ? 1 : 0;
  return header.concat(body.slice(start));
}

