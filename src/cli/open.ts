/**
 * `wirelens open FILE`: the terminal UI (src/tui/app.ts). When standard output is not a terminal
 * (CI, a pipe, `npm start > out`), it prints exactly what `wirelens report FILE` prints instead,
 * so the README's first command works everywhere.
 */
import { isatty } from 'node:tty';
import { STDIN_NAME } from '../capture/source.js';
import { CaptureSpool } from '../capture/spool.js';
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
  const err = (line: string): void => io.err(line);
  if (positionals[0] !== '-') return runTui({ source: positionals[0], rules: setup.active, nodeVerdict, err });
  // The keys come from the terminal: it cannot also be where the capture comes from.
  if (isatty(0)) {
    io.err('wirelens: open -: standard input is the terminal; pipe a capture into it (tcpdump -U -w - | wirelens open -)\n');
    return ExitCode.BAD_INPUT;
  }
  // Standard input cannot be read again: a spool keeps its bytes, for the body previews and the Raw tab.
  const spool = new CaptureSpool();
  try {
    const source = { name: STDIN_NAME, stream: process.stdin.pipe(spool.tee()) };
    return await runTui({ source, rules: setup.active, nodeVerdict, err, bytesFile: spool.path });
  } finally {
    // Quitting before the end stops the read: the writer of the pipe sees it closed.
    process.stdin.unpipe();
    process.stdin.destroy();
    spool.dispose();
  }
}
