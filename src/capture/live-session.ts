/**
 * One live capture, whatever feeds it: tcpdump (src/capture/live.ts) or a `-r` stream (stdin, a
 * named pipe, a file), with the optional recorders on its way to the analysis — `--write F` and
 * the spool behind the dashboard's save key. The front end passes `source` and `signal` to
 * analyse(), calls stop() to end the capture early, and close() once analyse() has resolved.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { startTcpdump, type LiveCapture, type TcpdumpExit, type TcpdumpOptions } from './live.js';
import { CaptureRecorder } from './recorder.js';
import { STDIN_NAME } from './source.js';
import { CaptureSpool } from './spool.js';

export interface LiveSessionOptions extends TcpdumpOptions {
  /** Read this stream instead of running tcpdump: '-' for stdin, a named pipe or a file. */
  read?: string | null;
  /** Also save the stream to this file as it arrives (see CaptureRecorder); with `count`, up to that packet. */
  write?: string | null;
  /** Keep what is captured in a temporary spool (`session.spool.save(F)`: the dashboard's `w`). */
  spool?: boolean;
}

/** How long tcpdump has to exit after SIGTERM before the read is cut where it is. */
const STOP_GRACE_MS = 3000;

export class LiveSession {
  private readonly controller = new AbortController();
  private stopRequested = false;

  private constructor(
    /** For analyse(): a path (a `-r` file read directly) or the stream (tcpdump's stdout, stdin, through the recorders). */
    readonly source: string | { name: string; stream: Readable },
    /** The name errors and reports use: `live:lo`, `<stdin>`, the `-r` path. */
    readonly name: string,
    /** The tcpdump child (null with `-r`). */
    readonly tcpdump: LiveCapture | null,
    /** The spool (with `spool: true`), else null. */
    readonly spool: CaptureSpool | null,
    private readonly recorder: CaptureRecorder | null,
    private readonly input: Readable | null,
  ) {}

  /**
   * Starts the capture: tcpdump is listening when this resolves. Throws LiveCaptureError (tcpdump
   * missing, not permitted, failing) and the file system's error for `write` (code and path on it).
   */
  static async open(options: LiveSessionOptions): Promise<LiveSession> {
    const read = options.read ?? null;
    const recorder = options.write ? new CaptureRecorder(options.write, options.count ?? undefined) : null;
    let tcpdump: LiveCapture | null = null;
    try {
      if (read === null) tcpdump = await startTcpdump(options);
    } catch (error) {
      recorder?.close();
      throw error;
    }
    const spool = options.spool ? new CaptureSpool() : null;
    const taps = [recorder, spool].filter((t) => t !== null);
    let input: Readable | null = tcpdump?.source.stream ?? null;
    // A -r file or pipe with no recorder is read by the analysis itself (a file: positioned reads, its size known).
    if (input === null && (read === '-' || taps.length > 0)) input = read === '-' ? process.stdin : createReadStream(read as string);
    const name = tcpdump?.source.name ?? (read === '-' ? STDIN_NAME : (read as string));
    let stream = input;
    for (const tap of taps) stream = stream?.pipe(tap.tee()) ?? null;
    return new LiveSession(stream === null ? (read as string) : { name, stream }, name, tcpdump, spool, recorder, input);
  }

  /** For analyse(): aborted when a `-r` read is to stop (or tcpdump did not exit in time). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** stop() was called (the capture did not end by itself). */
  get stopped(): boolean {
    return this.stopRequested;
  }

  /**
   * Ends the capture: tcpdump is sent SIGTERM (it writes its last packets and exits, which ends
   * the stream); a `-r` read stops after its last whole record. analyse() then finishes as at
   * the end of any input.
   */
  stop(): void {
    this.stopRequested = true;
    if (this.tcpdump === null) {
      this.controller.abort();
      return;
    }
    this.tcpdump.stop();
    setTimeout(() => this.controller.abort(), STOP_GRACE_MS).unref();
  }

  /**
   * After analyse() resolved (or to give up): the written file ends at its last whole record,
   * the input is released, tcpdump is stopped and waited for. Resolves with how tcpdump ended
   * (null with `-r`). Idempotent. The spool stays, so that what was captured can still be saved
   * after the capture ended: its owner disposes it (at the latest, it goes at process exit).
   */
  async close(): Promise<TcpdumpExit | null> {
    this.recorder?.close();
    this.input?.destroy();
    this.tcpdump?.stop();
    return this.tcpdump === null ? null : await this.tcpdump.exited;
  }
}
