/**
 * `wirelens lint FILE…`, `wirelens rules` and `wirelens explain ID`: the findings of captures for
 * people and for CI, with ESLint's configuration, output formats and exit codes.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BaselineError, BaselineFilter, buildBaseline, readBaseline, type BaselineFile } from '../lint/baseline.js';
import { ruleSetup } from './rule-setup.js';
import { expandCaptureArgs } from '../capture/files.js';
import { lintFiles } from '../lint/pool.js';
import type { FileLint } from '../lint/run.js';
import { closestMatches, closestNames, didYouMean } from '../text/suggest.js';
import type { Severity } from '../lint/types.js';
import { countSeverities, docsLabel, type LintFormat, type LintReport, type LintReportFile } from '../report/lint-format.js';
import { formatGithub } from '../report/lint-github.js';
import { formatJson } from '../report/lint-json.js';
import { formatJunit } from '../report/lint-junit.js';
import { formatSarif } from '../report/lint-sarif.js';
import { formatStylish } from '../report/lint-stylish.js';
import { escapeControls } from '../report/terminal-safe.js';
import { isParseArgsError, wholeNumber } from './args.js';
import { lintExitCode } from './fail-on.js';
export { explainHelp, lintHelp, rulesHelp } from './specs.js';
import type { Io } from './io.js';
import { ExitCode, UsageError } from './usage-error.js';
import { nodeVerdictSettings } from './node-options.js';

const FORMATTERS: Record<LintFormat, (report: LintReport) => string> = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  github: formatGithub,
};

const RULE_OPTIONS = {
  config: { type: 'string' },
  rule: { type: 'string', multiple: true },
  'rules-dir': { type: 'string' },
} as const;

/** The value names of lintHelp, for the option list of an error line. */
const VALUE_NAMES: Record<string, string> = {
  format: 'F',
  output: 'F',
  'fail-on': 'LEVEL',
  'max-warnings': 'N',
  config: 'F',
  rule: 'ID=SEVERITY',
  'rules-dir': 'DIR',
  baseline: 'F',
  'write-baseline': 'F',
  'node-max-header-size': 'N',
};

const LINT_OPTIONS = {
  format: { type: 'string', default: 'stylish' },
  output: { type: 'string' },
  'fail-on': { type: 'string', default: 'error' },
  'max-warnings': { type: 'string' },
  ...RULE_OPTIONS,
  baseline: { type: 'string' },
  'write-baseline': { type: 'string' },
  'no-node-verdict': { type: 'boolean' },
  'node-verdict': { type: 'boolean' },
  'node-max-header-size': { type: 'string' },
  'node-insecure-http-parser': { type: 'boolean' },
} as const;

export async function runLint(args: string[], io: Io): Promise<number> {
  const { values, positionals } = usageErrors(LINT_OPTIONS, () =>
    parseArgs({ args: attachNegative(args, '--max-warnings'), options: LINT_OPTIONS, allowPositionals: true }),
  );
  const format = oneOf('--format', values.format, Object.keys(FORMATTERS)) as LintFormat;
  const failOn = oneOf('--fail-on', values['fail-on'], ['error', 'warning', 'note']) as Severity;
  const maxWarnings = values['max-warnings'] === undefined ? null : wholeNumber('--max-warnings', values['max-warnings']);
  if (values.baseline !== undefined && values['write-baseline'] !== undefined) throw new UsageError('--baseline and --write-baseline cannot be used together');
  if (positionals.length === 0) throw new UsageError('lint needs at least one capture file or directory');
  const nodeVerdict = nodeVerdictSettings(values);

  const setup = await ruleSetup(values, io);
  if (setup === null) return ExitCode.BAD_INPUT;
  let baseline: BaselineFile | null = null;
  if (values.baseline !== undefined) {
    try {
      baseline = readBaseline(values.baseline);
    } catch (error) {
      if (!(error instanceof BaselineError)) throw error;
      io.err(`wirelens: ${error.message}\n`);
      return ExitCode.BAD_INPUT;
    }
  }

  const { files, problems } = expandCaptureArgs(positionals);
  for (const p of problems) io.err(`wirelens: ${p}\n`);
  const locate = baseline !== null || values['write-baseline'] !== undefined;
  const results = await lintFiles(files, setup, { locate, nodeVerdict });
  let failed = problems.length > 0 || setup.problems.length > 0;
  for (const r of results) {
    for (const line of r.notices) io.err(`wirelens: ${line}\n`);
    if (r.error !== null) io.err(`wirelens: ${r.error}\n`);
    failed ||= r.error !== null || r.ruleFailures > 0;
  }

  const shown = baseline === null ? results.map(asReported) : applyBaseline(results, new BaselineFilter(baseline));
  const report: LintReport = { files: shown, rules: setup.active, failOn };
  const text = FORMATTERS[format](report);
  if (values.output === undefined) io.out(text);
  else if (!writeOut(values.output, text, io)) failed = true;

  if (values['write-baseline'] !== undefined) {
    const written = buildBaseline(results.flatMap((r) => r.findings.map((finding, i) => ({ finding, where: (r.where ?? [])[i] }))));
    if (!writeOut(values['write-baseline'], `${JSON.stringify(written, null, 2)}\n`, io)) return ExitCode.BAD_INPUT;
    const n = written.findings.reduce((sum, e) => sum + e.count, 0);
    io.err(`wirelens: wrote ${n} finding${n === 1 ? '' : 's'} to the baseline ${values['write-baseline']}\n`);
    // Everything found is now in the baseline: nothing is new.
    return failed ? ExitCode.BAD_INPUT : ExitCode.OK;
  }
  if (failed) return ExitCode.BAD_INPUT;
  return lintExitCode(countSeverities(shown.flatMap((f) => f.findings)), failOn, maxWarnings);
}


