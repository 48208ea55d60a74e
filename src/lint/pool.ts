/**
 * Lints several captures, results in argument order, on worker threads (src/analysis/pool.ts).
 * Each worker rebuilds the rules from the run's plain-data RuleSource.
 */
import { runPool, type PoolReply } from '../analysis/pool.js';
import { lintCapture, type FileLint } from './run.js';
import type { RuleSetup } from './setup.js';
import type { NodeParserSettings } from '../node-verdict/types.js';

export interface PoolOptions {
  locate: boolean;
  /** Node's verdict: its parser settings, null when off. */
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
export type WorkerReply = PoolReply<FileLint>;

const WORKER_URL = new URL('./worker.js', import.meta.url);

export async function lintFiles(files: readonly string[], setup: RuleSetup, options: PoolOptions): Promise<FileLint[]> {
  const init: WorkerInit = { source: setup.source, locate: options.locate, nodeVerdict: options.nodeVerdict };
  return runPool(files, {
    workerUrl: WORKER_URL,
    workerData: () => init,
    threads: options.threads,
    runHere: (file) => lintCapture(file, setup.active, options),
  });
}
