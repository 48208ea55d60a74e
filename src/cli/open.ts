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
import { ruleSetup } from './rule-setup.js';
import { nodeVerdictSettings } from './node-options.js';

export async function runOpen(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(openSpec, args);
  if (io.terminal !== true) return runReport(args, io);
  const nodeVerdict = nodeVerdictSettings(values);
  const setup = await ruleSetup(values, io);
  if (setup === null) return ExitCode.BAD_INPUT;
  const { runTui } = await import('../tui/app.js');
  return runTui({ source: positionals[0], rules: setup.active, nodeVerdict, err: (line) => io.err(line) });
}
