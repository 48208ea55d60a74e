import { fstatSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { describeSystemError } from '../capture/system-error.js';
import { describeUndecoded } from '../decode/stats.js';
import type { CaptureSummary } from '../model/types.js';
import { escapeControls } from '../report/terminal-safe.js';
import { ExitCode } from './usage-error.js';

/** Where commands write; tests pass collectors, the CLI passes process streams. */
export interface Io {
  out(text: string | Uint8Array): void;
  err(text: string): void;
  /** Writes out what `out` buffered (main calls it when the command ends). */
  flush?(): void;
  /**
   * Standard output is an interactive terminal a command may take over (`open` draws its UI
   * there). Only the process's own Io says so: collectors in tests never are.
   */
  terminal?: boolean;
}

/**
 * Standard output failed (`> /dev/full`, a read-only descriptor, a vanished terminal). Io.out
 * throws it; main() turns it into its one error line and exit code, so commands need not care.
 */
export class OutputError extends Error {
  constructor(readonly systemError: NodeJS.ErrnoException) {
    super(`cannot write output: ${describeSystemError(systemError)}`, { cause: systemError });
    this.name = 'OutputError';
  }

  /**
   * EPIPE: the reader closed the pipe early (`wirelens report F | head`). That is the reader's
   * choice, not an error: the run ends quietly with exit code 0.
   */
  get brokenPipe(): boolean {
    return this.systemError.code === 'EPIPE';
  }
}

/** What a failed write of standard output ends the run with: the stderr line (if any) and the exit code. */
export function outputFailure(error: OutputError): { line: string | null; code: number } {
  return error.brokenPipe ? { line: null, code: ExitCode.OK } : { line: `wirelens: ${error.message}\n`, code: ExitCode.BAD_INPUT };
}

let watchingStdout = false;

/**
 * process.stdout (a pipe or a terminal) reports a failed write later, as an 'error' event, when
 * the command may be long past it (or finished): nothing is left to unwind to, so the process
 * ends here, with the same line and code main() gives a synchronous failure.
 */
export function endOnStdoutError(): void {
  // Direct output reports its failures synchronously; touching process.stdout would also make a
  // pipe's descriptor non-blocking (see writeAll).
  if (watchingStdout || isDirect()) return;
  watchingStdout = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    const { line, code } = outputFailure(new OutputError(error));
    if (line) {
      try {
        writeSync(2, line);
      } catch {
        // stderr is gone too: the exit code is all that is left to say it.
      }
    }
    process.exit(code);
  });
}

/**
 * Whether standard output is written directly (writeSync) rather than through process.stdout:
 * a regular file, a pipe or socket, or a device that is not a terminal (`> out.json`, `| jq`,
 * `> /dev/null`). For files Node writes synchronously anyway, but through a Writable that first
 * copies every string into a Buffer: for the tens of MB a large capture's `report --json` prints,
 * a plain writeSync is an order of magnitude cheaper. For a pipe, process.stdout queues whatever
 * the reader has not taken yet in memory: `conns --json` on 100,000 connections piped into a
 * reader peaked at 515 MB RSS, where a direct write that waits for the reader (writeAll) keeps
 * memory what the analysis needs (~140 MB). Terminals keep process.stdout.
 */
function stdoutIsDirect(): boolean {
  try {
    const st = fstatSync(1);
    return st.isFile() || st.isFIFO() || st.isSocket() || (st.isCharacterDevice() && !isatty(1));
  } catch {
    return false;
  }
}

let directStdout: boolean | null = null;

function isDirect(): boolean {
  directStdout ??= stdoutIsDirect();
  return directStdout;
}

export const processIo: Io = {
  out: (text) => {
    if (!isDirect()) process.stdout.write(text);
    else bufferDirect(text);
  },
  err: (text) => {
    // What was printed before the error line comes before it, also in `> out 2>&1`.
    flushDirect();
    process.stderr.write(text);
  },
  flush: () => flushDirect(),
  get terminal() {
    // isatty rather than process.stdout.isTTY: creating process.stdout makes a pipe non-blocking.
    return isatty(1);
  },
};

/**
 * Direct writes are gathered into one string of up to DIRECT_BATCH characters: `conns --json` on
 * 100,000 short connections prints 200,000 small pieces, and a writeSync each cost more than the
 * JSON they carried.
 */
const DIRECT_BATCH = 64 * 1024;
let pending = '';

function bufferDirect(text: string | Uint8Array): void {
  if (typeof text !== 'string') {
    flushDirect();
    writeDirect(text);
    return;
  }
  pending += text;
  if (pending.length >= DIRECT_BATCH) flushDirect();
}

function flushDirect(): void {
  if (pending.length === 0) return;
  const text = pending;
  pending = '';
  writeDirect(text);
}

/** writeSync to standard output; a failure (ENOSPC on /dev/full, EBADF…) becomes an OutputError. */
function writeDirect(text: string | Uint8Array): void {
  try {
    if (typeof text === 'string') writeText(text);
    else writeAll(text, 0);
  } catch (error) {
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
    throw new OutputError(error as NodeJS.ErrnoException);
  }
}

/** A millisecond's sleep of this thread (no event loop turn: the caller is synchronous). */
const pause = new Int32Array(new SharedArrayBuffer(4));
const PIPE_FULL_WAIT_MS = 1;

/**
 * Standard output's descriptor blocks unless it was made non-blocking (by the parent, or by Node
 * once process.stdout exists, which direct output avoids). Non-blocking, a write meets a reader
 * that is behind as a partial write or EAGAIN: the rest follows a short wait, so a slow reader
 * slows the analysis instead of the output piling up in memory.
 */
function writeText(text: string): void {
  let written = 0;
  try {
    // The string straight to writeSync: no Buffer made in JS for the usual whole write.
    written = writeSync(1, text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
  }
  // A reader behind on a non-blocking pipe: the rest as bytes, waiting for it (writeAll).
  if (written < Buffer.byteLength(text)) writeAll(Buffer.from(text), written);
}

function writeAll(bytes: Uint8Array, from: number): void {
  let done = from;
  while (done < bytes.length) {
    try {
      done += writeSync(1, bytes, done, bytes.length - done);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, PIPE_FULL_WAIT_MS);
    }
  }
}

/**
 * The same Io with every text written made terminal-safe (report/terminal-safe.ts): what text
 * commands print comes from the wire. JSON and --raw bytes go to `io.out` unchanged.
 */
export function textIo(io: Io): Io {
  return {
    out: (text) => io.out(typeof text === 'string' ? escapeControls(text) : text),
    err: (text) => io.err(text),
  };
}

/**
 * Prints the one-line error for a damaged capture after the results (which cover every frame read
 * before the damage). Returns whether there was one, so the command exits 2.
 */
export function reportCaptureError(error: { message: string } | null, io: Io): boolean {
  if (!error) return false;
  io.err(`wirelens: ${error.message}\n`);
  return true;
}

/**
 * What every command says on stderr after its output: frames of a link type wirelens does not
 * decode (once, with the count: never skipped silently), then the damage, if any. Returns the
 * exit code: 2 when the input was damaged or unreadable.
 */
export function finishRun(summary: CaptureSummary, io: Io): number {
  const undecoded = describeUndecoded(summary.decode, summary.file);
  if (undecoded !== null) io.err(`${undecoded}\n`);
  return reportCaptureError(summary.error, io) ? 2 : 0;
}
