/**
 * The worker's side of the node verdict: takes batches of stream events, runs one ConnectionReplay
 * per connection (connections replay concurrently, each in its own capture order) and answers each
 * connection's outcome when its end has been replayed. Runs on a worker thread (worker.ts), or in
 * the calling thread where no compiled worker exists (under the test runner).
 */
import type http from 'node:http';
import { unpack, type Batch, type BatchEvent } from './batch.js';
import { ConnectionReplay, replayServer, type Located } from './replay.js';
import type { ConnectionOutcome, NodeParserSettings } from './types.js';
import type { Direction } from '../tcp/stream.js';

/** A connection's outcome with where each Node message was parsed (for attach.ts). */
export type LocatedOutcome = ConnectionOutcome & { located: Record<Direction, Located[]> };

export class Replayer {
  private readonly node: ReturnType<typeof replayServer>;
  private readonly running = new Map<number, Running>();

  constructor(
    private readonly settings: NodeParserSettings,
    private readonly answer: (outcome: LocatedOutcome) => void,
  ) {
    this.node = replayServer(settings);
  }

  take(batch: Batch): void {
    for (const event of unpack(batch)) {
      let entry = this.running.get(event.connection);
      if (entry === undefined) {
        const replay = new ConnectionReplay(event.connection, this.node.server as http.Server, this.node.owners, this.settings);
        entry = { replay, queue: [], next: 0, pumping: false };
        this.running.set(event.connection, entry);
      }
      if (event.kind === 'end') this.running.delete(event.connection);
      entry.queue.push(event);
      if (!entry.pumping) void this.pump(entry);
    }
  }

  /** Replays a connection's queued events in order, waiting only where the replay asks for a turn. */
  private async pump(entry: Running): Promise<void> {
    entry.pumping = true;
    try {
      while (entry.next < entry.queue.length) {
        const event = entry.queue[entry.next++];
        if (entry.next === entry.queue.length) {
          entry.queue = [];
          entry.next = 0;
        }
        if (event.kind === 'end') {
          this.answer(await entry.replay.finish());
          return;
        }
        const pending = entry.replay.feed(event);
        if (pending !== undefined) await pending;
      }
    } catch {
      this.answer(unknownOutcome(entry.replay.connection));
      entry.queue = [];
      entry.next = 0;
    } finally {
      entry.pumping = false;
    }
  }
}

interface Running {
  replay: ConnectionReplay;
  queue: BatchEvent[];
  next: number;
  pumping: boolean;
}

/** The outcome of a replay that failed (a Node internal error): nothing known. */
function unknownOutcome(connection: number): LocatedOutcome {
  const side = { messages: [], stop: null, unknownAfter: 'the replay failed' };
  return { connection, sides: { client: side, server: side }, located: { client: [], server: [] } };
}
