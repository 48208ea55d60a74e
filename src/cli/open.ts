/**
 * `wirelens open FILE`: the terminal UI (src/tui/app.ts). When standard output is not a terminal
 * (CI, a pipe, `npm start > out`), it prints exactly what `wirelens report FILE` prints instead,
 * so the README's first command works everywhere.
 */
import { parseCommandArgs } from './args.js';
import type { Io } from './io.js';
import { openSpec } from './specs.js';
import { runReport } from './report.js';
import { ExitCode } from './usage-error.js';
import { ConfigError, type ActiveRule } from '../lint/config.js';
import { setupRules } from '../lint/setup.js';

export async function runOpen(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(openSpec, args);
  if (io.terminal !== true) return runReport(args, io);
  const rules = await openRules(io, values.config, values['rules-dir']);
  if (rules === null) return ExitCode.BAD_INPUT;
  const { runTui } = await import('../tui/app.js');
  return runTui({ source: positionals[0], rules, err: (line) => io.err(line) });
}

/** The rules as report and lint configure them; null after printing a configuration problem. */
async function openRules(io: Io, config: string | undefined, rulesDir: string | undefined): Promise<ActiveRule[] | null> {
  try {
    const setup = await setupRules({ cwd: process.cwd(), config, rulesDir });
    for (const problem of setup.problems) io.err(`wirelens: ${problem}\n`);
    return setup.active;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) io.err(`wirelens: ${problem}\n`);
    return null;
  }
}
