/**
 * Lints several captures, results in argument order: on worker threads (one per core, never more
 * than there are files) when there is more than one file, else in this thread. Each worker
 * rebuilds the rules from the run's plain-data RuleSource and takes the next file when it is done
 * with one, so a large capture does not hold up the small ones queued behind it. A worker that
 * dies leaves its file to this thread: the run is never lost to a crashed worker.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { lintCapture, type FileLint } from './run.js';
import type { RuleSetup } from './setup.js';
import type { NodeParserSettings } from '../node-verdict/types.js';

export interface PoolOptions {
  locate: boolean;
  /** Node's verdict: the replay's parser settings, null when off. */
  nodeVerdict: NodeParserSettings | null;
  /** Worker threads to use at most (default: one per core). */
  threads?: number;
}

/** What a worker is given at start (workerData) and answers per file. */
export interface WorkerInit {
  source: RuleSetup['source'];
  locate: boolean;
  nodeVerdict: NodeParserSettings | null;
}
export type WorkerReply = { index: number; result: FileLint } | { index: number; failure: string };

const WORKER_URL = new URL('./worker.js', import.meta.url);

export async function lintFiles(files: readonly string[], setup: RuleSetup, options: PoolOptions): Promise<FileLint[]> {
  const threads = Math.min(files.length, options.threads ?? availableParallelism());
  // Under the test runner this module is TypeScript source: workers need the compiled worker.js.
  if (threads < 2 || !import.meta.url.endsWith('.js')) return sequential(files, setup, options);
  const results: Array<FileLint | undefined> = new Array(files.length);
  const leftovers: number[] = [];
  let next = 0;
  const init: WorkerInit = { source: setup.source, locate: options.locate, nodeVerdict: options.nodeVerdict };
  await Promise.all(
    Array.from({ length: threads }, () =>
      new Promise<void>((done) => {
        const worker = new Worker(WORKER_URL, { workerData: init });
        let current = -1;
        const feed = (): void => {
          if (next >= files.length) {
            current = -1;
            void worker.terminate();
            return;
          }
          current = next++;
          worker.postMessage({ index: current, file: files[current] });
        };
        worker.on('message', (reply: WorkerReply) => {
          if ('result' in reply) results[reply.index] = reply.result;
          else leftovers.push(reply.index);
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
  for (let i = 0; i < files.length; i++) if (results[i] === undefined && !leftovers.includes(i)) leftovers.push(i);
  for (const i of leftovers.sort((a, b) => a - b)) results[i] = await lintCapture(files[i], setup.active, options);
  return results as FileLint[];
}

async function sequential(files: readonly string[], setup: RuleSetup, options: PoolOptions): Promise<FileLint[]> {
  const results: FileLint[] = [];
  for (const file of files) results.push(await lintCapture(file, setup.active, options));
  return results;
}
