import type { Direction, GapCause } from './stream.js';

/**
 * Why a connection's consumer was ended (TrackerOptions.onConnectionEnd):
 * - 'close': both FINs were reached in stream order, or a RST came;
 * - 'replaced': a new SYN reused the 4-tuple (tshark's new tcp.stream): the old connection is over,
 *   and its consumer was told close(), as for 'close';
 * - 'capture-end': the capture ended with the connection still open (consumer.endOfCapture()).
 */
export type ConnectionEndReason = 'close' | 'capture-end' | 'replaced';

/** A frame reference with its time, used for handshake and teardown provenance. */
export interface FrameAt {
  frame: number;
  time: number;
}

export interface Handshake {
  syn: FrameAt | null;
  synAck: FrameAt | null;
  /** The client's ACK that completes the three-way handshake. */
  ack: FrameAt | null;
  /** synAck.time - syn.time (seconds), when both were seen. */
  rtt: number | null;
  /** SYN answered by RST (connection refused). */
  refused: boolean;
  /**
   * Refused, and the client connected to the same port on another address right after (tcp/fallback.ts):
   * that connection's id. Null otherwise. A fact across connections: a connection analysed again
   * alone takes it from the first pass.
   */
  fallback?: number | null;
  /** Options each side announced in its SYN. */
  clientMss?: number;
  serverMss?: number;
  clientWindowScale?: number;
  serverWindowScale?: number;
}

export interface Teardown {
  /** How the connection ended: 'fin' (orderly), 'rst' (abortive) or 'open' at end of capture. */
  kind: 'fin' | 'rst' | 'open';
  /** Which side sent the first FIN or RST; null when still open. */
  closedFirstBy: Direction | null;
  clientFin: FrameAt | null;
  serverFin: FrameAt | null;
  clientRst: FrameAt | null;
  serverRst: FrameAt | null;
  /**
   * One side sent FIN and the other kept sending data afterwards, or the capture ended with only
   * one FIN. A RST ending the connection after one FIN (an abort) is not a half-close.
   */
  halfClosed: boolean;
}

export interface StreamGapRecord {
  direction: Direction;
  offset: number;
  length: number | 'unknown';
  frameAfter: number;
  /** Why the bytes are missing (never 'truncated': snaplen cuts are counted in truncatedFrames). */
  cause?: GapCause;
}

export interface DirectionStats {
  frames: number;
  /** Payload bytes delivered in order (retransmissions and probes excluded). */
  bytes: number;
  /** Segments carrying payload bytes already seen, wholly or partly (keep-alive probes excluded). */
  retransmissions: number;
  /** Frame of the first of them (null: none). */
  firstRetransmission: number | null;
  /**
   * Of these, how many the receiver reported as duplicates (a D-SACK block, RFC 2883): spurious —
   * the first copy had arrived, the sender's timer fired before the ACK did (a delayed ACK, a
   * receiver that stopped reading), nothing was lost.
   */
  spuriousRetransmissions: number;
  /** Segments that arrived ahead of a hole (their new bytes were buffered until it filled). */
  outOfOrder: number;
  /** Frame of the first of them (null: none). */
  firstOutOfOrder: number | null;
  /** Retransmitted segments whose bytes differed from the first copy. */
  conflictingOverlaps: number;
  /** Segments advertising a zero window (the sender's receive buffer was full). */
  zeroWindow: number;
  /** TCP keep-alive probes (snd_una - 1, 0 or 1 byte) sent while the peer's window was open. */
  keepAlives: number;
  /** The same probes sent into a window the peer had closed: zero-window probes (data waiting to go). */
  zeroWindowProbes: number;
  /** Frames whose payload was cut by snaplen. */
  truncatedFrames: number;
  /** Frames that repeat the direction's previous segment exactly: one packet captured twice (duplicate.ts), not analysed. */
  duplicates: number;
}

/** Everything the tcp stage knows about one connection: plain, serialisable data. */
export interface ConnectionRecord {
  /** 1-based, in order of each connection's first frame (tshark's tcp.stream + 1). */
  id: number;
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  ipVersion: 4 | 6;
  firstFrame: number;
  lastFrame: number;
  startTime: number;
  endTime: number;
  /** Neither the SYN nor the SYN-ACK was the first segment seen: client/server were guessed. */
  midStream: boolean;
  handshake: Handshake;
  teardown: Teardown;
  stats: Record<Direction, DirectionStats>;
  gaps: StreamGapRecord[];
  /** Zeek conn.log history string, upper case = client (originator). */
  history: string;
}
