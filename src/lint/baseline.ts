/**
 * Baselines: `--write-baseline F` records the findings of a run; `--baseline F` suppresses the
 * findings that match a recorded entry, so CI fails only on new problems.
 *
 * A finding is keyed by what stays the same when the traffic is recorded again: the rule id, the
 * server's ip:port, the client's ip (not its port: ephemeral ports change on every run) and the
 * request line ("GET /path"). Frame numbers and connection ids are left out: they change as soon
 * as one packet more or less is captured. Matching is count-aware: an entry with `count: 2`
 * suppresses two matching findings, a third one is new.
 *
 * File format (JSON):
 *   { "wirelens": "baseline", "version": 1,
 *     "findings": [ { "ruleId": "content-length-overrun", "server": "127.0.0.1:5108",
 *                     "client": "127.0.0.1", "request": "GET /", "count": 1 }, … ] }
 * `server`, `client` and `request` are null where they do not apply (capture-wide findings;
 * connection-level findings have no request). Entries are sorted, so the file diffs well.
 */
import { readFileSync } from 'node:fs';
import type { FindingWhere } from './linter.js';
import type { Finding } from './types.js';

export interface BaselineEntry {
  ruleId: string;
  server: string | null;
  client: string | null;
  request: string | null;
  count: number;
}

export interface BaselineFile {
  wirelens: 'baseline';
  version: 1;
  findings: BaselineEntry[];
}

export class BaselineError extends Error {}

/** The client's address without its port ("[::1]:5000" → "::1", "10.0.0.2:41234" → "10.0.0.2"). */
export function hostOf(address: string | null): string | null {
  if (address === null) return null;
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    return end < 0 ? address : address.slice(1, end);
  }
  const colon = address.lastIndexOf(':');
  return colon < 0 || address.indexOf(':') !== colon ? address : address.slice(0, colon);
}

function keyOf(ruleId: string, where: Omit<FindingWhere, 'client'> & { client: string | null }): string {
  return JSON.stringify([ruleId, where.server, where.client, where.request]);
}

function findingKey(finding: Finding, where: FindingWhere): string {
  return keyOf(finding.ruleId, { server: where.server, client: hostOf(where.client), request: where.request });
}

/** The baseline of a run's findings (each with where it happened). */
export function buildBaseline(located: Iterable<{ finding: Finding; where: FindingWhere }>): BaselineFile {
  const counts = new Map<string, BaselineEntry>();
  for (const { finding, where } of located) {
    const key = findingKey(finding, where);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { ruleId: finding.ruleId, server: where.server, client: hostOf(where.client), request: where.request, count: 1 });
  }
  const findings = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  return { wirelens: 'baseline', version: 1, findings };
}

/** Reads and checks a baseline file; throws BaselineError with one line naming the problem. */
export function readBaseline(file: string): BaselineFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BaselineError(`${file}: ${code ? `cannot read the baseline (${code})` : `not valid JSON (${(error as Error).message})`}`);
  }
  const b = data as Partial<BaselineFile> | null;
  if (b === null || typeof b !== 'object' || b.wirelens !== 'baseline' || b.version !== 1 || !Array.isArray(b.findings)) {
    throw new BaselineError(`${file}: not a wirelens baseline (expected { "wirelens": "baseline", "version": 1, "findings": [...] })`);
  }
  b.findings.forEach((e, i) => {
    const ok =
      e !== null &&
      typeof e === 'object' &&
      typeof e.ruleId === 'string' &&
      [e.server, e.client, e.request].every((v) => v === null || typeof v === 'string') &&
      Number.isSafeInteger(e.count) &&
      e.count > 0;
    if (!ok) throw new BaselineError(`${file}: findings[${i}]: expected { ruleId, server, client, request, count ≥ 1 }`);
  });
  return b as BaselineFile;
}

/**
 * Suppresses findings that match the baseline, consuming one count per match: call `keep` on the
 * findings in order (files in argument order, findings in output order) so the same ones are
 * suppressed on every run.
 */
export class BaselineFilter {
  private readonly remaining = new Map<string, number>();
  suppressed = 0;

  constructor(baseline: BaselineFile) {
    for (const e of baseline.findings) {
      const key = keyOf(e.ruleId, e);
      this.remaining.set(key, (this.remaining.get(key) ?? 0) + e.count);
    }
  }

  /** False when the finding is in the baseline (and uses up one of its count). */
  keep(finding: Finding, where: FindingWhere): boolean {
    const key = findingKey(finding, where);
    const left = this.remaining.get(key) ?? 0;
    if (left === 0) return true;
    this.remaining.set(key, left - 1);
    this.suppressed++;
    return false;
  }
}
