/**
 * The one composition root: capture → decode → tcp → http → model, over a file, standard input or
 * any readable stream, with every result handed to subscribers as an event the moment it is
 * certain. Front ends (report, conns, follow, and the lint/TUI/live front ends to come) subscribe
 * and render; none wires stages itself.
 *
 * Events, in the order they can happen:
 *   connectionOpened  a TCP connection was seen and its client/server roles are known;
 *   exchange          a request/response exchange is complete (or was ended by a close or the end of the capture);
 *   finding           a rule's finding, the moment it is certain (with `rules`); usually just before the
 *                     record it concerns, but a pattern that shows only later (the 503 after a
 *                     Connection: close, the next connection after a short keep-alive hint) is
 *                     reported then, after that record;
 *   connectionClosed  a connection ended and settled (late ACKs counted; the tcp stage retired it): its record is final;
 *   progress          bytes and frames read so far (of the file size, when known);
 *   error             the input is damaged or unreadable (after everything before the damage went through);
 *   captureEnded      the input is exhausted: the capture summary (also the promise's value).
 * A subscriber may also tap the reassembled bytes of connections (`stream`), as `follow` does, and
 * receive every TCP segment of every connection (`segment`, in capture order: handshake, pure ACKs,
 * retransmissions included), as the ladder diagram does. Neither costs anything unless some
 * subscriber defines it.
 *
 * With `nodeVerdict`, each connection's bytes also go through Node's own HTTP parser, inline, before
 * the http stage sees them (src/node-verdict), and every message of an exchange carries Node's
 * verdict (`node`) when the exchange is handed on: the events and their order are the same as
 * without it.
 */
import { statSync } from 'node:fs';
import type { CaptureError, Frame } from '../capture/frame.js';
import { readCapture, STDIN_NAME } from '../capture/source.js';
import { Decoder } from '../decode/decoder.js';
import { newDecodeStats } from '../decode/stats.js';
import { ModelBuilder, DEFAULT_BODY_LIMIT, type ModelEvents } from '../model/builder.js';
import type { SegmentRecord } from '../model/segments.js';
import { SCHEMA_VERSION, type CaptureSummary, type ConnectionModel, type ConnectionOpened, type ExchangeModel } from '../model/types.js';
import type { ConnectionRecord } from '../tcp/connection.js';
import type { StreamConsumer } from '../tcp/stream.js';
import { TcpTracker, type TrackerOptions } from '../tcp/tracker.js';
import type { ActiveRule } from '../lint/config.js';
import { Linter, type RuleFailure } from '../lint/linter.js';
import type { Finding } from '../lint/types.js';
import { guessHttpRole } from '../http/role.js';
import { NodeVerdictStage } from '../node-verdict/verdict-stage.js';
import type { NodeParserSettings } from '../node-verdict/types.js';

/** A capture file path, '-' for standard input, or an already open stream (a pipe, tcpdump's stdout). */
export type AnalysisSource = string | { name: string; stream: NodeJS.ReadableStream };

export interface Progress {
  bytes: number;
  frames: number;
  /** Size of the input when it is a regular file; null for pipes and streams. */
  totalBytes: number | null;
}

/** The raw byte streams of a connection, for subscribers that show bytes (follow). */
export type StreamTap = Pick<StreamConsumer, 'chunk' | 'gap'>;

export interface AnalysisSubscriber {
  connectionOpened?(connection: ConnectionOpened): void;
  /** A finding, the moment its rule is certain (before or after the record it names: see the file comment). */
  finding?(finding: Finding): void;
  /** A rule threw; it is disabled for the rest of the capture. */
  ruleError?(failure: RuleFailure): void;
  exchange?(exchange: ExchangeModel): void;
  connectionClosed?(connection: ConnectionModel): void;
  progress?(progress: Progress): void;
  error?(error: CaptureError): void;
  captureEnded?(summary: CaptureSummary): void;
  /** Return a tap to receive the reassembled bytes of this connection (called when it opens). */
  stream?(connection: ConnectionRecord): StreamTap | undefined;
  /**
   * Every TCP segment of every connection, in capture order (a connection picked up mid-stream
   * reports its first payload-less segments when its roles are known). Label them with
   * labelSegments (src/model/segments.ts); keep them with SegmentLog (src/model/segment-log.ts).
   */
  segment?(segment: SegmentRecord): void;
}

