import { createReadStream } from 'node:fs';
import { CaptureError, type Frame } from './frame.js';
import { CaptureReader, type CaptureStats } from './reader.js';

/** What a read produced: the totals, and the damage (if any) that stopped it. */
export interface ReadResult {
  stats: CaptureStats;
  /** Null when the input was a complete capture; every frame before the damage was delivered. */
  error: CaptureError | null;
}

export interface ReadOptions {
  /** Stream to read when `path` is '-' (default: process.stdin). It is consumed, and destroyed at the end. */
  input?: NodeJS.ReadableStream;
  /** File read size (default 4 MiB): large, because every frame is a view of one chunk. */
  chunkSize?: number;
}

export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

/** The file name errors use for standard input. */
export const STDIN_NAME = '<stdin>';

/**
 * Reads a capture file, or standard input when `path` is '-', calling `onFrame` for each frame.
 * Works on a FIFO or pipe still being written: it simply reads until EOF. Never throws a
 * CaptureError: damage (and open/read failures, as code 'io') comes back in `error`, after every
 * frame before it was delivered. An exception thrown by `onFrame` itself is a bug and propagates.
 */
export function readCapture(path: string, onFrame: (frame: Frame) => void, opts: ReadOptions = {}): Promise<ReadResult> {
  const fromStdin = path === '-';
  const reader = new CaptureReader(fromStdin ? STDIN_NAME : path, onFrame);
  // fs.ReadStream allocates a fresh buffer for every read (and copies short reads into a
  // right-sized one), which is exactly the "never reused" guarantee Frame.data needs.
  const stream = fromStdin
    ? (opts.input ?? process.stdin)
    : createReadStream(path, { highWaterMark: opts.chunkSize ?? DEFAULT_CHUNK_SIZE });
  return pump(stream, reader);
}

/** Parses a capture held in memory (tests, small fixtures). Same result shape as readCapture. */
export function parseCaptureBuffer(name: string, buf: Uint8Array, onFrame: (frame: Frame) => void): ReadResult {
  const reader = new CaptureReader(name, onFrame);
  try {
    reader.push(buf);
    reader.end();
  } catch (error) {
    if (!(error instanceof CaptureError)) throw error;
  }
  return { stats: reader.stats, error: reader.error };
}

/**
 * Feeds a stream into the reader until EOF, damage or a read error. On damage the stream is
 * destroyed, stdin included: a paused pipe whose writer is still running (tcpdump -w -) would
 * otherwise keep the process alive after the error was reported.
 */
function pump(stream: NodeJS.ReadableStream, reader: CaptureReader): Promise<ReadResult> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const stop = (): void => {
      settled = true;
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('close', onEnd);
      stream.removeListener('error', onError);
      const destroy = (stream as { destroy?: () => void }).destroy;
      if (typeof destroy === 'function') destroy.call(stream);
      else stream.pause();
    };
    const finish = (run: () => void): void => {
      if (settled) return;
      try {
        run();
      } catch (error) {
        if (!(error instanceof CaptureError)) {
          stop();
          reject(error);
          return;
        }
        stop();
        resolve({ stats: reader.stats, error });
      }
    };
    const onData = (chunk: Buffer | string): void => {
      finish(() => reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    };
    // 'close' without 'end' (a destroyed stream) is also the end of the input.
    const onEnd = (): void => {
      finish(() => {
        reader.end();
        stop();
        resolve({ stats: reader.stats, error: null });
      });
    };
    const onError = (error: NodeJS.ErrnoException): void => {
      if (settled) return;
      stop();
      resolve({ stats: reader.stats, error: ioError(reader, error) });
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('close', onEnd);
    stream.on('error', onError);
    stream.resume();
  });
}

/** `ENOENT: no such file or directory` — Node's message without the syscall and repeated path. */
function ioError(reader: CaptureReader, error: NodeJS.ErrnoException): CaptureError {
  const suffix = error.syscall ? error.message.indexOf(`, ${error.syscall}`) : -1;
  const detail = suffix > 0 ? error.message.slice(0, suffix) : error.message;
  return new CaptureError('io', reader.fileName, reader.stats.bytes, detail);
}
