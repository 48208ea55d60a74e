import type { CaptureError } from '../capture/frame.js';

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

export const processIo: Io = {
  out: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
};

/**
 * Prints the one-line error for a damaged capture after the results (which cover every frame read
 * before the damage). Returns whether there was one, so the command exits 2.
 */
export function reportCaptureError(error: CaptureError | null, io: Io): boolean {
  if (!error) return false;
  io.err(`wirelens: ${error.message}\n`);
  return true;
}
