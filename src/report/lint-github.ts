/**
 * `--format github`: GitHub Actions workflow commands, one annotation per finding:
 * `::error file=F,line=FRAME,title=RULE::message` (`warning`, and `notice` for notes). Traffic text
 * must not inject commands: the message escapes `%`, CR and LF, the properties also `:` and `,`
 * (the runner's own escaping), so a request target like "/%0A::error::pwned" stays inside its
 * annotation. Other control bytes are shown escaped, as on a terminal.
 */
import { escapeControls } from './terminal-safe.js';
import type { LintReport } from './lint-format.js';
import type { Finding, Severity } from '../lint/types.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', note: 'notice' };

export function formatGithub(report: LintReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    for (const f of file.findings) lines.push(githubAnnotation(file.file, f));
    if (file.error !== null) lines.push(`::error file=${escapeProperty(file.file)},title=wirelens::${escapeData(file.error)}`);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** One finding's annotation: `::error file=F,line=FRAME,title=RULE::message`. */
export function githubAnnotation(file: string, f: Finding): string {
  const props = [`file=${escapeProperty(file)}`];
  if (f.frames.length > 0) props.push(`line=${f.frames[0]}`);
  props.push(`title=${escapeProperty(f.ruleId)}`);
  return `::${COMMAND[f.severity]} ${props.join(',')}::${escapeData(f.message)}`;
}

/** The runner's escaping of a command's message (actions/toolkit escapeData), then the remaining controls made visible. */
export function escapeData(text: string): string {
  return escapeControls(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')).replace(/\t/g, '\\t');
}

/** The runner's escaping of a property value (actions/toolkit escapeProperty). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
