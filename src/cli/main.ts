import { connsHelp, runConns } from './conns.js';
import { followHelp, runFollow } from './follow.js';
import { exitQuietlyOnBrokenPipe, processIo, type Io } from './io.js';
import { explainHelp, lintHelp, rulesHelp, runExplain, runLint, runRulesList } from './lint.js';
import { reportHelp, runReport } from './report.js';
import { ExitCode, UsageError } from './usage-error.js';

type Command = (args: string[], io: Io) => Promise<number>;

const commands: Record<string, { run: Command; help: string }> = {
  conns: { run: runConns, help: connsHelp },
  explain: { run: runExplain, help: explainHelp },
  follow: { run: runFollow, help: followHelp },
  lint: { run: runLint, help: lintHelp },
  report: { run: runReport, help: reportHelp },
  rules: { run: runRulesList, help: rulesHelp },
};

export const usage = `wirelens — see what Node.js's http module did on the wire

Usage:
${Object.values(commands)
  .map((c) => c.help)
  .join('\n\n')}

Exit codes: 0 success, 1 (lint) findings at or above --fail-on, 2 bad command line or unreadable/damaged capture (everything read before the damage is still reported).`;

/** Runs one command line; returns the exit code (never calls process.exit, so tests can call it). */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  if (io === processIo) exitQuietlyOnBrokenPipe();
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage + '\n');
    return name === undefined ? ExitCode.BAD_INPUT : ExitCode.OK;
  }
  const command = commands[name];
  if (!command) {
    io.err(`wirelens: unknown command '${name}' (commands: ${Object.keys(commands).join(', ')}; see wirelens --help)\n`);
    return ExitCode.BAD_INPUT;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.out(command.help + '\n');
    return ExitCode.OK;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`wirelens ${name}: ${(error as Error).message}\n`);
      return ExitCode.BAD_INPUT;
    }
    throw error;
  }
}

/** util.parseArgs reports unknown flags with ERR_PARSE_ARGS_* codes. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
