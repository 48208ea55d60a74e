import { SEVERITY_RANK } from '../lint/run.js';
import type { Severity } from '../lint/types.js';
import type { SeverityCounts } from '../report/lint-format.js';
import { ExitCode } from './usage-error.js';

/**
 * The exit code of a lint run (`lint`, `live --lint`): 1 when a finding is at or above the failing
 * level, or there are more warnings than `--max-warnings` allows; else 0.
 */
export function lintExitCode(counts: SeverityCounts, failOn: Severity, maxWarnings: number | null): number {
  const reached = (Object.keys(counts) as Severity[]).some((s) => counts[s] > 0 && SEVERITY_RANK[s] >= SEVERITY_RANK[failOn]);
  if (reached) return ExitCode.FINDINGS;
  if (maxWarnings !== null && counts.warning > maxWarnings) return ExitCode.FINDINGS;
  return ExitCode.OK;
}
