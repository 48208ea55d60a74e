/**
 * The reassembled bytes of one connection's frames, rebuilt from those frames alone: the TUI's Raw
 * and body views show bytes without keeping them in memory. The frames are read again by file
 * offset (capture/frame-reader.ts), decoded and fed to a TcpTracker — the same reassembly as the
 * first pass — and placed at the stream offsets MessageModel.offsets count (bytes the capture lost
 * are zeros at their offsets, as long as the gap).
 *
 * Segments that arrived as IPv4/IPv6 fragments carry only their last fragment's frame: read alone
 * it does not reassemble, and its bytes are zeros here.
 */
import type { FrameReader } from '../capture/frame-reader.js';
import { Decoder } from '../decode/decoder.js';
import { guessHttpRole } from '../http/role.js';
import { SegmentFlag, type SegmentRecord } from '../model/segments.js';
import type { Direction, StreamChunk } from '../tcp/stream.js';
import { TcpTracker } from '../tcp/tracker.js';
import { framesOf, replayFrames } from './replay-frames.js';

/** One direction's bytes over a window of frames: `bytes[0]` is at stream offset `base`. */
export interface WindowStream {
  bytes: Uint8Array;
  base: number;
}

/** The chunks laid out from offset 0 of the (mini) stream they were reassembled in. */
function joinChunks(chunks: readonly StreamChunk[]): Uint8Array {
  let length = 0;
  for (const c of chunks) length = Math.max(length, c.offset + c.bytes.length);
  const stream = new Uint8Array(length);
  for (const c of chunks) stream.set(c.bytes, c.offset);
  return stream;
}

/**
 * The bytes a window of one connection's frames carries (an exchange's, from its first frame to its
 * last; or all of them), placed at their stream offsets without reading what came before —
 * on a connection open for hours an exchange costs its own frames, not the whole history. The
 * frames are reassembled as a connection picked up mid-stream; each chunk goes to the direction
 * its segment record names, and each direction's offsets are rebased on the first record of that
 * direction in the window (its relative sequence number: the first payload byte is 1, a SYN 0).
 * Bytes of the window that arrive before an earlier one of the same direction (out of order across
 * the window's start) are lost, as they would be to any mid-stream pickup.
 */
export async function readWindowStreams(source: string | FrameReader, segments: readonly SegmentRecord[]): Promise<Record<Direction, WindowStream>> {
  const frames = framesOf(segments);
  const byFrame = new Map(frames.map((s) => [s.frame, s]));
  const base: Record<Direction, number | null> = { client: null, server: null };
  for (const s of frames) base[s.direction] ??= (s.flags & SegmentFlag.SYN) !== 0 ? 0 : Math.max(0, s.seq - 1);
  const chunks: Record<Direction, StreamChunk[]> = { client: [], server: [] };
  const tracker = new TcpTracker({
    onConnection: () => ({
      // The direction as the first pass decided it: the window alone may not show who is the client.
      chunk: (chunk) => void chunks[byFrame.get(chunk.frame)?.direction ?? chunk.direction].push(chunk),
      gap: () => undefined,
      close: () => undefined,
    }),
    guessRole: guessHttpRole,
  });
  const decoder = new Decoder();
  await replayFrames(source, frames, (frame) => {
    const segment = decoder.decode(frame);
    if (segment !== null) tracker.push(segment);
  });
  tracker.finish();
  return {
    client: { bytes: joinChunks(chunks.client), base: base.client ?? 0 },
    server: { bytes: joinChunks(chunks.server), base: base.server ?? 0 },
  };
}
