import { fstatSync, writeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { describeUndecoded } from '../decode/stats.js';
import type { CaptureSummary } from '../model/types.js';
import { escapeControls } from '../report/terminal-safe.js';

/** Where commands write; tests pass collectors, the CLI passes process streams. */
export interface Io {
  out(text: string | Uint8Array): void;
  err(text: string): void;
}

/**
 * `wirelens report F | head` closes the pipe early: that is the reader's choice, not an error,
 * so EPIPE ends the process quietly instead of as an unhandled stream error.
 */
export function exitQuietlyOnBrokenPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/**
 * Whether standard output is a regular file or a device that is not a terminal (`> out.json`,
 * `> /dev/null`). Node writes to those synchronously anyway (SyncWriteStream), but through a
 * Writable that first copies every string into a Buffer: for the tens of MB a large capture's
 * `report --json` prints, a plain writeSync is an order of magnitude cheaper. Pipes and terminals
 * keep process.stdout, which handles their non-blocking writes.
 */
function stdoutIsFile(): boolean {
  try {
    const st = fstatSync(1);
    return st.isFile() || (st.isCharacterDevice() && !isatty(1));
  } catch {
    return false;
  }
}

let directStdout: boolean | null = null;

export const processIo: Io = {
  out: (text) => {
    directStdout ??= stdoutIsFile();
    if (!directStdout) process.stdout.write(text);
    else if (typeof text === 'string') writeSync(1, text);
    else writeSync(1, text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
};

/**
 * The same Io with every text written made terminal-safe (report/terminal-safe.ts): what text
 * commands print comes from the wire. JSON and --raw bytes go to `io.out` unchanged.
 */
export function textIo(io: Io): Io {
  return {
    out: (text) => io.out(typeof text === 'string' ? escapeControls(text) : text),
    err: (text) => io.err(escapeControls(text)),
  };
}

/**
 * Prints the one-line error for a damaged capture after the results (which cover every frame read
 * before the damage). Returns whether there was one, so the command exits 2.
 */
export function reportCaptureError(error: { message: string } | null, io: Io): boolean {
  if (!error) return false;
  io.err(`wirelens: ${escapeControls(error.message)}\n`);
  return true;
}

/**
 * What every command says on stderr after its output: frames of a link type wirelens does not
 * decode (once, with the count: never skipped silently), then the damage, if any. Returns the
 * exit code: 2 when the input was damaged or unreadable.
 */
export function finishRun(summary: CaptureSummary, io: Io): number {
  const undecoded = describeUndecoded(summary.decode, summary.file);
  if (undecoded !== null) io.err(`${escapeControls(undecoded)}\n`);
  return reportCaptureError(summary.error, io) ? 2 : 0;
}
