/**
 * Frames of one connection read again from the capture, by the file offsets SegmentLog kept: the
 * TUI's byte views (connection-streams.ts) and a connection analysed again alone (reanalyse.ts)
 * both replay them through a decoder of their own.
 */
import { FrameReader } from '../capture/frame-reader.js';
import type { Frame } from '../capture/frame.js';
import type { SegmentRecord } from '../model/segments.js';

/** One record per frame (a frame can carry more than one segment record), in capture order. */
export function framesOf(segments: readonly SegmentRecord[]): SegmentRecord[] {
  const byFrame = new Map<number, SegmentRecord>();
  for (const s of segments) if (!byFrame.has(s.frame)) byFrame.set(s.frame, s);
  return [...byFrame.values()].sort((a, b) => a.frame - b.frame);
}

/**
 * Reads the frames of `segments` again, in capture order, handing each to `onFrame`. `source`: a
 * path, opened for this call alone, or an open reader (the caller's: it keeps what it walked).
 * Throws CaptureError when the file cannot be read or a frame is not where its offset says.
 */
export async function replayFrames(source: string | FrameReader, segments: readonly SegmentRecord[], onFrame: (frame: Frame) => void): Promise<void> {
  const reader = typeof source === 'string' ? await FrameReader.open(source) : source;
  try {
    for (const s of framesOf(segments)) onFrame(await reader.read(s.fileOffset, s.frame));
  } finally {
    if (typeof source === 'string') await reader.close();
  }
}
