/**
 * A lint worker thread (see pool.ts): rebuilds the run's rules once, then lints each file it is
 * sent and answers with the plain-data result. Anything unexpected is answered as a failure so the
 * main thread lints that file itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerInit, WorkerReply } from './pool.js';
import { lintCapture } from './run.js';
import { rulesFrom } from './setup.js';

const init = workerData as WorkerInit;
const port = parentPort;
if (port === null) throw new Error('lint/worker.js runs only as a worker thread');
const rules = rulesFrom(init.source);

port.on('message', (task: { index: number; file: string }) => {
  void (async () => {
    let reply: WorkerReply;
    try {
      reply = { index: task.index, result: await lintCapture(task.file, await rules, { locate: init.locate, nodeVerdict: init.nodeVerdict }) };
    } catch (error) {
      reply = { index: task.index, failure: String(error) };
    }
    port.postMessage(reply);
  })();
});