export interface AnalysisOptions {
  /** The rules to run (configured: see src/lint/setup.ts); their findings are `finding` events. */
  rules?: readonly ActiveRule[];
  /**
   * 'http' (default): the whole model. 'tcp': connections only, each labelled by its first bytes
   * but not parsed (no exchange events; `exchanges` is null) — what `conns` needs.
   */
  inspect?: 'http' | 'tcp';
  /** Keep bodies for display (BodyView on every message with a body). */
  bodies?: boolean;
  /** Body bytes kept per message (default 64 KiB with `bodies`, else 0). */
  bodyLimit?: number;
  /**
   * Wall-clock tick for inputs that are not regular files (a pipe, a live capture), in ms: time
   * moves on while no frame arrives, so connections that closed still settle and are handed on.
   * 0 turns it off. Default 250.
   */
  tickMs?: number;
  /** Frames between progress events (default 65,536; the last one comes with the end). */
  progressEvery?: number;
  /**
   * Read every connection with Node's own http parser, with these parser settings, and put its
   * verdict on every message (`node`); null or absent: off (`node` is null). The CLI turns it on
   * unless `--no-node-verdict`.
   */
  nodeVerdict?: NodeParserSettings | null;
  /**
   * Ends the capture when aborted (Ctrl-C, `--duration`): everything read up to the last whole
   * record is analysed and handed on as at the end of the input.
   */
  signal?: AbortSignal;
  /** Read at most this many frames (`-c N`), then end as at the end of the input. */
  maxFrames?: number;
}

/**
 * Runs the whole analysis over `source`, calling each subscriber's handlers as results become
 * certain. Resolves with the capture summary once everything is handed on. Never rejects for bad
 * input: damage is an `error` event and `summary.error`, after everything read before it.
 */
export async function analyse(source: AnalysisSource, options: AnalysisOptions, ...subscribers: AnalysisSubscriber[]): Promise<CaptureSummary> {
  const summary = newSummary(source);
  const bus = new Bus(subscribers);
  if (options.rules !== undefined && options.rules.length > 0) {
    // The linter subscribes first, so a finding a record makes certain reaches the others before that record.
    const linter = new Linter(options.rules, {
      onFinding: (finding) => {
        summary.findings[finding.severity]++;
        bus.finding(finding);
      },
      onRuleError: (failure) => bus.ruleError(failure),
      keep: false,
    });
    bus.subscribeFirst(linter);
  }
  const taps = bus.wantsStreams();
  const { builder, tracker } = modelStages(options, countingEvents(bus, summary), {
    taps: taps ? (record) => bus.streamTaps(record) : undefined,
    // Only when someone listens: the tcp stage then builds an object per segment.
    onSegment: bus.wantsSegments() ? (_record, seen) => bus.segment(seen) : undefined,
  });
  const decoder = new Decoder();
  const totalBytes = sizeOf(source);
  const progressEvery = options.progressEvery ?? 65_536;
  let firstTime: number | null = null;
  let last: Frame | null = null;
  let lastWall = 0;
  /** The frame of the last progress event. */
  let reported = 0;
  const report = (frame: Frame): void => {
    reported = frame.index;
    bus.progress({ bytes: frame.fileOffset, frames: frame.index, totalBytes });
  };

  const onFrame = (frame: Frame): void => {
    if (firstTime === null) {
      firstTime = frame.time;
      builder.setCaptureStart(frame.time);
    }
    last = frame;
    // Time first: what the frame causes is stamped with the frame's time.
    builder.tick(frame.time);
    const segment = decoder.decode(frame);
    if (segment !== null) tracker.push(segment);
    if (frame.index % progressEvery === 0) report(frame);
  };

  // On a pipe or live capture, frame time alone would stop when the traffic does: between frames,
  // capture time is taken to advance with the wall clock from the last frame on.
  const tickMs = options.tickMs ?? 250;
  let seen: Frame | null = null;
  const timer =
    totalBytes === null && tickMs > 0
      ? setInterval(() => {
          const frame = last as Frame | null;
          if (frame === null) return;
          const now = Date.now() / 1000;
          if (frame !== seen) {
            seen = frame;
            lastWall = now;
            // A stream's progress at the tick too: a live capture may take minutes to reach the next progressEvery.
            if (frame.index !== reported) report(frame);
            return;
          }
          const time = frame.time + (now - lastWall);
          builder.tick(time);
          tracker.advance(time);
        }, tickMs)
      : null;
  timer?.unref();

  try {
    const stop = { signal: options.signal, maxFrames: options.maxFrames };
    const read = typeof source === 'string' ? await readCapture(source, onFrame, stop) : await readCapture('-', onFrame, { ...stop, input: source.stream });
    const lastFrame = last as Frame | null;
    builder.markCaptureEnd(lastFrame === null ? null : lastFrame.time);
    tracker.finish();
    builder.finish();
    summary.format = read.stats.format;
    summary.frames = read.stats.frames;
    summary.bytes = read.stats.bytes;
    summary.firstTime = firstTime;
    summary.lastTime = lastFrame === null ? null : lastFrame.time;
    summary.decode = { ...decoder.stats };
    summary.lateSegments = tracker.lateSegments;
    bus.progress({ bytes: read.stats.bytes, frames: read.stats.frames, totalBytes });
    if (read.error) {
      summary.error = { code: read.error.code, offset: read.error.offset, message: read.error.message };
      bus.error(read.error);
    }
  } finally {
    if (timer !== null) clearInterval(timer);
  }
  bus.captureEnded(summary);
  return summary;
}

