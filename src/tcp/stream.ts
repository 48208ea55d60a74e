/**
 * The reassembler's output contract. The reassembler knows nothing of HTTP: a factory makes one
 * consumer per connection, and the consumer receives, in this order and exactly once each end:
 *   open → (chunk | gap)* → close
 * Chunks of one direction arrive in stream order; the two directions are interleaved in the order
 * the capture delivered the bytes (so a request's bytes precede the response they caused).
 */
export type Direction = 'client' | 'server';

export interface StreamChunk {
  direction: Direction;
  /** Offset of bytes[0] within this direction's byte stream (0 = first payload byte). */
  offset: number;
  /** In-order payload bytes (a view; copy to keep past the call only if you must). */
  bytes: Uint8Array;
  /** The 1-based frame number that carried these bytes (a chunk never spans frames). */
  frame: number;
  /** Capture time of that frame, seconds since the epoch. */
  time: number;
}

export interface StreamGap {
  direction: Direction;
  /** Stream offset where the missing bytes begin. */
  offset: number;
  /** Number of missing bytes, or 'unknown' when the start of the stream was never seen. */
  length: number | 'unknown';
  /** The first frame after the gap (whose bytes follow the hole). */
  frameAfter: number;
  time: number;
}

export interface StreamConsumer {
  chunk(chunk: StreamChunk): void;
  gap(gap: StreamGap): void;
  /** Called once, when the connection is closed (both FINs or a RST) or the capture ends. */
  close(time: number): void;
}
