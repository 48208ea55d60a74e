import { close, createReadStream, fstat, open, read } from 'node:fs';
import { CaptureError, type Frame } from './frame.js';
import { CaptureReader, type CaptureStats } from './reader.js';
import { describeSystemError } from './system-error.js';

/** What a read produced: the totals, and the damage (if any) that stopped it. */
export interface ReadResult {
  stats: CaptureStats;
  /** Null when the input was a complete capture; every frame before the damage was delivered. */
  error: CaptureError | null;
}

export interface ReadOptions {
  /** Stream to read when `path` is '-' (default: process.stdin). It is consumed, and destroyed at the end. */
  input?: NodeJS.ReadableStream;
  /** File read size (default 1 MiB). Every frame is a view of the chunk it arrived in. */
  chunkSize?: number;
  /**
   * Stops the read when aborted (Ctrl-C, `--duration`): the capture ends after the last whole
   * record read so far, as if the input ended there (no error; a record cut in half is dropped).
   * The stream is destroyed.
   */
  signal?: AbortSignal;
  /** Deliver at most this many frames, then stop reading as for `signal` (`-c N`). */
  maxFrames?: number;
}

/**
 * 1 MiB: large enough that reads cost nothing next to parsing, small enough that a chunk is
 * usually garbage before V8 promotes it out of the young generation (a promoted chunk lingers
 * until the next full GC) and that a view kept by a consumer pins little memory.
 */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

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
  if (opts.maxFrames !== undefined) reader.limitFrames(opts.maxFrames);
  const signal = opts.signal ?? null;
  if (signal?.aborted) return Promise.resolve({ stats: reader.stats, error: null });
  if (fromStdin) return pump(opts.input ?? process.stdin, reader, signal);
  return readPath(path, reader, opts.chunkSize ?? DEFAULT_CHUNK_SIZE, signal);
}

/**
 * A regular file is read with positioned reads into fresh buffers, the next chunk read while one
 * is parsed. Anything else (a FIFO, a device, a directory) goes through a ReadStream, which
 * allocates a fresh buffer for every read (and copies short reads into a right-sized one) and can
 * be destroyed while its writer is still running. Either way every chunk is a new buffer, the
 * "never reused" guarantee Frame.data needs.
 */
async function readPath(path: string, reader: CaptureReader, chunkSize: number, signal: AbortSignal | null): Promise<ReadResult> {
  let fd: number;
  let regular: boolean;
  try {
    fd = await new Promise<number>((resolve, reject) => open(path, 'r', (e, fd) => (e ? reject(e) : resolve(fd))));
  } catch (error) {
    return { stats: reader.stats, error: ioError(reader, error as NodeJS.ErrnoException) };
  }
  try {
    regular = await new Promise<boolean>((resolve, reject) => fstat(fd, (e, st) => (e ? reject(e) : resolve(st.isFile()))));
  } catch (error) {
    close(fd, () => {});
    return { stats: reader.stats, error: ioError(reader, error as NodeJS.ErrnoException) };
  }
  if (!regular) return pump(createReadStream(path, { fd, highWaterMark: chunkSize }), reader, signal);
  const reads = new FileReads(fd, chunkSize);
  try {
    return await pumpFile(reads, reader, signal);
  } finally {
    // Never close the descriptor under a read still running in the thread pool.
    await reads.settle();
    close(fd, () => {});
  }
}

/**
 * Consecutive chunks of one file, the next one always being read. Only one ahead, measured on the
 * benchmark capture: a second removes the ~4 % of a `report --json` run the parser spends waiting,
 * but parsed chunks then outlive their use (the event loop is rarely reached, and V8 frees array
 * buffers late): `conns` peaked at 85–109 MiB instead of 72–76 and no longer stayed flat when the
 * capture doubled.
 *
 * A parsed chunk's memory is read into again (recycle): a fresh buffer per read costs the kernel a
 * page fault per 4 KiB page, which doubled the time of the reads (411 MB file: 120 → 57 ms) and
 * left the parser waiting on them for ~12 % of a `conns --json` run on the synthetic capture.
 */
class FileReads {
  private position = 0;
  private chunk!: Uint8Array;
  private pending!: Promise<number>;
  /** Memory of parsed chunks, detached from them (release), for the next reads. */
  private readonly spare: ArrayBuffer[] = [];

  constructor(
    private readonly fd: number,
    private readonly chunkSize: number,
  ) {
    this.start();
  }

