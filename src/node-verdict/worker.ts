/** The node-verdict worker thread (see verdict-stage.ts): a Replayer fed with transferred batches. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Batch } from './batch.js';
import { Replayer } from './replayer.js';
import type { NodeParserSettings } from './types.js';

const port = parentPort;
if (port === null) throw new Error('node-verdict/worker.js runs only as a worker thread');
const replayer = new Replayer(workerData as NodeParserSettings, (outcome) => port.postMessage(outcome));
port.on('message', (batch: Batch) => replayer.take(batch));
