/**
 * The reassembled byte streams of one connection, rebuilt from its frames alone: the TUI's Raw and
 * body views show bytes without keeping them in memory. The frames are read again by file offset
 * (capture/frame-reader.ts), decoded and fed to a TcpTracker — the same reassembly as the first
 * pass, so stream offsets are the ones MessageModel.offsets count (bytes the capture lost are
 * zeros at their offsets, as long as the gap).
 *
 * Segments that arrived as IPv4/IPv6 fragments carry only their last fragment's frame: read alone
 * it does not reassemble, and its bytes are zeros here.
 */
import { FrameReader } from '../capture/frame-reader.js';
import { Decoder } from '../decode/decoder.js';
import { guessHttpRole } from '../http/role.js';
import type { SegmentRecord } from '../model/segments.js';
import type { Direction, StreamChunk } from '../tcp/stream.js';
import { TcpTracker } from '../tcp/tracker.js';

export interface ConnectionStreams {
  client: Uint8Array;
  server: Uint8Array;
}

/**
 * Reads the frames of `segments` (one connection's, as SegmentLog.forConnection gives them) from
 * `path` and returns each direction's byte stream from offset 0. Throws CaptureError when the file
 * cannot be read or a frame is not where its offset says.
 */
export async function readConnectionStreams(path: string, segments: readonly SegmentRecord[]): Promise<ConnectionStreams> {
  const chunks: Record<Direction, StreamChunk[]> = { client: [], server: [] };
  const tracker = new TcpTracker({
    onConnection: () => ({
      // The chunk's bytes are a view of a frame read for this call only: keeping it is safe.
      chunk: (chunk) => void chunks[chunk.direction].push(chunk),
      gap: () => undefined,
      close: () => undefined,
    }),
    guessRole: guessHttpRole,
  });
  const decoder = new Decoder();
  const reader = await FrameReader.open(path);
  try {
    const frames = [...new Map(segments.map((s) => [s.frame, s.fileOffset])).entries()].sort((a, b) => a[0] - b[0]);
    for (const [frame, fileOffset] of frames) {
      const segment = decoder.decode(await reader.read(fileOffset, frame));
      if (segment !== null) tracker.push(segment);
    }
    tracker.finish();
  } finally {
    await reader.close();
  }
  return { client: joinChunks(chunks.client), server: joinChunks(chunks.server) };
}

function joinChunks(chunks: readonly StreamChunk[]): Uint8Array {
  let length = 0;
  for (const c of chunks) length = Math.max(length, c.offset + c.bytes.length);
  const stream = new Uint8Array(length);
  for (const c of chunks) stream.set(c.bytes, c.offset);
  return stream;
}
