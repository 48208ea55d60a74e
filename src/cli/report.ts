import { analyse, sourceName } from '../analysis/analysis.js';
import { DEFAULT_BODY_LIMIT } from '../model/builder.js';
import { JsonReportWriter } from '../report/json-report.js';
import { TextReportWriter } from '../report/text-report.js';
import { parseCommandArgs } from './args.js';
import { ruleSetup } from './rule-setup.js';
import { finishRun, textIo, type Io } from './io.js';
import { reportSpec } from './specs.js';
import { nodeVerdictSettings } from './node-options.js';
import { ExitCode, UsageError } from './usage-error.js';

export async function runReport(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(reportSpec, args);
  const file = positionals[0];
  const bodies = values.bodies ?? false;
  const bodyLimit = parseBodyLimit(values['body-limit'], bodies);
  const connection = values.conn === undefined ? undefined : parseId('--conn', values.conn);
  const exchange = values.exchange === undefined ? undefined : parseId('--exchange', values.exchange);
  if (exchange !== undefined && connection === undefined) throw new UsageError('--exchange N needs --conn ID (exchange numbers restart on every connection)');

  const out = values.json ? (s: string) => io.out(s) : textIo(io).out;
  const renderer = values.json
    ? new JsonReportWriter(out, sourceName(file), (id) => connection === undefined || id === connection)
    : new TextReportWriter(out, { connection, exchange, headers: values.headers ?? false });
  const setup = await ruleSetup(values, io);
  if (setup === null) return ExitCode.BAD_INPUT;
  const rules = setup.active;
  const nodeVerdict = nodeVerdictSettings(values);
  const summary = await analyse(file, { bodies, bodyLimit, rules, nodeVerdict }, renderer, { ruleError: (failure) => io.err(`wirelens: ${failure.message}\n`) });
  return finishRun(summary, io);
}

/** A 1-based id given on the command line. */
export function parseId(flag: string, text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a number from 1 up, not '${text}'`);
  return n;
}

/**
 * Body bytes to keep per message. Bodies are shown only with --bodies (text and JSON alike), so
 * without it none are kept: a long keep-alive connection would otherwise hold 64 KiB per exchange
 * until it closes, for nothing.
 */
export function parseBodyLimit(text: string | undefined, bodies: boolean): number {
  if (text === undefined) return bodies ? DEFAULT_BODY_LIMIT : 0;
  // Digits only: Number('') is 0 and Number('0x10') is 16, neither is what the user meant.
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`--body-limit must be a whole number of bytes, not '${text}'`);
  return n;
}