  /** The next chunk of the file (empty at its end), with the read of the one after it started. */
  async take(): Promise<Uint8Array> {
    const n = await this.pending;
    const chunk = this.chunk;
    // A short read (the end of the file, or one the system cut short): the next starts where it stopped.
    this.position += n;
    this.start();
    return n === chunk.length ? chunk : chunk.subarray(0, n);
  }

  /** Waits for the read in flight (a failure included). */
  async settle(): Promise<void> {
    await this.pending.catch(() => 0);
  }

  /** A parsed chunk: its memory moves to a new ArrayBuffer (release), which the next read fills. */
  recycle(chunk: Uint8Array): void {
    const memory = release(chunk);
    if (memory.byteLength === this.chunkSize && this.spare.length < 2) this.spare.push(memory);
  }

  private start(): void {
    // allocUnsafeSlow: a buffer of its own (no pool, no zero-filling); the frames get plain
    // Uint8Array views of it, whose subarray is V8's builtin rather than Buffer's.
    const memory = this.spare.pop() ?? Buffer.allocUnsafeSlow(this.chunkSize).buffer;
    const chunk = new Uint8Array(memory, 0, this.chunkSize);
    const position = this.position;
    this.chunk = chunk;
    this.pending = new Promise<number>((resolve, reject) => read(this.fd, chunk, 0, chunk.length, position, (e, n) => (e ? reject(e) : resolve(n))));
    // A read that fails while nobody waits for it yet must not become an unhandled rejection.
    this.pending.catch(() => {});
  }
}

/** The read loop of readPath: chunks in file order into the reader until the end or an error. */
async function pumpFile(reads: FileReads, reader: CaptureReader, signal: AbortSignal | null): Promise<ReadResult> {
  for (;;) {
    if (reader.full || signal?.aborted) return { stats: reader.stats, error: null };
    let chunk: Uint8Array;
    try {
      chunk = await reads.take();
    } catch (error) {
      return { stats: reader.stats, error: ioError(reader, error as NodeJS.ErrnoException) };
    }
    try {
      if (chunk.length === 0) {
        reader.end();
        return { stats: reader.stats, error: null };
      }
      reader.push(chunk);
      reads.recycle(chunk);
    } catch (error) {
      if (!(error instanceof CaptureError)) throw error;
      return { stats: reader.stats, error };
    }
  }
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
function pump(stream: NodeJS.ReadableStream, reader: CaptureReader, signal: AbortSignal | null): Promise<ReadResult> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const stop = (): void => {
      settled = true;
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('close', onEnd);
      stream.removeListener('error', onError);
      signal?.removeEventListener('abort', onAbort);
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
    // Stopped (aborted, or the frame limit reached): the capture ends at the last whole record.
    const onStop = (): void => {
      finish(() => {
        stop();
        resolve({ stats: reader.stats, error: null });
      });
    };
    const onAbort = (): void => onStop();
    const onData = (chunk: Buffer | string): void => {
      finish(() => reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
      if (reader.full) onStop();
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
    signal?.addEventListener('abort', onAbort);
    stream.resume();
  });
}

/**
 * An open or read failure: one line naming the file, no offset (nothing in the file is at fault).
 * The common two get plain words; the rest Node's description and the code to search for.
 */
function ioError(reader: CaptureReader, error: NodeJS.ErrnoException): CaptureError {
  return new CaptureError('io', reader.fileName, reader.stats.bytes, describeReadFailure(error), reader.stats.frames);
}

function describeReadFailure(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'no such file or directory';
  if (error.code === 'EISDIR') return 'is a directory, not a capture file';
  return `cannot read: ${describeSystemError(error)}`;
}

/**
 * Frees a parsed chunk's memory now rather than at the next full GC. Nothing keeps a view of it
 * (the reader copies an unfinished record's bytes; later stages copy what they hold), but the
 * 1 MiB buffer's JavaScript object may have been promoted to the old generation while its frames
 * were analysed, and V8 frees such buffers only at a mark-compact, which a small live heap rarely
 * needs: on the node-traffic benchmark capture up to 59 MiB of parsed chunks waited for one, and
 * peak RSS grew with the capture's length. Transferring the buffer away detaches it: its memory
 * moves to a new, young ArrayBuffer, returned, which a later read may fill (FileReads.recycle) or
 * the next scavenge frees. A view of the chunk kept by mistake is empty from then on, never
 * silently showing the bytes of a later chunk.
 */
function release(chunk: Uint8Array): ArrayBuffer {
  return structuredClone(chunk.buffer as ArrayBuffer, { transfer: [chunk.buffer] });
}

