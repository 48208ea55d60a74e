import { CaptureError, type CaptureErrorCode, type Frame } from './frame.js';

export type CaptureFormat = 'pcap' | 'pcapng';

/** Running totals of one read; the reader mutates this object in place as input arrives. */
export interface CaptureStats {
  /** Detected from the magic bytes (never from the file name); null until four bytes arrived. */
  format: CaptureFormat | null;
  /** Frames delivered to `onFrame` (the last index, minus numberedBlocks). */
  frames: number;
  /** Frames whose `originalLength` exceeds the captured bytes (snaplen cut them). */
  truncatedFrames: number;
  /** pcapng blocks skipped by length: name resolution, statistics, secrets, custom, unknown. */
  skippedBlocks: number;
  /**
   * Skipped blocks that Wireshark nevertheless numbers as frames (custom blocks, systemd journal
   * entries). Each consumes a frame index, so `Frame.index` stays equal to Wireshark's frame.number.
   */
  numberedBlocks: number;
  /** pcapng Section Header Blocks; 1 for a pcap file once its global header is read. */
  sections: number;
  /** pcapng Interface Description Blocks over all sections; 1 for a pcap file. */
  interfaces: number;
  /** Input bytes received so far. */
  bytes: number;
}

export function emptyStats(): CaptureStats {
  return { format: null, frames: 0, truncatedFrames: 0, skippedBlocks: 0, numberedBlocks: 0, sections: 0, interfaces: 0, bytes: 0 };
}

/**
 * What a format parser hands its frames and errors to. Keeping numbering, stats and the callback
 * here means the pcap and pcapng parsers only split bytes, and both number frames the same way.
 */
export class FrameSink {
  /** Index of the last frame (or numbered block); Wireshark counts across sections. */
  private lastIndex = 0;
  /** Frames to deliver at most (`-c N`); later ones are dropped and `full` is set. */
  maxFrames = Number.POSITIVE_INFINITY;
  /** The frame limit was reached (the last frame delivered was the limit's): the reader's owner should stop reading. */
  full = false;

  constructor(
    readonly fileName: string,
    private readonly onFrame: (frame: Frame) => void,
    readonly stats: CaptureStats,
  ) {}

  /** Builds and delivers one frame. `data` must be a view of a buffer nobody will overwrite. */
  emit(data: Uint8Array, time: number, linkType: number, originalLength: number, fileOffset: number, interfaceId: number): void {
    const stats = this.stats;
    if (this.full) return;
    stats.frames++;
    if (stats.frames >= this.maxFrames) this.full = true;
    if (originalLength > data.length) stats.truncatedFrames++;
    // Same key order as the Frame interface for every frame, so V8 keeps one hidden class.
    const frame: Frame = { index: ++this.lastIndex, time, linkType, data, originalLength, fileOffset, interfaceId };
    this.onFrame(frame);
  }

  /** A block Wireshark shows as a frame but that carries no packet: use up its number. */
  skipNumber(): void {
    this.lastIndex++;
    this.stats.numberedBlocks++;
  }

  error(code: CaptureErrorCode, offset: number, detail: string): CaptureError {
    return new CaptureError(code, this.fileName, offset, detail, this.stats.frames);
  }
}
