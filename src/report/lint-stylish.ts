/**
 * ESLint's stylish format: findings grouped under their file, one aligned line each
 * (`frame N  severity  message  rule-id`), then a summary line. Messages carry traffic text
 * (targets, header values): every control byte, line breaks and tabs included, is shown escaped,
 * so a finding stays one line and cannot drive the terminal.
 */
import { escapeControls } from './terminal-safe.js';
import { countSeverities, plural, type LintReport, type SeverityCounts } from './lint-format.js';
import type { Finding } from '../lint/types.js';

export function formatStylish(report: LintReport): string {
  const out: string[] = [];
  for (const file of report.files) {
    if (file.findings.length === 0) continue;
    const rows = file.findings.map(stylishRow);
    const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
    out.push(oneLine(file.file));
    for (const r of rows) out.push(`  ${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}`);
    out.push('');
  }
  const summary = stylishSummary(countSeverities(report.files.flatMap((f) => f.findings)));
  if (summary === null) return '';
  out.push(summary);
  return `${out.join('\n')}\n`;
}

/** A finding's columns: where (`frame N`, or `capture`), severity, message (one line, terminal-safe), rule id. */
export function stylishRow(f: Finding): [string, string, string, string] {
  return [f.frames.length > 0 ? `frame ${f.frames[0]}` : 'capture', f.severity, oneLine(f.message), f.ruleId];
}

/** `✖ 3 problems (1 error, 2 warnings, 0 notes)`; null when there are none. */
export function stylishSummary(counts: SeverityCounts): string | null {
  const total = counts.error + counts.warning + counts.note;
  if (total === 0) return null;
  return `✖ ${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.note, 'note')})`;
}

/** Terminal-safe and on one line: escapeControls keeps LF and TAB for layout, a finding may not. */
export function oneLine(text: string): string {
  return escapeControls(text).replace(/[\n\t]/g, (c) => (c === '\n' ? '\\n' : '\\t'));
}
