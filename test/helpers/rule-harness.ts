/**
 * Runs rules over a capture through the real engine, without the linter's configuration layer:
 * for testing one rule (or a few) on a real recording or a synthetic capture.
 */
import { join } from 'node:path';
import { analyse } from '../../src/analysis/analysis.js';
import type { Finding, Rule, RuleHandlers } from '../../src/lint/types.js';
import { CAPTURES_DIR } from './captures.js';

export async function runRules(capture: string, rules: Rule[], options: Record<string, Record<string, number | string | boolean>> = {}): Promise<Finding[]> {
  const path = capture.includes('/') ? capture : join(CAPTURES_DIR, capture);
  const findings: Finding[] = [];
  const handlers: RuleHandlers[] = rules.map((rule) => {
    const merged: Record<string, number | string | boolean> = {};
    for (const [k, o] of Object.entries(rule.options ?? {})) merged[k] = o.default;
    Object.assign(merged, options[rule.id] ?? {});
    return rule.create({
      options: merged,
      report: (f) =>
        findings.push({
          ruleId: rule.id,
          severity: rule.severity,
          message: f.message,
          connection: f.connection,
          exchange: f.exchange ?? null,
          frames: [...new Set(f.frames)].sort((a, b) => a - b),
          time: null,
          title: rule.title,
          help: rule.help,
          docs: rule.docs,
        }),
    });
  });
  await analyse(path, {}, {
    exchange: (x) => handlers.forEach((h) => h.exchange?.(x)),
    connectionClosed: (c) => handlers.forEach((h) => h.connection?.(c)),
    captureEnded: (s) => handlers.forEach((h) => h.end?.(s)),
  });
  return findings;
}

/** The rule ids found, sorted and unique. */
export const ruleIds = (findings: Finding[]): string[] => [...new Set(findings.map((f) => f.ruleId))].sort();
