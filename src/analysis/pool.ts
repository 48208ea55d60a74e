/**
 * Several captures on worker threads, results in argument order — what `lint` and `export` share.
 * One worker per core, never more than there are files; each worker takes the next file when it is
 * done with one, so a large capture does not hold up the small ones queued behind it. A worker that
 * dies, or answers a file with a failure, leaves that file to this thread (`runHere`): the run is
 * never lost to a crashed worker. Standard input (`-`) is always read here. One file, one core, or running from TypeScript source (under the
 * test runner, where no compiled worker exists) runs everything here.
 *
 * The protocol: this thread posts `{index, file}`; the worker answers `{index, result}` or
 * `{index, failure}`, and may post anything else before that (export's output batches), which goes
 * to `onMessage` in order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const STDIN = '-';

export interface PoolTask {
  index: number;
  file: string;
}

export type PoolReply<R> = { index: number; result: R } | { index: number; failure: string };

export interface PoolSpec<R> {
  /** The compiled worker module. */
  workerUrl: URL;
  /** Each worker's workerData (by worker number). */
  workerData: (worker: number) => unknown;
  /** Worker threads to use at most (default: one per core). */
  threads?: number;
  /** A message that is not a reply (posted before the file's reply). */
  onMessage?: (message: unknown, worker: number) => void;
  /** The same work in this thread: every file without workers, and any file a worker failed. */
  runHere: (file: string, index: number) => Promise<R>;
}

export async function runPool<R>(files: readonly string[], spec: PoolSpec<R>): Promise<R[]> {
  const threads = Math.min(files.length, spec.threads ?? availableParallelism());
  if (threads < 2 || !spec.workerUrl.href.endsWith('.js') || !import.meta.url.endsWith('.js')) return sequential(files, spec);
  const results: Array<R | undefined> = new Array(files.length);
  const leftovers: number[] = [];
  const workers: Worker[] = [];
  // What onMessage threw (standard output failed: a full disk, a reader gone): the run stops with it.
  let thrown: { error: unknown } | null = null;
  let next = 0;
  await Promise.all(
    Array.from({ length: threads }, (_, n) =>
      new Promise<void>((done) => {
        const worker = new Worker(spec.workerUrl, { workerData: spec.workerData(n) });
        workers.push(worker);
        let current = -1;
        const feed = (): void => {
          // Standard input is this process's, not a worker's (a worker's stdin is empty): '-' is read here.
          while (next < files.length && files[next] === STDIN) leftovers.push(next++);
          if (next >= files.length || thrown !== null) {
            current = -1;
            void worker.terminate();
            return;
          }
          current = next++;
          worker.postMessage({ index: current, file: files[current] } satisfies PoolTask);
        };
        worker.on('message', (message: unknown) => {
          if (thrown !== null) return;
          if (!isReply<R>(message)) {
            try {
              spec.onMessage?.(message, n);
            } catch (error) {
              // Thrown inside an event handler it would end the process uncaught: runPool rejects instead.
              thrown = { error };
              current = -1;
              for (const w of workers) void w.terminate();
            }
            return;
          }
          if ('result' in message) results[message.index] = message.result;
          else leftovers.push(message.index);
          feed();
        });
        worker.on('error', () => {
          if (current >= 0) leftovers.push(current);
          current = -1;
        });
        worker.on('exit', () => {
          if (current >= 0) leftovers.push(current);
          done();
        });
        feed();
      }),
    ),
  );
  if (thrown !== null) throw (thrown as { error: unknown }).error;
  for (let i = 0; i < files.length; i++) if (results[i] === undefined && !leftovers.includes(i)) leftovers.push(i);
  for (const i of leftovers.sort((a, b) => a - b)) results[i] = await spec.runHere(files[i], i);
  return results as R[];
}

function isReply<R>(message: unknown): message is PoolReply<R> {
  return typeof message === 'object' && message !== null && 'index' in message && ('result' in message || 'failure' in message);
}

async function sequential<R>(files: readonly string[], spec: PoolSpec<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < files.length; i++) results.push(await spec.runHere(files[i], i));
  return results;
}