/** What a subscriber adds to the stages: taps on each connection's bytes, and each segment. */
export interface StageHooks {
  taps?(record: ConnectionRecord): StreamTap[];
  onSegment?: TrackerOptions['onSegment'];
  /** The first connection's id (default 1): a connection analysed again keeps its id. */
  firstId?: number;
}

/**
 * tcp → http (→ Node's verdict) → model, wired once for analyse() and for a connection analysed
 * again from its own frames (reanalyse.ts): the model's events go to `events`.
 */
export function modelStages(options: AnalysisOptions, events: Required<ModelEvents>, hooks: StageHooks = {}): { builder: ModelBuilder; tracker: TcpTracker } {
  const verdicts = options.nodeVerdict != null && options.inspect !== 'tcp' ? new NodeVerdictStage(options.nodeVerdict, events) : null;
  const builder = new ModelBuilder(
    { bodies: options.bodies ?? false, bodyLimit: options.bodyLimit ?? (options.bodies ? DEFAULT_BODY_LIMIT : 0), http: options.inspect !== 'tcp' },
    verdicts === null ? events : verdicts.events(),
  );
  const tracker = new TcpTracker({
    onConnection: (record) => {
      const model = builder.open(record);
      const consumer = verdicts === null ? model : verdicts.consumer(record, model);
      return hooks.taps === undefined ? consumer : teeTo(consumer, hooks.taps(record));
    },
    onConnectionFinal: (record) => builder.final(record),
    guessRole: guessHttpRole,
    onSegment: hooks.onSegment,
    firstId: hooks.firstId,
  });
  return { builder, tracker };
}

/** By the status code's first digit - 1: the summary's keys (no string built per exchange). */
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** Model events counted into the summary on their way to the subscribers. */
function countingEvents(bus: Bus, summary: CaptureSummary): Required<ModelEvents> {
  return {
    connectionOpened: (c) => bus.connectionOpened(c),
    exchange: (x) => {
      summary.exchanges++;
      const status = x.response?.status ?? null;
      const cls = x.lost?.message === 'response' ? 'notCaptured' : status === null || status < 100 || status > 599 ? 'none' : STATUS_CLASSES[Math.floor(status / 100) - 1];
      summary.statusClasses[cls]++;
      summary.deviations += (x.request?.deviations.length ?? 0) + (x.response?.deviations.length ?? 0);
      for (const m of x.interim) summary.deviations += m.deviations.length;
      bus.exchange(x);
    },
    connectionClosed: (c) => {
      summary.connections++;
      summary.deviations += c.deviations.length;
      bus.connectionClosed(c);
    },
  };
}

