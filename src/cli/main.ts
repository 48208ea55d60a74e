import { formatHelp, type CommandSpec } from './args.js';
import { closestMatches, didYouMean } from '../text/suggest.js';
import { packageVersion } from '../lint/package-files.js';
import { endOnStdoutError, OutputError, outputFailure, processIo, type Io } from './io.js';
import { connsSpec, diagramSpec, explainHelp, exportSpec, followSpec, lintHelp, liveSpec, openSpec, reportSpec, rulesHelp } from './specs.js';
import { ExitCode, UsageError } from './usage-error.js';
import { escapeControls } from '../report/terminal-safe.js';

/** A command: its arguments as a spec (help and errors come from it), or (lint, rules, explain) its own help text. */
interface Command {
  spec?: CommandSpec;
  help?: string;
  run: (args: string[], io: Io) => Promise<number>;
}

function helpOf(command: Command): string {
  return command.spec ? formatHelp(command.spec) : (command.help ?? '');
}

// Each command's module is loaded when it runs: `conns` need not load the rules, the lint output
// formats and the worker pool (start-up was 120 ms over bare Node with every module loaded).
const commands: Record<string, Command> = {
  conns: { spec: connsSpec, run: async (args, io) => (await import('./conns.js')).runConns(args, io) },
  diagram: { spec: diagramSpec, run: async (args, io) => (await import('./diagram.js')).runDiagram(args, io) },
  explain: { help: explainHelp, run: async (args, io) => (await import('./lint.js')).runExplain(args, io) },
  export: { spec: exportSpec, run: async (args, io) => (await import('./export.js')).runExport(args, io) },
  follow: { spec: followSpec, run: async (args, io) => (await import('./follow.js')).runFollow(args, io) },
  lint: { help: lintHelp, run: async (args, io) => (await import('./lint.js')).runLint(args, io) },
  live: { spec: liveSpec, run: async (args, io) => (await import('./live.js')).runLive(args, io) },
  open: { spec: openSpec, run: async (args, io) => (await import('./open.js')).runOpen(args, io) },
  report: { spec: reportSpec, run: async (args, io) => (await import('./report.js')).runReport(args, io) },
  rules: { help: rulesHelp, run: async (args, io) => (await import('./lint.js')).runRulesList(args, io) },
};

/** The options that come before a command (`wirelens --version`). */
const globalOptions = ['--help', '--version'];

export const usage = `wirelens — see what Node.js's http module did on the wire

Usage:
${Object.values(commands)
  .map(helpOf)
  .join('\n\n')}

wirelens help COMMAND   one command's help (also: wirelens COMMAND --help)
wirelens --version      the version

Exit codes: 0 success, 1 (lint, live --lint) findings at or above --fail-on, 2 bad command line or unreadable/damaged capture (everything read before the damage is still reported).`;

/**
 * Runs one command line; returns the exit code (never calls process.exit, so tests can call it).
 * Every failure it expects ends as one line on stderr: a usage mistake (`wirelens report: …`), a
 * capture problem (printed by the command) or standard output failing (`wirelens: cannot write
 * output: …`). Anything else is a bug and propagates.
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  if (io === processIo) endOnStdoutError();
  try {
    const code = await dispatch(argv, io);
    io.flush?.();
    return code;
  } catch (error) {
    if (!(error instanceof OutputError)) throw error;
    const { line, code } = outputFailure(error);
    if (line) io.err(line);
    return code;
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  // No command is a usage mistake: the usage goes where errors go, and the exit code says so.
  if (name === undefined) {
    io.err(usage + '\n');
    return ExitCode.BAD_INPUT;
  }
  if (name === '--help' || name === '-h') {
    io.out(usage + '\n');
    return ExitCode.OK;
  }
  if (name === '--version' || name === '-V') {
    io.out(`wirelens ${packageVersion()}\n`);
    return ExitCode.OK;
  }
  if (name === 'help') return help(args, io);
  const command = commands[name];
  if (!command) {
    io.err(`wirelens: ${unknownCommand(name)}\n`);
    return ExitCode.BAD_INPUT;
  }
  if (wantsHelp(args)) {
    io.out(helpOf(command) + '\n');
    return ExitCode.OK;
  }
  try {
    return await command.run(args, stderrSafe(io));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`wirelens ${name}: ${error.message}\n`);
    return ExitCode.BAD_INPUT;
  }
}

/** `wirelens help` (the usage) and `wirelens help COMMAND` (that command's help). */
function help(args: string[], io: Io): number {
  if (args.length > 1) {
    io.err(`wirelens help: unexpected argument '${args[1]}'; usage: wirelens help [COMMAND]\n`);
    return ExitCode.BAD_INPUT;
  }
  if (args.length === 0) {
    io.out(usage + '\n');
    return ExitCode.OK;
  }
  const command = commands[args[0]];
  if (!command) {
    io.err(`wirelens help: ${unknownCommand(args[0])}\n`);
    return ExitCode.BAD_INPUT;
  }
  io.out(helpOf(command) + '\n');
  return ExitCode.OK;
}

/** `--help` or `-h` anywhere before `--` (after it, they are file names). */
function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  const options = end < 0 ? args : args.slice(0, end);
  return options.includes('--help') || options.includes('-h');
}

function unknownCommand(name: string): string {
  const names = Object.keys(commands);
  const list = `commands: ${names.join(', ')}`;
  if (name.startsWith('-')) {
    const hint = name.startsWith('--') ? didYouMean(closestMatches(name, globalOptions)) : '';
    return `unknown option '${name}'${hint}; options: ${globalOptions.join(', ')}; ${list}`;
  }
  return `unknown command '${name}'${didYouMean(closestMatches(name, names))}; ${list}`;
}

/**
 * Every line a command writes on stderr is made terminal-safe here, once: error lines quote file
 * names, rule messages and configuration text that may carry control bytes. (Escaping is
 * idempotent, so a line escaped already is unchanged. Standard output is the command's choice:
 * text is escaped, JSON and --raw bytes are not.)
 */
function stderrSafe(io: Io): Io {
  return { out: (text) => io.out(text), err: (text) => io.err(escapeControls(text)), flush: () => io.flush?.(), terminal: io.terminal };
}
