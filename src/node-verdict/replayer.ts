/**
 * The worker's side of the node verdict: takes batches of stream events, runs one ConnectionReplay
 * per connection (connections replay concurrently, each in its own capture order) and answers each
 * connection's outcome when its end has been replayed. Runs on a worker thread (worker.ts), or in
 * the calling thread where no compiled worker exists (under the test runner).
 */
import type http from 'node:http';
import { unpack, type Batch } from './batch.js';
import { ConnectionReplay, replayServer, type Located } from './replay.js';
import type { ConnectionOutcome, NodeParserSettings } from './types.js';
import type { Direction } from '../tcp/stream.js';

/** A connection's outcome with where each Node message was parsed (for attach.ts). */
export type LocatedOutcome = ConnectionOutcome & { located: Record<Direction, Located[]> };

export class Replayer {
  private readonly node: ReturnType<typeof replayServer>;
  private readonly running = new Map<number, { replay: ConnectionReplay; queue: Promise<void> }>();

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
        entry = { replay, queue: Promise.resolve() };
        this.running.set(event.connection, entry);
      }
      const { replay } = entry;
      if (event.kind === 'end') {
        this.running.delete(event.connection);
        entry.queue = entry.queue.then(() => replay.finish()).then((outcome) => this.answer(outcome), () => this.answer(unknownOutcome(event.connection)));
      } else {
        entry.queue = entry.queue.then(() => replay.feed(event));
      }
    }
  }
}

/** The outcome of a replay that failed (a Node internal error): nothing known. */
function unknownOutcome(connection: number): LocatedOutcome {
  const side = { messages: [], stop: null, unknownAfter: 'the replay failed' };
  return { connection, sides: { client: side, server: side }, located: { client: [], server: [] } };
}
