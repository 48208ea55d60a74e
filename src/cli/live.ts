/**
 * `wirelens live`: a capture that is still running (tcpdump's, or any pcap/pcapng stream with
 * `-r`) through the same analysis as a file, findings printed as they become certain. The
 * dashboard is yet to come; until then `live` prints what `live --lint` prints.
 *
 * Ending: Ctrl-C, SIGTERM and SIGHUP stop the capture (tcpdump is sent SIGTERM, writes its last
 * packets and exits; a `-r` read stops at its last whole record), then everything read is analysed
 * to the end and reported; a second signal ends wirelens at once (tcpdump is still stopped, by the
 * live source's exit hook). `-c N` and `--duration S` end it the same way.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { analyse, type AnalysisSource } from '../analysis/analysis.js';
import { exitStatus, LiveCaptureError, startTcpdump, type LiveCapture } from '../capture/live.js';
import { CaptureRecorder } from '../capture/recorder.js';
import { describeSystemError } from '../capture/system-error.js';
import { SEVERITY_RANK } from '../lint/run.js';
import type { Severity } from '../lint/types.js';
import { plural, type SeverityCounts } from '../report/lint-format.js';
import { LiveLintWriter } from '../report/lint-live.js';
import { parseCommandArgs } from './args.js';
import { finishRun, type Io } from './io.js';
import { ruleSetup } from './lint.js';
import { liveSpec } from './specs.js';
import { ExitCode, UsageError } from './usage-error.js';

/** Signals that end the capture (the terminal's Ctrl-C, `kill`, the terminal closing). */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** How long tcpdump has to exit after SIGTERM before the read is cut where it is. */
const STOP_GRACE_MS = 3000;

export async function runLive(args: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(liveSpec, args);
  const read = values.read ?? null;
  const ports = values.port.flatMap((p) => p.split(',')).map(parsePort);
  const filter = values.filter ?? null;
  if (read !== null && (ports.length > 0 || filter !== null || args.some((a) => a === '-i' || a.startsWith('--interface')))) {
    throw new UsageError('-r reads a capture stream; -i, -p and -f are for tcpdump');
  }
  if (filter !== null && ports.length > 0) throw new UsageError('-f replaces the default filter and -p narrows it: put the ports in the -f expression');
  const count = values.count === undefined ? null : positiveInteger('-c', values.count);
  const duration = values.duration === undefined ? null : positiveSeconds(values.duration);
  const maxWarnings = values['max-warnings'] === undefined ? null : wholeNumber('--max-warnings', values['max-warnings']);
  const lint = values.lint;
  const failOn = values['fail-on'] as Severity;

  const setup = await ruleSetup({ config: values.config, rule: values.rule, 'rules-dir': values['rules-dir'] }, io);
  if (setup === null) return ExitCode.BAD_INPUT;
  let recorder: CaptureRecorder | null = null;
  if (values.write !== undefined) {
    try {
      recorder = new CaptureRecorder(values.write, count ?? undefined);
    } catch (error) {
      io.err(`wirelens: ${values.write}: cannot write (${describeSystemError(error as NodeJS.ErrnoException)})\n`);
      return ExitCode.BAD_INPUT;
    }
  }

  let capture: LiveCapture | null = null;
  let input: Readable | null = null;
  if (read === null) {
    try {
      capture = await startTcpdump({ interface: values.interface, ports, filter, count });
    } catch (error) {
      recorder?.close();
      if (!(error instanceof LiveCaptureError)) throw error;
      io.err(`wirelens: ${error.message}\n`);
      return ExitCode.BAD_INPUT;
    }
    input = capture.source.stream;
    io.err(`wirelens: capturing on ${values.interface} (${capture.filter}) with tcpdump, pid ${capture.pid}; Ctrl-C stops\n`);
  } else if (read === '-' || recorder !== null) {
    input = read === '-' ? process.stdin : createReadStream(read);
  }
  const name = capture?.source.name ?? (read === '-' ? '<stdin>' : (read as string));
  const source: AnalysisSource = input === null ? (read as string) : { name, stream: recorder === null ? input : input.pipe(recorder.tee()) };

  const stopper = new AbortController();
  const stop = (): void => {
    if (capture !== null) {
      capture.stop();
      // tcpdump flushes and exits, which ends the stream; should it not, the read is cut.
      setTimeout(() => stopper.abort(), STOP_GRACE_MS).unref();
    } else {
      stopper.abort();
    }
  };
  let signalled = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (++signalled > 1) process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
    stop();
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const timer = duration === null ? null : setTimeout(stop, duration * 1000);

  const writer = new LiveLintWriter((text) => io.out(text), values.format as 'stylish', name, setup.active, failOn);
  let ruleFailures = 0;
  try {
    const summary = await analyse(
      source,
      { rules: setup.active, signal: stopper.signal, maxFrames: count ?? undefined },
      writer,
      {
        ruleError: (failure) => {
          ruleFailures++;
          io.err(`wirelens: ${failure.message}\n`);
        },
      },
    );
    recorder?.close();
    input?.destroy();
    capture?.stop();
    writer.end(summary.error?.message ?? null);
    io.err(`wirelens: ${name}: ${plural(summary.frames, 'frame')}, ${plural(summary.connections, 'connection')}, ${plural(summary.exchanges, 'exchange')}\n`);
    let bad = finishRun(summary, io) !== 0 || ruleFailures > 0 || setup.problems.length > 0;
    if (capture !== null) bad = !tcpdumpEndedWell(await capture.exited, signalled > 0 || stopper.signal.aborted, io) || bad;
    if (bad) return ExitCode.BAD_INPUT;
    return lint ? exitCode(writer.counts, failOn, maxWarnings) : ExitCode.OK;
  } finally {
    if (timer !== null) clearTimeout(timer);
    for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
    recorder?.close();
    capture?.stop();
  }
}

/** Says what tcpdump said when it failed or dropped packets; false when it failed. */
function tcpdumpEndedWell(exit: Awaited<LiveCapture['exited']>, stopped: boolean, io: Io): boolean {
  if (exit.droppedByKernel !== null && exit.droppedByKernel > 0) {
    io.err(`wirelens: tcpdump: ${exit.droppedByKernel} packets dropped by the kernel (the capture has gaps)\n`);
  }
  // Our SIGTERM ends it with 0; a signal it did not catch is also ours when we stopped it.
  const ok = exit.code === 0 || (stopped && exit.signal !== null);
  if (!ok) io.err(`wirelens: tcpdump failed (${exitStatus(exit)})${exit.messages.length > 0 ? `: ${exit.messages.join(' ')}` : ''}\n`);
  return ok;
}

/** 1 when a finding is at or above the failing level or there are more warnings than allowed (as lint). */
function exitCode(counts: SeverityCounts, failOn: Severity, maxWarnings: number | null): number {
  const reached = (Object.keys(counts) as Severity[]).some((s) => counts[s] > 0 && SEVERITY_RANK[s] >= SEVERITY_RANK[failOn]);
  if (reached) return ExitCode.FINDINGS;
  if (maxWarnings !== null && counts.warning > maxWarnings) return ExitCode.FINDINGS;
  return ExitCode.OK;
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

function wholeNumber(flag: string, text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} must be a whole number from 0 up, not '${text}'`);
  return n;
}

function positiveSeconds(text: string): number {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(n > 0)) throw new UsageError(`--duration must be a number of seconds above 0, not '${text}'`);
  return n;
}