function asReported(r: FileLint): LintReportFile {
  return { file: r.file, findings: r.findings, error: r.error };
}

/** The findings not in the baseline, consumed in argument and output order. */
function applyBaseline(results: readonly FileLint[], filter: BaselineFilter): LintReportFile[] {
  return results.map((r) => ({ file: r.file, error: r.error, findings: r.findings.filter((f, i) => filter.keep(f, (r.where ?? [])[i])) }));
}

function writeOut(file: string, text: string, io: Io): boolean {
  try {
    writeFileSync(file, text);
    return true;
  } catch (error) {
    io.err(`wirelens: ${file}: cannot write (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`);
    return false;
  }
}

export async function runRulesList(args: string[], io: Io): Promise<number> {
  const { values, positionals } = usageErrors(RULE_OPTIONS, () => parseArgs({ args, options: RULE_OPTIONS, allowPositionals: true }));
  if (positionals.length > 0) throw new UsageError('rules takes no file (see wirelens lint)');
  const setup = await ruleSetup(values, io);
  if (setup === null) return ExitCode.BAD_INPUT;
  const rows = setup.resolved.map((r) => [r.rule.id, r.severity, r.rule.title]);
  const widths = [0, 1].map((c) => Math.max(c === 0 ? 'RULE'.length : 'SEVERITY'.length, ...rows.map((r) => r[c].length)));
  const lines = [['RULE', 'SEVERITY', 'TITLE'], ...rows].map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`);
  lines.push('', `${rows.length} rule${rows.length === 1 ? '' : 's'}; \`wirelens explain ID\` prints a rule's help.`);
  io.out(escapeControls(`${lines.join('\n')}\n`));
  return setup.problems.length > 0 ? ExitCode.BAD_INPUT : ExitCode.OK;
}

export async function runExplain(args: string[], io: Io): Promise<number> {
  const { values, positionals } = usageErrors(RULE_OPTIONS, () => parseArgs({ args, options: RULE_OPTIONS, allowPositionals: true }));
  if (positionals.length !== 1) throw new UsageError('explain takes exactly one rule id (see wirelens rules)');
  const setup = await ruleSetup(values, io);
  if (setup === null) return ExitCode.BAD_INPUT;
  const id = positionals[0];
  const found = setup.resolved.find((r) => r.rule.id === id);
  if (found === undefined) {
    io.err(`wirelens explain: unknown rule '${id}'${didYouMean(closestNames(id, setup.resolved.map((r) => r.rule.id)))}\n`);
    return ExitCode.BAD_INPUT;
  }
  const { rule } = found;
  const options = Object.entries(rule.options ?? {}).map(([name, o]) => `  ${name} (${o.type}, default ${JSON.stringify(o.default)}): ${o.description}`);
  const text = [
    `${rule.id} (${rule.severity}${found.severity === rule.severity ? '' : `; configured: ${found.severity}`}): ${rule.title}`,
    ...(found.file === null ? [] : [`from ${found.file}`]),
    '',
    rule.help.trim(),
    '',
    ...(options.length > 0 ? ['Options:', ...options, ''] : []),
    `${docsLabel(rule.docs)}: ${rule.docs}`,
  ];
  io.out(escapeControls(`${text.join('\n')}\n`));
  return ExitCode.OK;
}

/**
 * util.parseArgs throws a TypeError for an unknown option or a missing value; as a usage error it
 * is one line and exit 2 instead of a stack trace.
 */
function usageErrors<T>(options: Record<string, { type: 'string' | 'boolean' }>, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    const code = (error as { code?: string }).code;
    const unknown = /^Unknown option '(-[^']*)'/.exec((error as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown !== undefined) {
      // The same line as the other commands': a near miss named, and the options there are.
      // --node-verdict (on by default now) is accepted but not offered.
      const shown = Object.entries(options).filter(([name]) => name !== 'node-verdict');
      const names = shown.map(([name]) => `--${name}`);
      const list = shown.map(([name, o]) => (o.type === 'string' ? `--${name} ${VALUE_NAMES[name] ?? 'VALUE'}` : `--${name}`));
      const typed = unknown.split('=')[0];
      throw new UsageError(`unknown option '${typed}'${didYouMean(closestMatches(typed, names))}; options: ${list.join(', ')}`);
    }
    // Node's first sentence says it ("Option '--x <value>' argument missing"); the rest is about `--`.
    throw new UsageError((error as Error).message.split(/\.\s|\n/)[0]);
  }
}

/** `--max-warnings -1` as `--max-warnings=-1`: Node calls the value ambiguous, wholeNumber() says why it is wrong. */
function attachNegative(args: string[], flag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') return [...out, ...args.slice(i)];
    if (args[i] === flag && /^-\d/.test(args[i + 1] ?? '')) out.push(`${flag}=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

function oneOf(flag: string, value: string | undefined, allowed: string[]): string {
  if (value !== undefined && allowed.includes(value)) return value;
  throw new UsageError(`${flag} must be ${allowed.join(', ')}, not '${value}'${didYouMean(closestNames(value ?? '', allowed))}`);
}

