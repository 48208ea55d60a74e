/**
 * `--format json`: an array, one object per file in argument order:
 * { file, findings: [{ ruleId, severity, message, connection, exchange, frames }], errorCount,
 *   warningCount, noteCount, error }. Traffic text is escaped by JSON itself.
 */
import { countSeverities, type LintReport } from './lint-format.js';

export function formatJson(report: LintReport): string {
  const files = report.files.map((file) => {
    const counts = countSeverities(file.findings);
    return {
      file: file.file,
      findings: file.findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, connection: f.connection, exchange: f.exchange, frames: f.frames })),
      errorCount: counts.error,
      warningCount: counts.warning,
      noteCount: counts.note,
      error: file.error,
    };
  });
  return `${JSON.stringify(files, null, 2)}\n`;
}
