/**
 * `wirelens live`: a capture that is still running (tcpdump's, or any pcap/pcapng stream with
 * `-r`) through the same analysis as a file. On a terminal (and without --lint) it is the
 * dashboard (src/cli/live-dashboard.ts); otherwise findings are printed as they become certain,
 * as `live --lint` prints them.
 *
 * Ending: Ctrl-C, SIGTERM and SIGHUP stop the capture (tcpdump is sent SIGTERM, writes its last
 * packets and exits; a `-r` read stops at its last whole record), then everything read is analysed
 * to the end and reported; a second signal ends wirelens at once (tcpdump is still stopped, by the
 * live source's exit hook). `-c N` and `--duration S` end it the same way.
 */
import type { NodeParserSettings } from '../node-verdict/types.js';
import { statSync } from 'node:fs';
import { analyse } from '../analysis/analysis.js';
import { exitStatus, LiveCaptureError, type TcpdumpExit } from '../capture/live.js';
import { LiveSession } from '../capture/live-session.js';
import { describeSystemError } from '../capture/system-error.js';
import type { RuleSetup } from '../lint/setup.js';
import type { Severity } from '../lint/types.js';
import { plural, type LintFormat, type SeverityCounts } from '../report/lint-format.js';
import { LiveLintWriter } from '../report/lint-live.js';
import { parseCommandArgs, wholeNumber } from './args.js';
import { nodeVerdictSettings } from './node-options.js';
import { lintExitCode } from './fail-on.js';
import { finishRun, type Io } from './io.js';
import { ruleSetup } from './rule-setup.js';
import { liveSpec } from './specs.js';
import { ExitCode, UsageError } from './usage-error.js';

/** Exchanges the dashboard keeps in its tables by default (`--keep N`). */
const DEFAULT_KEEP = 10_000;

/** Signals that end the capture (the terminal's Ctrl-C, `kill`, the terminal closing). */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function runLive(args: string[], io: Io): Promise<number> {
  const options = parseLiveArgs(args);
  const setup = await ruleSetup({ config: options.config, rule: options.rule, 'rules-dir': options.rulesDir }, io);
  if (setup === null) return ExitCode.BAD_INPUT;
  // The signal handlers come first: a Ctrl-C while tcpdump starts must stop it too, and a signal
  // right after the "capturing" line must not meet Node's default (death, tcpdump left to SIGPIPE).
  const stopper = new Stopper();
  const dashboard = !options.lint && io.terminal === true;
  let session: LiveSession | null = null;
  try {
    try {
      session = await LiveSession.open({ ...options, spool: dashboard });
    } catch (error) {
      const line = openFailure(error, options.write);
      if (line === null) throw error;
      io.err(`wirelens: ${line}\n`);
      return ExitCode.BAD_INPUT;
    }
    if (session.tcpdump !== null) {
      io.err(`wirelens: capturing on ${options.interface} (${session.tcpdump.filter}) with tcpdump, pid ${session.tcpdump.pid}; Ctrl-C stops\n`);
    }
    stopper.attach(session);
    if (options.duration !== null) stopper.after(options.duration);
    if (dashboard) return await showDashboard(session, options, setup, stopper, io);
    return await capture(session, options, setup, io);
  } finally {
    stopper.dispose();
    await session?.close();
  }
}

/** The dashboard until the user quits (or a signal, --duration); then what tcpdump said. */
async function showDashboard(session: LiveSession, options: LiveArgs, setup: RuleSetup, stopper: Stopper, io: Io): Promise<number> {
  const { runDashboard } = await import('./live-dashboard.js');
  const code = await runDashboard(session, {
    rules: setup.active,
    nodeVerdict: options.nodeVerdict,
    keep: options.keep,
    maxFrames: options.count ?? undefined,
    err: (line) => io.err(line),
    onQuit: (quit) => stopper.onStop(quit),
  });
  const tcpdumpExit = await session.close();
  if (tcpdumpExit !== null && !tcpdumpEndedWell(tcpdumpExit, session.stopped, io)) return ExitCode.BAD_INPUT;
  return code;
}

/** The line for a capture that could not start (null: not an expected failure). */
function openFailure(error: unknown, write: string | null): string | null {
  if (error instanceof LiveCaptureError) return error.message;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (write !== null && typeof code === 'string') return `${write}: cannot write (${describeSystemError(error as NodeJS.ErrnoException)})`;
  return null;
}

interface LiveArgs {
  interface: string;
  ports: number[];
  filter: string | null;
  read: string | null;
  lint: boolean;
  format: LintFormat;
  count: number | null;
  duration: number | null;
  write: string | null;
  failOn: Severity;
  maxWarnings: number | null;
  config: string | undefined;
  rule: string[];
  rulesDir: string | undefined;
  keep: number;
  /** Node's verdict on every message, the dashboard's and the finding lines' (null: --no-node-verdict). */
  nodeVerdict: NodeParserSettings | null;
}

