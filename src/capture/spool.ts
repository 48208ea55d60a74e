/**
 * "What was captured so far", kept for the live dashboard's save key (`w`): the raw stream is
 * recorded into a temporary file (on disk, not in memory: a capture may run for hours) and copied
 * out on demand, up to its last whole record. The temporary directory is removed by dispose(), or
 * at process exit if the owner never got to it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transform } from 'node:stream';
import { CaptureRecorder } from './recorder.js';

export class CaptureSpool {
  private readonly dir: string;
  private readonly recorder: CaptureRecorder;
  private disposed = false;
  private readonly onExit = (): void => this.dispose();

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'wirelens-live-'));
    this.recorder = new CaptureRecorder(join(this.dir, 'spool'));
    process.once('exit', this.onExit);
  }

  /** The pass-through to put between the capture stream and the analysis. */
  tee(): Transform {
    return this.recorder.tee();
  }

  /** Appends a chunk directly (when the owner reads the stream itself). */
  write(chunk: Uint8Array): void {
    this.recorder.write(chunk);
  }

  /**
   * Saves the capture so far to `dest` (pcap or pcapng, as it came: see `format` and saveName),
   * whole records only; returns what it holds. Throws the file system's error.
   */
  save(dest: string): { bytes: number; packets: number } {
    if (this.disposed) throw new Error('CaptureSpool: save after dispose');
    return this.recorder.copyTo(dest);
  }

  /**
   * The spool file: the stream's bytes so far at their offsets in the stream (a record being
   * received may be cut at its end), written before the analysis reads them. The dashboard re-reads
   * bodies and raw bytes from it by the frames' file offsets.
   */
  get path(): string {
    return this.recorder.path;
  }

  /** pcap or pcapng (as tcpdump or the `-r` input wrote it), once known: the extension of a save. */
  get format(): 'pcap' | 'pcapng' | null {
    return this.recorder.format;
  }

  /** Packet records captured so far. */
  get packets(): number {
    return this.recorder.packets;
  }

  /** Bytes of whole records captured so far (file header included). */
  get bytes(): number {
    return this.recorder.completeBytes;
  }

  /** Closes and deletes the temporary file. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    process.removeListener('exit', this.onExit);
    try {
      this.recorder.close();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/**
 * A file name for a save made at `date` (local time): `wirelens-20261203-045012.pcap`, with the
 * extension of the stream's format (the spool's `format`; pcapng while unknown).
 */
export function saveName(date: Date, format: 'pcap' | 'pcapng' | null): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
  return `wirelens-${stamp}.${format ?? 'pcapng'}`;
}
