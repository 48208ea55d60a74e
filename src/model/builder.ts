import { HttpConnectionAnalyzer } from '../http/connection.js';
import type { Exchange, Message } from '../http/types.js';
import type { ConnectionRecord } from '../tcp/connection.js';
import type { StreamChunk, StreamConsumer, StreamGap, OverlapConflict } from '../tcp/stream.js';
import type { TrackerOptions } from '../tcp/tracker.js';
import { formatEndpoint } from './format.js';
import { bodyView } from './body.js';
import { capturePoint } from './capture-point.js';
import { packing } from './packing.js';
import { reuse, timing } from './reuse.js';
import type { ConnectionModel, ExchangeModel, MessageModel } from './types.js';

export const DEFAULT_BODY_LIMIT = 64 * 1024;
/**
 * Capture seconds a closed connection waits before it is handed on: the last ACK (and any
 * retransmitted FIN) arrive after the close, and they belong in the connection's frame counts.
 */
export const SETTLE_SECONDS = 2;

export interface ModelBuilderOptions {
  /** Body bytes kept per message (default 64 KiB; 0 keeps none). */
  bodyLimit?: number;
  /** Attach a BodyView (decoded text / base64) to every message with a body. */
  bodies?: boolean;
  /** Receives every finished connection, in id order, as soon as it and all before it are final. */
  onConnection(connection: ConnectionModel): void;
}

interface Live {
  record: ConnectionRecord;
  analyzer: HttpConnectionAnalyzer;
  maxSegment: { client: number; server: number };
  /** Capture time of the close; null while open. */
  closedAt: number | null;
}

/**
 * Builds the model as the capture streams by: one HttpConnectionAnalyzer per TCP connection, and a
 * ConnectionModel handed on in id order once the connection has closed and settled. Memory grows
 * with the connections open (and closed ones waiting for an older one still open), not with the
 * capture's length.
 */
export class ModelBuilder {
  private readonly live = new Map<number, Live>();
  private nextId = 1;
  /** live.get(nextId), kept at hand: tick() runs for every frame of the capture. */
  private head: Live | undefined = undefined;

  constructor(private readonly options: ModelBuilderOptions) {}

  /** Hooks for TcpTracker: the builder is the tcp stage's consumer factory. */
  trackerOptions(): TrackerOptions {
    return {
      onConnection: (record) => this.open(record),
      onConnectionEnd: (record) => {
        const live = this.live.get(record.id);
        if (live && live.closedAt === null) live.closedAt = record.endTime;
      },
    };
  }

  /** Called with each frame's time: hands on connections that closed long enough ago. */
  tick(time: number): void {
    for (;;) {
      const next = this.head;
      if (next === undefined || next.closedAt === null || time - next.closedAt < SETTLE_SECONDS) return;
      this.emit(next);
    }
  }

  /** After TcpTracker.finish() (which opened a consumer for every connection): hands on everything left, in id order. */
  finish(): void {
    for (;;) {
      const next = this.head;
      if (next === undefined) return;
      this.emit(next);
    }
  }

  private open(record: ConnectionRecord): StreamConsumer {
    const analyzer = new HttpConnectionAnalyzer({
      bodyLimit: this.options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    });
    const live: Live = { record, analyzer, maxSegment: { client: 0, server: 0 }, closedAt: null };
    this.live.set(record.id, live);
    if (record.id === this.nextId) this.head = live;
    return {
      chunk(chunk: StreamChunk) {
        if (chunk.bytes.length > live.maxSegment[chunk.direction]) live.maxSegment[chunk.direction] = chunk.bytes.length;
        analyzer.chunk(chunk);
      },
      gap(gap: StreamGap) {
        analyzer.gap(gap);
      },
      overlapConflict(_conflict: OverlapConflict) {},
      close(time: number) {
        analyzer.close(time);
      },
      endOfCapture(time: number) {
        analyzer.endOfCapture(time);
      },
    };
  }

  private emit(live: Live): void {
    this.live.delete(live.record.id);
    this.nextId = live.record.id + 1;
    this.head = this.live.get(this.nextId);
    this.options.onConnection(buildConnection(live, this.options.bodies ?? false));
  }
}

function buildConnection(live: Live, bodies: boolean): ConnectionModel {
  const { record: rec, analyzer } = live;
  const http = analyzer.result();
  const point = capturePoint(
    { client: rec.handshake.clientMss ?? null, server: rec.handshake.serverMss ?? null },
    live.maxSegment,
  );
  const exchanges: ExchangeModel[] = [];
  let previous: Exchange | null = null;
  for (const exchange of http.exchanges) {
    exchanges.push({
      index: exchange.index,
      pipelined: exchange.pipelined,
      request: messageModel(exchange.request, point.note, bodies),
      interim: exchange.interim.map((m) => messageModel(m, point.note, bodies) as MessageModel),
      response: messageModel(exchange.response, point.note, bodies),
      reuse: reuse(exchange, previous),
      timing: timing(exchange),
    });
    previous = exchange;
  }
  const { client: c, server: s } = rec.stats;
  return {
    id: rec.id,
    client: formatEndpoint(rec.client.ip, rec.client.port),
    server: formatEndpoint(rec.server.ip, rec.server.port),
    ipVersion: rec.ipVersion,
    protocol: http.protocol ?? 'unknown',
    startTime: rec.startTime,
    endTime: rec.endTime,
    duration: rec.endTime - rec.startTime,
    firstFrame: rec.firstFrame,
    lastFrame: rec.lastFrame,
    midStream: rec.midStream,
    handshake: rec.handshake,
    teardown: rec.teardown,
    frames: { client: c.frames, server: s.frames },
    bytes: { client: c.bytes, server: s.bytes },
    retransmissions: { client: c.retransmissions, server: s.retransmissions },
    keepAlives: { client: c.keepAlives, server: s.keepAlives },
    truncatedFrames: c.truncatedFrames + s.truncatedFrames,
    gaps: rec.gaps,
    history: rec.history,
    capturePoint: point,
    exchanges,
    protocolSwitch: http.protocolSwitch,
    uninspectedBytes: http.uninspectedBytes,
    deviations: http.deviations,
    end: http.end,
  };
}

function messageModel(message: Message | null, note: string | null, bodies: boolean): MessageModel | null {
  if (!message) return null;
  const model: MessageModel = {
    kind: message.kind,
    direction: message.direction,
    startLine: message.startLine,
    version: message.version,
    headers: message.headers,
    headSize: message.headSize,
    framing: message.framing,
    complete: message.complete,
    frames: mergeFrames(message.headerFrames, message.bodyFrames),
    packing: packing(message, note),
    times: message.times,
    offsets: message.offsets,
    deviations: message.deviations,
  };
  if (message.method !== undefined) model.method = message.method;
  if (message.target !== undefined) model.target = message.target;
  if (message.status !== undefined) model.status = message.status;
  if (message.reason !== undefined) model.reason = message.reason;
  if (bodies) {
    const body = bodyView(message);
    if (body) model.body = body;
  }
  return model;
}

/** Header frames then body frames, without the shared frame twice (both lists are ascending). */
function mergeFrames(header: number[], body: number[]): number[] {
  if (body.length === 0) return header.slice();
  if (header.length === 0) return body.slice();
  const start = body[0] === header[header.length - 1] ? 1 : 0;
  return header.concat(body.slice(start));
}
