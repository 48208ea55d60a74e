/**
 * One capture through the analysis with a Linter subscribed: what `wirelens lint` shows per file,
 * whether it runs in the main thread or on a worker (plain data, so it crosses a MessagePort).
 */
import { analyse } from '../analysis/analysis.js';
import { describeUndecoded } from '../decode/stats.js';
import type { CaptureSummary } from '../model/types.js';
import type { ActiveRule } from './config.js';
import type { NodeParserSettings } from '../node-verdict/types.js';
import { Linter, type FindingWhere } from './linter.js';
import type { Finding, Severity } from './types.js';

export interface FileLint {
  /** The file as given (or as found in a directory). */
  file: string;
  /** Sorted by first frame, then rule id (capture-wide findings without frames last). */
  findings: Finding[];
  /** Where each finding happened (index for index), when asked for (baselines). */
  where: FindingWhere[] | null;
  /** Why the capture could not be read to its end (everything before the damage is in `findings`). */
  error: string | null;
  /** Lines for stderr: rule failures, frames of link types wirelens does not decode. */
  notices: string[];
  /** Rules that threw (and were disabled) on this capture. */
  ruleFailures: number;
  summary: CaptureSummary;
}

export const SEVERITY_RANK: Record<Severity, number> = { note: 1, warning: 2, error: 3 };

export async function lintCapture(
  file: string,
  rules: readonly ActiveRule[],
  options: { locate?: boolean; nodeVerdict?: NodeParserSettings | null } = {},
): Promise<FileLint> {
  const notices: string[] = [];
  const linter = new Linter(rules, { locate: options.locate, onRuleError: (f) => notices.push(`${file}: ${f.message}`) });
  const summary = await analyse(file, { nodeVerdict: options.nodeVerdict ?? null }, linter);
  const undecoded = describeUndecoded(summary.decode, summary.file);
  if (undecoded !== null) notices.push(undecoded);
  const order = sortedOrder(linter.findings);
  return {
    file,
    findings: order.map((i) => linter.findings[i]),
    where: options.locate ? order.map((i) => linter.where[i]) : null,
    error: summary.error?.message ?? null,
    notices,
    ruleFailures: linter.failures.length,
    summary,
  };
}

/**
 * Indexes of `findings` in output order: by first frame, then rule id, then connection and exchange
 * (a rule's findings on one frame in capture order: a pipelined request before the later ones
 * summed up at the close), then message.
 */
function sortedOrder(findings: readonly Finding[]): number[] {
  const first = (f: Finding): number => (f.frames.length > 0 ? f.frames[0] : Number.MAX_SAFE_INTEGER);
  return findings
    .map((_, i) => i)
    .sort((a, b) => {
      const fa = findings[a];
      const fb = findings[b];
      return first(fa) - first(fb) || compare(fa.ruleId, fb.ruleId) || rank(fa.connection) - rank(fb.connection) || rank(fa.exchange) - rank(fb.exchange) || compare(fa.message, fb.message) || a - b;
    });
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A connection id or exchange index for sorting; none (a capture-wide or connection-level finding) first. */
const rank = (n: number | null | undefined): number => n ?? 0;
