/**
 * One capture through `wirelens export`, in this thread or on a worker (plain data in, plain data
 * out): the format's exporter subscribed to the analysis, with the rules, writing into an Output —
 * the capture's own file(s), or (`merged`) the one stream all captures share.
 */
import { analyse, sourceName, type AnalysisSubscriber } from '../analysis/analysis.js';
import { describeUndecoded } from '../decode/stats.js';
import type { ActiveRule } from '../lint/config.js';
import type { RuleSource } from '../lint/setup.js';
import type { NodeParserSettings } from '../node-verdict/types.js';
import type { Emit } from '../report/export-common.js';
import { FileSink, LinesOutput, LogDirectory, OutputFileError, type Output } from '../report/export-output.js';
import { HarDocument, HarExporter } from '../report/har.js';
import { NdjsonExporter } from '../report/ndjson.js';
import { ZeekExporter } from '../report/zeek.js';

export const EXPORT_FORMATS = ['har', 'zeek', 'zeek-json', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What every capture of a run is exported with (crosses to workers as workerData). */
export interface ExportPlan {
  format: ExportFormat;
  bodies: boolean;
  bodyLimit: number;
  rules: RuleSource;
  /** Node's verdict: its parser settings, null when off (`--no-node-verdict`). */
  nodeVerdict: NodeParserSettings | null;
  /** wirelens's version, for HAR's `creator`. */
  version: string;
  /**
   * Per capture (by index): its own output — a file (har, ndjson) or a directory (zeek, zeek-json) —
   * or null when it writes into the merged stream.
   */
  outputs: Array<string | null>;
}

export interface FileExport {
  file: string;
  /** Why the capture could not be read to its end (everything before the damage was written). */
  error: string | null;
  /** Lines for stderr: rule failures, frames of link types wirelens does not decode. */
  notices: string[];
  /** Anything could be read (false for a missing file or one that is not a capture). */
  read: boolean;
}

/** The exporter of `format` for one capture, emitting into `emit`. */
export function exporterFor(format: ExportFormat, file: string, emit: Emit, merged: boolean): AnalysisSubscriber {
  switch (format) {
    case 'har':
      return new HarExporter(file, emit);
    case 'ndjson':
      return new NdjsonExporter(file, emit);
    case 'zeek':
      return new ZeekExporter(file, emit, 'tsv');
    case 'zeek-json':
      return new ZeekExporter(file, emit, 'json', merged);
  }
}

/** A capture's own output at `path` (a file, or a directory of logs for the Zeek formats). */
export function ownOutput(format: ExportFormat, path: string, version: string): Output {
  if (format === 'zeek' || format === 'zeek-json') return new LogDirectory(path);
  const sink = new FileSink(path);
  if (format === 'ndjson') return new LinesOutput((t) => sink.write(t), () => sink.close());
  const doc = new HarDocument((t) => sink.write(t), version);
  return {
    add: (kind, text) => doc.add(kind, text),
    end: () => {
      doc.end();
      sink.close();
    },
  };
}

/**
 * Exports `file` into `output` (the capture's own, ended here; or the merged stream, ended by the
 * caller). A capture that could not be read at all ends nothing: no empty file is left behind.
 */
export async function exportCapture(file: string, plan: ExportPlan, rules: readonly ActiveRule[], output: Output, own: boolean): Promise<FileExport> {
  const notices: string[] = [];
  const name = sourceName(file);
  const exporter = exporterFor(plan.format, name, (kind, text) => output.add(kind, text), !own);
  let writeError: string | null = null;
  let summary;
  try {
    summary = await analyse(file, { bodies: plan.bodies, bodyLimit: plan.bodyLimit, rules, nodeVerdict: plan.nodeVerdict }, exporter, {
      ruleError: (failure) => notices.push(`${name}: ${failure.message}`),
    });
    if (own && !(summary.error !== null && summary.frames === 0)) output.end();
  } catch (error) {
    if (!(error instanceof OutputFileError)) throw error;
    writeError = error.message;
  }
  if (summary !== undefined) {
    const undecoded = describeUndecoded(summary.decode, summary.file);
    if (undecoded !== null) notices.push(undecoded);
  }
  const read = summary !== undefined && !(summary.error !== null && summary.frames === 0);
  return { file: name, error: writeError ?? summary?.error?.message ?? null, notices, read };
}
