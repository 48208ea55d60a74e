/**
 * `wirelens export FILE… --format har|zeek|zeek-json|ndjson [--output PATH]`: the analysis in the
 * formats other tools read, streamed (each record written when its exchange or connection is
 * complete). Several captures (files, directories, patterns: as lint takes them) are exported on
 * worker threads, either each into its own output under --output DIR, or — without --output — into
 * one merged stream on standard output with the capture's name on every record.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { runPool } from '../analysis/pool.js';
import { expandCaptureArgs } from '../capture/files.js';
import { ruleSetup } from './rule-setup.js';
import { HarDocument } from '../report/har.js';
import { LinesOutput, OutputFileError, type Output } from '../report/export-output.js';
import { parseCommandArgs } from './args.js';
import { exportCapture, ownOutput, type ExportFormat, type ExportPlan, type FileExport } from './export-capture.js';
import type { ExportBatch, ExportWorkerInit } from './export-worker.js';
import type { Io } from './io.js';
import { packageVersion } from '../lint/package-files.js';
import { nodeVerdictSettings } from './node-options.js';
import { parseBodyLimit } from './report.js';
import { exportSpec } from './specs.js';
import { ExitCode, UsageError } from './usage-error.js';

const WORKER_URL = new URL('./export-worker.js', import.meta.url);
const EXTENSION: Record<ExportFormat, string> = { har: '.har', ndjson: '.ndjson', zeek: '', 'zeek-json': '' };

export async function runExport(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(exportSpec, args);
  const format = values.format as ExportFormat;
  const bodies = values.bodies ?? false;
  const bodyLimit = parseBodyLimit(values['body-limit'], bodies);
  if (format === 'zeek' && values.output === undefined) throw new UsageError('--format zeek writes conn.log, http.log and wirelens.log: it needs --output DIR');

  const nodeVerdict = nodeVerdictSettings(values);
  const setup = await ruleSetup(values, io);
  if (setup === null) return ExitCode.BAD_INPUT;
  const { files, problems } = expandCaptureArgs(positionals);
  for (const p of problems) io.err(`wirelens: ${p}\n`);
  if (files.length === 0) return ExitCode.BAD_INPUT;

  const outputs = outputPaths(format, files, values.output);
  const plan: ExportPlan = { format, bodies, bodyLimit, rules: setup.source, nodeVerdict, version: packageVersion(), outputs };
  const merged = mergedOutput(format, io);
  // Each worker's count of merged-stream batches not yet written (see export-worker.ts).
  const inFlight: Int32Array[] = [];
  let results: FileExport[];
  try {
    results = await runPool(files, {
      workerUrl: WORKER_URL,
      workerData: (n): ExportWorkerInit => {
        inFlight[n] = new Int32Array(new SharedArrayBuffer(4));
        return { plan, inFlight: inFlight[n].buffer as SharedArrayBuffer };
      },
      onMessage: (message, n) => writeBatch(message as ExportBatch, merged, inFlight[n]),
      // A file a worker failed is exported again here: into the merged stream, records the worker had
      // already sent would then come twice (a worker fails only on a bug, never on traffic).
      runHere: (file, i) => {
        const own = outputs[i];
        return exportCapture(file, plan, setup.active, own === null ? merged : ownOutput(format, own, plan.version), own !== null);
      },
    });
    // The merged stream is closed unless no capture in it could be read at all (nothing to say but the error lines).
    if (results.some((r, i) => outputs[i] === null && r.read)) merged.end();
  } catch (error) {
    if (!(error instanceof OutputFileError)) throw error;
    io.err(`wirelens: ${error.message}\n`);
    return ExitCode.BAD_INPUT;
  }
  let failed = problems.length > 0 || setup.problems.length > 0;
  for (const r of results) {
    for (const line of r.notices) io.err(`wirelens: ${line}\n`);
    if (r.error !== null) io.err(`wirelens: ${r.error}\n`);
    failed ||= r.error !== null;
  }
  return failed ? ExitCode.BAD_INPUT : ExitCode.OK;
}

/** Writes a worker's batch into the merged stream, then lets the worker go on. */
function writeBatch(message: ExportBatch, merged: Output, inFlight: Int32Array): void {
  const pieces = message.batch;
  try {
    for (let i = 0; i < pieces.length; i += 2) merged.add(pieces[i], pieces[i + 1]);
  } finally {
    Atomics.sub(inFlight, 0, 1);
    Atomics.notify(inFlight, 0);
  }
}

/** The one stream on standard output: a HAR document, or lines. */
function mergedOutput(format: ExportFormat, io: Io): Output {
  const out = (text: string): void => io.out(text);
  if (format === 'har') {
    const doc = new HarDocument(out, packageVersion());
    return { add: (kind, text) => doc.add(kind, text), end: () => doc.end() };
  }
  return new LinesOutput(out);
}

/**
 * Each capture's own output, or null for the merged stream (no --output). One capture: --output is
 * the file (har, ndjson; a file inside it when it is a directory) or the log directory (zeek,
 * zeek-json). Several: --output is a directory holding one output per capture, named after it
 * (`a.pcapng` → `a.har`, `a.ndjson`, `a/`; a repeated name gets `-2`, `-3`…).
 */
function outputPaths(format: ExportFormat, files: readonly string[], output: string | undefined): Array<string | null> {
  if (output === undefined) return files.map(() => null);
  const logs = format === 'zeek' || format === 'zeek-json';
  if (files.length === 1 && (logs || !isDirectory(output))) return [output];
  if (!logs && existsSync(output) && !isDirectory(output)) throw new UsageError(`--output ${output}: several captures need a directory (one ${EXTENSION[format]} file per capture), not a file`);
  mkdirSync(output, { recursive: true });
  const used = new Map<string, number>();
  return files.map((file) => {
    const stem = file === '-' ? 'stdin' : basename(file, extname(file));
    const n = (used.get(stem) ?? 0) + 1;
    used.set(stem, n);
    return join(output, `${n === 1 ? stem : `${stem}-${n}`}${EXTENSION[format]}`);
  });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
