/**
 * An export worker thread (src/analysis/pool.ts): rebuilds the run's rules once, then exports each
 * capture it is sent. A capture with its own output is written here; one that goes into the merged
 * stream is sent to the main thread in batches of about 64 KiB, at most MAX_IN_FLIGHT batches ahead
 * of the main thread's writing (it blocks on a shared counter): a slow reader of standard output
 * slows the workers down instead of filling memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PoolReply, PoolTask } from '../analysis/pool.js';
import { rulesFrom } from '../lint/setup.js';
import type { Output } from '../report/export-output.js';
import { exportCapture, ownOutput, type ExportPlan, type FileExport } from './export-capture.js';

export interface ExportWorkerInit {
  plan: ExportPlan;
  /** Batches sent and not yet written by the main thread (Int32Array over a SharedArrayBuffer). */
  inFlight: SharedArrayBuffer;
}

/** A batch of the merged stream: `(kind, text)` pairs, flattened. */
export interface ExportBatch {
  batch: string[];
}

export const MAX_IN_FLIGHT = 4;
const BATCH_CHARS = 64 * 1024;

const init = workerData as ExportWorkerInit;
const port = parentPort;
if (port === null) throw new Error('cli/export-worker.js runs only as a worker thread');
const rules = rulesFrom(init.plan.rules);
const inFlight = new Int32Array(init.inFlight);

/** The merged stream, seen from a worker: pieces gathered and posted in batches. */
class PostedOutput implements Output {
  private pieces: string[] = [];
  private chars = 0;

  add(kind: string, text: string): void {
    this.pieces.push(kind, text);
    this.chars += text.length;
    if (this.chars >= BATCH_CHARS) this.end();
  }

  end(): void {
    if (this.pieces.length === 0) return;
    const n = Atomics.add(inFlight, 0, 1) + 1;
    port!.postMessage({ batch: this.pieces } satisfies ExportBatch);
    this.pieces = [];
    this.chars = 0;
    // Wait (blocking this thread only) until the main thread has caught up.
    let current = n;
    while (current >= MAX_IN_FLIGHT) {
      Atomics.wait(inFlight, 0, current, 1000);
      current = Atomics.load(inFlight, 0);
    }
  }
}

port.on('message', (task: PoolTask) => {
  void (async () => {
    let reply: PoolReply<FileExport>;
    try {
      const own = init.plan.outputs[task.index];
      const output = own === null ? new PostedOutput() : ownOutput(init.plan.format, own, init.plan.version);
      const result = await exportCapture(task.file, init.plan, await rules, output, own !== null);
      if (own === null) output.end();
      reply = { index: task.index, result };
    } catch (error) {
      reply = { index: task.index, failure: String(error) };
    }
    port.postMessage(reply);
  })();
});
