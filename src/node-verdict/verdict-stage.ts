/**
 * The node-verdict stage in the analysis (main thread): taps every connection's reassembled bytes,
 * sends them in batches to a worker thread that replays them into Node's own http parser
 * (replayer.ts), and holds each connection's exchange and connection records until that
 * connection's verdict is back, then puts it on the messages (`node`) and hands the records on.
 *
 * Cost on the main thread: one copy of the payload bytes into a batch, and one postMessage per
 * batch (sent when the capture reader yields to the event loop, or at 1 MiB), with the buffers
 * transferred rather than cloned. Holding is bounded: a connection with more than MAX_HELD
 * exchanges waiting is released without a verdict (node: null) and no longer replayed.
 */
import { Worker } from 'node:worker_threads';
import type { ModelEvents } from '../model/builder.js';
import type { ConnectionModel, ConnectionOpened, ExchangeModel } from '../model/types.js';
import type { ConnectionRecord } from '../tcp/connection.js';
import type { StreamChunk, StreamGap } from '../tcp/stream.js';
import { attachVerdicts } from './attach.js';
import { BatchBuilder, type Batch } from './batch.js';
import { Replayer, type LocatedOutcome } from './replayer.js';
import type { NodeParserSettings } from './types.js';

/** Exchanges held per connection at most, waiting for its verdict. */
export const MAX_HELD = 1000;
const BATCH_BYTES = 1 << 20;
const WORKER_URL = new URL('./worker.js', import.meta.url);

interface Held {
  exchanges: ExchangeModel[];
  closed: ConnectionModel | null;
  /** Released without a verdict (too many exchanges held): records pass straight on. */
  givenUp: boolean;
}

/** Where batches go: a worker thread, or (no compiled worker: under the test runner) this thread. */
interface Sink {
  send(batch: Batch): void;
  close(): Promise<void>;
}

export class NodeVerdictStage {
  private readonly held = new Map<number, Held>();
  private readonly batch = new BatchBuilder();
  private readonly sink: Sink;
  private flushScheduled = false;
  private drained: (() => void) | null = null;
  private failed = false;
  private closed = false;

  constructor(
    settings: NodeParserSettings,
    private readonly downstream: Required<ModelEvents>,
    /** Exchanges held per connection at most (MAX_HELD; smaller in tests). */
    private readonly maxHeld = MAX_HELD,
  ) {
    this.sink = this.startSink(settings);
  }

  /** The model events, held per connection until its verdict. */
  events(): Required<ModelEvents> {
    return {
      connectionOpened: (c: ConnectionOpened) => this.downstream.connectionOpened(c),
      exchange: (x: ExchangeModel) => this.exchange(x),
      connectionClosed: (c: ConnectionModel) => this.connectionClosed(c),
    };
  }

  /**
   * The tap on a connection's bytes. A connection picked up mid-stream is not replayed: Node would
   * have read it from its first byte, which the capture does not have (its messages get node: null).
   */
  tap(record: ConnectionRecord): { chunk(chunk: StreamChunk): void; gap(gap: StreamGap): void } | undefined {
    if (record.midStream) return undefined;
    const id = record.id;
    const state: Held = { exchanges: [], closed: null, givenUp: this.failed };
    this.held.set(id, state);
    return {
      chunk: (chunk) => {
        if (state.givenUp) return;
        this.batch.chunk(id, chunk.direction, chunk.offset, chunk.frame, chunk.bytes);
        this.scheduleFlush();
      },
      gap: (gap) => {
        if (state.givenUp) return;
        this.batch.gap(id, gap.direction, gap.offset, gap.frameAfter);
        this.scheduleFlush();
      },
    };
  }

  /** Sends what is left and waits for every held connection's verdict; then stops the worker. */
  async drain(): Promise<void> {
    this.flush();
    if (this.held.size > 0 && !this.failed) await new Promise<void>((resolve) => (this.drained = resolve));
    await this.close();
  }

  /** Stops the replay: records still held (none after a drain) go on without a verdict. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const id of [...this.held.keys()]) this.release(id, null);
    await this.sink.close();
  }

  private exchange(x: ExchangeModel): void {
    const state = this.held.get(x.connection);
    if (state === undefined || state.givenUp) {
      attachVerdicts([x], null);
      this.downstream.exchange(x);
      return;
    }
    state.exchanges.push(x);
    if (state.exchanges.length > this.maxHeld) this.giveUp(x.connection, state);
  }

  private connectionClosed(c: ConnectionModel): void {
    const state = this.held.get(c.id);
    if (state === undefined || state.givenUp) {
      this.forget(c.id);
      this.downstream.connectionClosed(c);
      return;
    }
    state.closed = c;
    this.batch.end(c.id);
    this.scheduleFlush();
  }

  /** Too much to hold: hand the records on without a verdict and stop replaying the connection. */
  private giveUp(id: number, state: Held): void {
    state.givenUp = true;
    attachVerdicts(state.exchanges, null);
    for (const x of state.exchanges) this.downstream.exchange(x);
    state.exchanges = [];
    this.batch.end(id);
  }

  /** A verdict came back (or, with null, never will): the held records go on. */
  private release(id: number, outcome: LocatedOutcome | null): void {
    const state = this.held.get(id);
    if (state === undefined) return;
    if (state.givenUp) {
      if (state.closed !== null) {
        this.forget(id);
        this.downstream.connectionClosed(state.closed);
      }
      return;
    }
    if (state.closed === null && outcome !== null) return;
    this.forget(id);
    attachVerdicts(state.exchanges, outcome);
    for (const x of state.exchanges) this.downstream.exchange(x);
    if (state.closed !== null) this.downstream.connectionClosed(state.closed);
  }

  private forget(id: number): void {
    this.held.delete(id);
    if (this.held.size === 0) this.drained?.();
  }

  private scheduleFlush(): void {
    if (this.batch.size >= BATCH_BYTES) this.flush();
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.batch.empty) return;
    const batch = this.batch.take();
    if (!this.failed) this.sink.send(batch);
  }

  /** The replay failed as a whole (the worker died): every held record goes on without a verdict. */
  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    for (const id of [...this.held.keys()]) {
      const state = this.held.get(id) as Held;
      if (state.closed !== null) this.release(id, null);
      else this.giveUp(id, state);
    }
    this.drained?.();
  }

  private startSink(settings: NodeParserSettings): Sink {
    const answer = (outcome: LocatedOutcome) => this.release(outcome.connection, outcome);
    // Under the test runner this module is TypeScript source: no compiled worker.js to start.
    if (!import.meta.url.endsWith('.js')) {
      const replayer = new Replayer(settings, answer);
      return { send: (batch) => replayer.take(batch), close: async () => {} };
    }
    const worker = new Worker(WORKER_URL, { workerData: settings });
    worker.on('message', answer);
    worker.on('error', () => this.fail());
    worker.on('exit', () => this.fail());
    return {
      send: (batch) => worker.postMessage(batch, [batch.meta, batch.bytes]),
      close: async () => {
        worker.removeAllListeners('exit');
        await worker.terminate();
      },
    };
  }
}