function parseLiveArgs(args: string[]): LiveArgs {
  const { values } = parseCommandArgs(liveSpec, args);
  const read = values.read ?? null;
  const ports = values.port.flatMap((p) => p.split(',')).map(parsePort);
  const filter = values.filter ?? null;
  // -i has a default, so whether it was given is read from the arguments.
  const iface = args.some((a) => /^(-i|--interface)(=|$)|^-i./.test(a));
  if (read !== null && (ports.length > 0 || filter !== null || iface)) throw new UsageError('-r reads a capture stream; -i, -p and -f are for tcpdump');
  if (filter !== null && ports.length > 0) throw new UsageError('-f replaces the default filter and -p narrows it: put the ports in the -f expression');
  return {
    interface: values.interface,
    ports,
    filter,
    read,
    lint: values.lint,
    format: values.format as LintFormat,
    count: values.count === undefined ? null : positiveInteger('-c', values.count),
    duration: values.duration === undefined ? null : positiveSeconds(values.duration),
    write: values.write ?? null,
    failOn: values['fail-on'] as Severity,
    maxWarnings: values['max-warnings'] === undefined ? null : wholeNumber('--max-warnings', values['max-warnings']),
    config: values.config,
    rule: values.rule,
    rulesDir: values['rules-dir'],
    keep: values.keep === undefined ? DEFAULT_KEEP : positiveInteger('--keep', values.keep),
    nodeVerdict: nodeVerdictSettings(values),
  };
}

/** Analyses the capture to its end, printing findings as they come; returns the exit code. */
async function capture(session: LiveSession, options: LiveArgs, setup: RuleSetup, io: Io): Promise<number> {
  // Flushed line by line: into a file too, a finding is there the moment it is printed.
  const out = (text: string): void => {
    io.out(text);
    io.flush?.();
  };
  const writer = new LiveLintWriter(out, options.format, session.name, setup.active, options.failOn);
  let ruleFailures = 0;
  const summary = await analyse(session.source, { rules: setup.active, nodeVerdict: options.nodeVerdict, signal: session.signal, maxFrames: options.count ?? undefined }, writer, {
    ruleError: (failure) => {
      ruleFailures++;
      io.err(`wirelens: ${failure.message}\n`);
    },
  });
  const tcpdumpExit = await session.close();
  writer.end(summary.error?.message ?? null);
  // What a stream brought, as tcpdump says what it captured (`0 frames` is a capture that saw
  // nothing: a wrong interface or port). A regular file's counts are `wirelens conns`'s to tell.
  if (!isRegularFile(options.read)) {
    io.err(`wirelens: ${session.name}: ${plural(summary.frames, 'frame')}, ${plural(summary.connections, 'connection')}, ${plural(summary.exchanges, 'exchange')}\n`);
  }
  let bad = finishRun(summary, io) !== 0 || ruleFailures > 0 || setup.problems.length > 0;
  if (tcpdumpExit !== null) bad = !tcpdumpEndedWell(tcpdumpExit, session.stopped, io) || bad;
  if (bad) return ExitCode.BAD_INPUT;
  return options.lint ? lintExitCode(writer.counts, options.failOn, options.maxWarnings) : ExitCode.OK;
}

/**
 * Signals that end the capture early (SIGINT, SIGTERM, SIGHUP; a second one ends wirelens at once,
 * tcpdump still stopped by the live source's exit hook) and --duration. A stop asked for while
 * tcpdump is starting happens as soon as it has started.
 */
class Stopper {
  private session: LiveSession | null = null;
  private requested = false;
  private signals = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped: (() => void) | null = null;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (++this.signals > 1) process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
    this.stop();
  };

  constructor() {
    for (const s of STOP_SIGNALS) process.on(s, this.onSignal);
  }

  attach(session: LiveSession): void {
    this.session = session;
    if (this.requested) session.stop();
  }

  after(seconds: number): void {
    this.timer = setTimeout(() => this.stop(), seconds * 1000);
  }

  stop(): void {
    this.requested = true;
    this.session?.stop();
    this.stopped?.();
  }

  /** Also calls `callback` at a stop (the dashboard quits); at once when the stop came already. */
  onStop(callback: () => void): void {
    this.stopped = callback;
    if (this.requested) callback();
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    for (const s of STOP_SIGNALS) process.removeListener(s, this.onSignal);
  }
}

function isRegularFile(path: string | null): boolean {
  if (path === null || path === '-') return false;
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Says what tcpdump said (its failure, warnings, packets the kernel dropped); false when it failed. */
function tcpdumpEndedWell(exit: TcpdumpExit, stopped: boolean, io: Io): boolean {
  if (exit.droppedByKernel !== null && exit.droppedByKernel > 0) {
    io.err(`wirelens: tcpdump: ${exit.droppedByKernel} packets dropped by the kernel (the capture has gaps)\n`);
  }
  // Our SIGTERM ends it with 0; a signal it did not catch is also ours when we stopped it.
  const ok = exit.code === 0 || (stopped && exit.signal !== null);
  if (!ok) io.err(`wirelens: tcpdump failed (${exitStatus(exit)})${exit.messages.length > 0 ? `: ${exit.messages.join(' ')}` : ''}\n`);
  // Anything else it said (a warning about the interface, say) is shown, not swallowed.
  else for (const message of exit.messages) io.err(`wirelens: tcpdump: ${message}\n`);
  return ok;
}


function parsePort(text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 65535)) throw new UsageError(`-p must be a port number from 1 to 65535, not '${text}'`);
  return n;
}

function positiveInteger(flag: string, text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number from 1 up, not '${text}'`);
  return n;
}


function positiveSeconds(text: string): number {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(n > 0)) throw new UsageError(`--duration must be a number of seconds above 0, not '${text}'`);
  return n;
}
