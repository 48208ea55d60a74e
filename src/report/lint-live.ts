/**
 * `wirelens lint`'s formats for a capture that is still running (`live --lint`): stylish and github
 * print each finding the moment it comes (stylish without column alignment, which would need the
 * findings to come; the summary line at the end), while json, sarif and junit are one document
 * each and are printed once the capture ends. Only those keep the findings; the others keep counts.
 */
import type { ActiveRule } from '../lint/config.js';
import type { Finding, Severity } from '../lint/types.js';
import { githubAnnotation, escapeData, escapeProperty } from './lint-github.js';
import { countSeverities, type LintFormat, type LintReport, type SeverityCounts } from './lint-format.js';
import { formatJson } from './lint-json.js';
import { formatJunit } from './lint-junit.js';
import { formatSarif } from './lint-sarif.js';
import { oneLine, stylishRow, stylishSummary } from './lint-stylish.js';

const DOCUMENTS: Partial<Record<LintFormat, (report: LintReport) => string>> = { json: formatJson, sarif: formatSarif, junit: formatJunit };

export class LiveLintWriter {
  readonly counts: SeverityCounts = countSeverities([]);
  /** Findings kept for a document format; empty for the line formats. */
  private readonly kept: Finding[] = [];
  private headerDone = false;

  constructor(
    private readonly out: (text: string) => void,
    private readonly format: LintFormat,
    /** The capture's name (`live:lo`, a file): the stylish heading, the file of json/sarif/junit/github. */
    private readonly file: string,
    private readonly rules: readonly ActiveRule[],
    private readonly failOn: Severity,
  ) {}

  finding(f: Finding): void {
    this.counts[f.severity]++;
    if (this.format === 'stylish') this.stylish(f);
    else if (this.format === 'github') this.out(`${githubAnnotation(this.file, f)}\n`);
    else this.kept.push(f);
  }

  /** The capture ended (`error`: why it could not be read to its end, or null): the summary or the document. */
  end(error: string | null): void {
    const document = DOCUMENTS[this.format];
    if (document !== undefined) {
      this.out(document({ files: [{ file: this.file, findings: this.kept, error }], rules: this.rules, failOn: this.failOn }));
      return;
    }
    if (this.format === 'github') {
      if (error !== null) this.out(`::error file=${escapeProperty(this.file)},title=wirelens::${escapeData(error)}\n`);
      return;
    }
    const summary = stylishSummary(this.counts);
    if (summary !== null) this.out(`\n${summary}\n`);
  }

  private stylish(f: Finding): void {
    if (!this.headerDone) {
      this.headerDone = true;
      this.out(`${oneLine(this.file)}\n`);
    }
    const [where, severity, message, ruleId] = stylishRow(f);
    this.out(`  ${where}  ${severity.padEnd(7)}  ${message}  ${ruleId}\n`);
  }
}
