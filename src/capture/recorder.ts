/**
 * Saves a raw capture stream to a file as it arrives (`live --write F`, the live spool): the bytes
 * are copied through unchanged, so the file is exactly what tcpdump (or the `-r` input) produced,
 * pcap or pcapng. Only whole records count: `close()` cuts a record the stream stopped in the
 * middle of, and `copyTo()` copies up to the last whole one, so either file opens in Wireshark
 * whenever it is taken (after Ctrl-C too).
 */
import { closeSync, copyFileSync, ftruncateSync, openSync, truncateSync, writeSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { RecordBoundaries } from './boundaries.js';

export class CaptureRecorder {
  private readonly boundaries: RecordBoundaries;
  private fd: number | null;
  /** Bytes written to the file (a record being received may be among them, cut by close/copyTo). */
  private written = 0;

  /**
   * Opens (creates or truncates) `path`. Throws the open error (ENOENT, EACCES…) for the caller to
   * report. `maxPackets`: nothing after that packet's record is written (`-c N`).
   */
  constructor(
    readonly path: string,
    maxPackets?: number,
  ) {
    this.boundaries = new RecordBoundaries(maxPackets);
    this.fd = openSync(path, 'w');
  }

  /** Appends a chunk of the stream (synchronously: a copy taken right after holds it). */
  write(chunk: Uint8Array): void {
    if (this.fd === null || this.boundaries.limitEnd !== null) return;
    this.boundaries.push(chunk);
    const limit = this.boundaries.limitEnd;
    const bytes = limit === null ? chunk : chunk.subarray(0, limit - this.written);
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.written += bytes.length;
  }

  /** Bytes of whole records so far: what a copy holds. */
  get completeBytes(): number {
    return this.boundaries.complete;
  }

  /** pcap or pcapng, once the first bytes arrived. */
  get format(): 'pcap' | 'pcapng' | null {
    return this.boundaries.format;
  }

  /** Packet records so far (whole ones). */
  get packets(): number {
    return this.boundaries.packets;
  }

  /** Copies the capture so far (whole records only) to `dest`, replacing it. Throws on a write failure. */
  copyTo(dest: string): { bytes: number; packets: number } {
    const bytes = this.boundaries.complete;
    const packets = this.boundaries.packets;
    copyFileSync(this.path, dest);
    truncateSync(dest, bytes);
    return { bytes, packets };
  }

  /** Ends the file at the last whole record and closes it. Idempotent. */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      ftruncateSync(fd, this.boundaries.complete);
    } finally {
      closeSync(fd);
    }
  }

  /** A pass-through stream that records every chunk on its way (the tee in front of the analysis). */
  tee(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) => {
        try {
          this.write(chunk);
          callback(null, chunk);
        } catch (error) {
          callback(error as Error);
        }
      },
    });
  }
}
