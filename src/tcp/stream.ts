/**
 * The reassembler's output contract. The reassembler knows nothing of HTTP: a factory makes one
 * consumer per connection, and the consumer receives, in this order and exactly once each end:
 *   open → (chunk | gap)* → (close | endOfCapture)
 * Chunks of one direction arrive in stream order; the two directions are interleaved in the order
 * the capture delivered the bytes (so a request's bytes precede the response they caused).
 */
import type { SegmentKind } from './reassembler.js';

export type Direction = 'client' | 'server';

/**
 * One segment of a tracked connection as the tcp stage saw it (TrackerOptions.onSegment): for
 * front ends that show segments (a ladder diagram), never needed by the http stage.
 */
export interface SegmentSeen {
  /** The connection's id (ConnectionRecord.id, ConnectionModel.id). */
  connection: number;
  direction: Direction;
  frame: number;
  time: number;
  /** Offset of the frame's record in the capture file (-1 when the segment did not say). */
  fileOffset: number;
  /** TcpFlag bits. */
  flags: number;
  /** Relative sequence number (Reassembler.relativeSeq): SYN 0, first payload byte 1. */
  seq: number;
  /** Relative acknowledgement number, or null without the ACK flag. */
  ack: number | null;
  /** Payload length on the wire. */
  length: number;
  /** What the payload turned out to be ('none' for a segment without payload, and for a RST). */
  kind: SegmentKind;
}

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

/**
 * Why bytes are missing from a stream:
 * - 'acked-unseen': the peer acknowledged bytes the capture never saw (capture loss);
 * - 'buffer-limit': the out-of-order buffer hit its cap (see budget.ts) and was flushed;
 * - 'close': the connection was reset, or closed, with bytes missing before buffered data or
 *   before the FIN;
 * - 'end-of-capture': the capture ended with bytes missing before buffered data or the FIN;
 * - 'truncated': snaplen cut the frame, so its tail is missing (counted in truncatedFrames, not
 *   listed in ConnectionRecord.gaps).
 */
export type GapCause = 'acked-unseen' | 'buffer-limit' | 'close' | 'end-of-capture' | 'truncated';

export interface StreamGap {
  direction: Direction;
  /** Stream offset where the missing bytes begin. */
  offset: number;
  /** Number of missing bytes, or 'unknown' when the start of the stream was never seen. */
  length: number | 'unknown';
  /**
   * The first frame after the gap (whose bytes follow the hole). When no captured bytes follow
   * yet, the frame that revealed the gap (the peer's ACK, the RST, or the connection's last frame).
   */
  frameAfter: number;
  /** Capture time of frameAfter. */
  time: number;
  /** Why the bytes are missing (always set by the tcp stage). */
  cause?: GapCause;
}

/**
 * A retransmission whose bytes differ from the first copy of the same stream bytes. The first copy
 * is what was (or will be) delivered; the differing copy is dropped.
 */
export interface OverlapConflict {
  direction: Direction;
  /** Stream offset of the first differing byte. */
  offset: number;
  /** The frame that carried the differing (dropped) copy. */
  frame: number;
  /** The frame that carried the first copy. */
  firstFrame: number;
  time: number;
}

export interface StreamConsumer {
  chunk(chunk: StreamChunk): void;
  gap(gap: StreamGap): void;
  /** Optional: told when a retransmission carried different bytes (first copy wins). */
  overlapConflict?(conflict: OverlapConflict): void;
  /**
   * The connection is over: both FINs were reached in stream order, or a RST came, or a new SYN
   * reused its 4-tuple (tshark starts a new stream there, so the old one has ended: whatever it
   * left unfinished was cut by the peers, not by the capture). Also called at the end of the
   * capture when endOfCapture is not defined. `time`: the capture time of the closing frame.
   */
  close(time: number): void;
  /**
   * Optional: called instead of close() for a connection still open when the capture ends (the
   * capture, not the peers, cut what was unfinished). Exactly one of close/endOfCapture is called,
   * once. `time`: the capture time of the connection's last frame.
   */
  endOfCapture?(time: number): void;
}