function newSummary(source: AnalysisSource): CaptureSummary {
  return {
    schemaVersion: SCHEMA_VERSION,
    file: sourceName(source),
    format: null,
    frames: 0,
    bytes: 0,
    firstTime: null,
    lastTime: null,
    connections: 0,
    lateSegments: 0,
    exchanges: 0,
    statusClasses: { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, none: 0, notCaptured: 0 },
    deviations: 0,
    findings: { error: 0, warning: 0, note: 0 },
    decode: newDecodeStats(),
    error: null,
  };
}

/** The name errors and summaries use for a source. */
export function sourceName(source: AnalysisSource): string {
  if (typeof source !== 'string') return source.name;
  return source === '-' ? STDIN_NAME : source;
}

/** The file size of a regular file; null for stdin, pipes, devices and unreadable paths. */
export function sizeOf(source: AnalysisSource): number | null {
  if (typeof source !== 'string' || source === '-') return null;
  try {
    const st = statSync(source);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}


/** The model's consumer, and the subscribers' taps on the same bytes. */
function teeTo(consumer: StreamConsumer, taps: StreamTap[]): StreamConsumer {
  if (taps.length === 0) return consumer;
  const tee: StreamConsumer = {
    chunk(chunk) {
      consumer.chunk(chunk);
      for (const tap of taps) tap.chunk(chunk);
    },
    gap(gap) {
      consumer.gap(gap);
      for (const tap of taps) tap.gap(gap);
    },
    close(time) {
      consumer.close(time);
    },
  };
  // The consumer's optional ends are its own: left out, a capture end would read as a close.
  if (consumer.endOfCapture !== undefined) tee.endOfCapture = (time) => consumer.endOfCapture?.(time);
  if (consumer.overlapConflict !== undefined) tee.overlapConflict = (conflict) => consumer.overlapConflict?.(conflict);
  return tee;
}

/** Fans events out to the subscribers, skipping those without a handler. */
class Bus {
  private readonly subscribers: AnalysisSubscriber[];

  constructor(subscribers: readonly AnalysisSubscriber[]) {
    this.subscribers = [...subscribers];
  }

  subscribeFirst(subscriber: AnalysisSubscriber): void {
    this.subscribers.unshift(subscriber);
  }

  wantsStreams(): boolean {
    return this.subscribers.some((s) => s.stream !== undefined);
  }

  wantsSegments(): boolean {
    return this.subscribers.some((s) => s.segment !== undefined);
  }

  segment(segment: SegmentRecord): void {
    for (const s of this.subscribers) s.segment?.(segment);
  }

  streamTaps(record: ConnectionRecord): StreamTap[] {
    const taps: StreamTap[] = [];
    for (const s of this.subscribers) {
      const tap = s.stream?.(record);
      if (tap !== undefined) taps.push(tap);
    }
    return taps;
  }

  connectionOpened(c: ConnectionOpened): void {
    for (const s of this.subscribers) s.connectionOpened?.(c);
  }

  exchange(x: ExchangeModel): void {
    for (const s of this.subscribers) s.exchange?.(x);
  }

  finding(f: Finding): void {
    for (const s of this.subscribers) s.finding?.(f);
  }

  ruleError(failure: RuleFailure): void {
    for (const s of this.subscribers) s.ruleError?.(failure);
  }

  connectionClosed(c: ConnectionModel): void {
    for (const s of this.subscribers) s.connectionClosed?.(c);
  }

  progress(p: Progress): void {
    for (const s of this.subscribers) s.progress?.(p);
  }

  error(e: CaptureError): void {
    for (const s of this.subscribers) s.error?.(e);
  }

  captureEnded(summary: CaptureSummary): void {
    for (const s of this.subscribers) s.captureEnded?.(summary);
  }
}
