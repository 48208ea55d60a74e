/**
 * What every `wirelens lint` output format is given: the files in argument order with their
 * findings (after the baseline), the rules that ran (SARIF lists them) and the failing level
 * (JUnit fails test cases at or above it).
 */
import type { ActiveRule } from '../lint/config.js';
import type { Finding, Severity } from '../lint/types.js';

export interface LintReportFile {
  file: string;
  findings: Finding[];
  /** Why the capture could not be read to its end; null when it was. */
  error: string | null;
}

export interface LintReport {
  files: LintReportFile[];
  rules: readonly ActiveRule[];
  failOn: Severity;
}

export type LintFormat = 'stylish' | 'json' | 'sarif' | 'junit' | 'github';

export interface SeverityCounts {
  error: number;
  warning: number;
  note: number;
}

export function countSeverities(findings: Iterable<Finding>): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, note: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export { plural } from '../text/plural.js';

/** How a rule's docs link is labelled: most rules link Node.js's docs, capture-quality rules tcpdump's or Wireshark's. */
export function docsLabel(docs: string): string {
  return docs.startsWith('https://nodejs.org/') ? 'Node.js documentation' : 'Documentation';
}
