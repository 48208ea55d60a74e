import { TcpFlag, type Segment } from '../decode/segment.js';
import { BufferPool, type BufferLimits } from './budget.js';
import type { ConnectionEndReason, ConnectionRecord } from './connection.js';
import { FallbackWatch } from './fallback.js';
import { FlowTable } from './flows.js';
import { RetiredConnection } from './retired.js';
import { TcpSession } from './session.js';
import { SettlingList } from './settling.js';
import type { Direction, SegmentSeen, StreamConsumer } from './stream.js';

/**
 * Capture seconds a closed connection stays in the table after its last frame, for late segments
 * (the last ACK, a retransmitted FIN or RST) that tshark counts in the same stream. The loopback
 * captures in captures/ need 0.1 ms (any settle from 1 ms up gives the same connections and frame
 * counts); over a real network the last ACK can trail by an RTT plus a delayed-ACK timer (≤ 500 ms,
 * RFC 9293), and a lost FIN is resent after the RTO (1 s initial, RFC 6298): 2 s covers both.
 */
export const SETTLE_SECONDS = 2;

/**
 * Capture seconds a connection closed in order and acknowledged both ways (TcpSession.isAckedClose)
 * stays: no segment is due any more, but a capture may hold a copy of its last frames a moment
 * later. Then it leaves, and a RetiredConnection keeps its 4-tuple for the rest of SETTLE_SECONDS.
 * Holding every closed connection's whole state for 2 s made it outlive V8's young generation:
 * on 100,000 short connections that promotion cost a third of the run (conns --json 3.3 → 2.0 s).
 */
export const ACKED_SETTLE_SECONDS = 0.01;

/**
 * Most closed connections kept settling at once: beyond it the one quiet for longest leaves first.
 * Keeps a port scan or a burst of short connections flat (~1 KiB each: ~10 MiB at the cap) while
 * still covering 2 s of 5,000 connections per second.
 */
export const MAX_SETTLING = 10_000;

/** Most RetiredConnections kept at once (~100 bytes each, with their two table slots). */
const MAX_RETIRED = 50_000;

export interface TrackerOptions {
  /**
   * Called once per connection, when its client is known (see the class comment) and at the latest
   * when it ends; returns its consumer (or undefined for none).
   */
  onConnection?(conn: ConnectionRecord): StreamConsumer | undefined;
  /**
   * Called when a connection's consumer is ended — a close (both FINs or a RST), its 4-tuple
   * reused by a new SYN ('replaced'), or the end of the capture ('capture-end'). Late frames may
   * still update the record until onConnectionFinal.
   */
  onConnectionEnd?(conn: ConnectionRecord, reason: ConnectionEndReason): void;
  /**
   * Called when a connection leaves the table: its record is final (no later frame will change
   * it). Exactly once per connection, in the order they retire — a closed connection after the
   * settle period or when the settling cap is hit, a replaced one at the SYN that replaced it — and
   * at finish() for all the rest, in id order.
   */
  onConnectionFinal?(conn: ConnectionRecord): void;
  /**
   * Who sent this payload, the first of a connection picked up mid-stream (no SYN seen): the
   * protocol stage's opinion (http/role.ts: a request line → 'client', a status line → 'server').
   * Null, or no guesser, lets the ports decide (roles.ts).
   */
  guessRole?(payload: Uint8Array): Direction | null;
  /**
   * Called for every segment of a connection once its roles are known, after the segment was
   * processed (a connection picked up mid-stream reports its first payload-less segments when its
   * roles are decided, just before the segment that decided them). For front ends that draw
   * segments; leave it undefined otherwise (it costs an object per segment).
   */
  onSegment?(conn: ConnectionRecord, segment: SegmentSeen): void;
  /** Caps on buffered out-of-order bytes (defaults: 8 MiB per connection, 64 MiB in total; see budget.ts). */
  bufferLimits?: BufferLimits;
  /** Capture seconds a closed connection waits for late segments (default SETTLE_SECONDS). */
  settleSeconds?: number;
  /** Capture seconds a connection closed and acknowledged both ways waits (default ACKED_SETTLE_SECONDS). */
  ackedSettleSeconds?: number;
  /** Most closed connections waiting at once (default MAX_SETTLING). */
  maxSettling?: number;
  /** The first connection's id (default 1): a connection analysed again from its own frames keeps its id. */
  firstId?: number;
}

/**
 * The connection table. Every segment is looked up once, by both endpoints in the segment's own
 * direction; each connection is stored under its 4-tuple and the reverse one, so either direction
 * finds it with a single lookup (FlowTable: no key string is built per segment).
 *
 * Connection ids are 1-based in order of each connection's first frame, and follow tshark's
 * `tcp.stream` numbering (+1): a SYN that reuses a 4-tuple after a FIN or RST, or with a new ISN,
 * starts a new connection (TcpSession.isReplacedBy).
 *
 * When onConnection is called: once the client is known — at once for a SYN or SYN-ACK; for a
 * connection picked up mid-stream, at its first payload (or at finish()). So consumers of
 * different connections may be opened out of id order.
 *
 * Memory follows the open connections, not the capture: a closed connection leaves the table once
 * it has been quiet for the settle period (measured in capture time, checked against each frame's
 * time) or when more than maxSettling closed ones wait; nothing else keeps it. A segment that
 * arrives for it later starts a new connection, as a SYN on a free 4-tuple does. A connection
 * closed and acknowledged both ways leaves after the short acked settle period, its 4-tuple kept
 * by a RetiredConnection until the settle period is over: a non-SYN segment for it then is counted
 * in `lateSegments` and goes no further.
 */
export class TcpTracker {
  private readonly table = new FlowTable<TcpSession | RetiredConnection>();
  private readonly settling = new SettlingList<TcpSession>();
  /** Closed sessions of acked closes (ackedSettleSeconds), and what they left behind (settleSeconds). */
  private readonly ackedSettling = new SettlingList<TcpSession>();
  private readonly retired = new SettlingList<RetiredConnection>();
  private readonly settleSeconds: number;
  private readonly ackedSettleSeconds: number;
  private late = 0;
  private readonly maxSettling: number;
  /**
   * The session of the previous segment and its endpoints: most segments belong to the same
   * connection as the one before (a burst of data, its ACK), so this skips the table. It is
   * always what the table holds for that 4-tuple: open() and retire() are its only writers.
   */
  private last: TcpSession | undefined = undefined;
  private lastA = '';
  private lastPortA = -1;
  private lastB = '';
  private lastPortB = -1;
  private count = 0;
  /** Refused connections whose client may connect again on another address (fallback.ts). */
  private readonly fallbacks = new FallbackWatch();
  /** Added to `count` for an id (firstId - 1). */
  private readonly idBase: number;
  private live = 0;
  private readonly pool: BufferPool;
  private finished = false;

  constructor(private readonly opts: TrackerOptions = {}) {
    this.pool = new BufferPool(opts.bufferLimits);
    this.settleSeconds = opts.settleSeconds ?? SETTLE_SECONDS;
    this.ackedSettleSeconds = Math.min(opts.ackedSettleSeconds ?? ACKED_SETTLE_SECONDS, this.settleSeconds);
    this.maxSettling = opts.maxSettling ?? MAX_SETTLING;
    this.idBase = (opts.firstId ?? 1) - 1;
  }

  /** Connections seen so far (the highest id). */
  get connectionCount(): number {
    return this.count;
  }

  /** Connections in the table now: open ones and closed ones still settling. */
  get liveSessions(): number {
    return this.live;
  }

  /** Closed connections in the table waiting for late segments. */
  get settlingSessions(): number {
    return this.settling.size + this.ackedSettling.size;
  }

  /** Connections retired after an acked close whose 4-tuple is still kept (see RetiredConnection). */
  get retiredKept(): number {
    return this.retired.size;
  }

  /** Segments that arrived for a RetiredConnection: counted here, in no connection. */
  get lateSegments(): number {
    return this.late;
  }

  /** 4-tuples stored in the table (two per connection, one for a connection to itself). */
  get tableSize(): number {
    return this.table.size;
  }

  push(seg: Segment): void {
    this.retireSettled(seg.time);
    const found = this.lookup(seg);
    const syn = (seg.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN;
    let session: TcpSession | undefined;
    if (found instanceof RetiredConnection) {
      if (!syn) {
        this.late++;
        return;
      }
      this.forget(found);
    } else {
      session = found;
    }
    if (session !== undefined && syn && session.isReplacedBy(seg)) {
      session.finish('replaced');
      this.retire(session);
      session = undefined;
    }
    if (session === undefined) session = this.open(seg);
    session.push(seg);
    if ((seg.flags & TcpFlag.RST) !== 0 && session.record.handshake.refused) this.fallbacks.refused(session.record, seg.time);
    if (session.isClosed) (session.isAckedClose ? this.ackedSettling : this.settling).touch(session, seg.time);
  }

  /**
   * End of capture: every connection still open is flushed and ended (consumer.endOfCapture), and
   * every connection left in the table is final — one by one, in id order. Idempotent. With
   * 'replaced', they end as at a SYN reusing their 4-tuple (a connection analysed again alone,
   * whose first pass ended it that way).
   */
  finish(reason: 'capture-end' | 'replaced' = 'capture-end'): void {
    if (this.finished) return;
    this.finished = true;
    const sessions = [...new Set(this.table.values())].filter((s) => s instanceof TcpSession).sort((a, b) => a.record.id - b.record.id);
    for (const session of sessions) {
      session.finish(reason);
      this.retire(session);
    }
  }

  /**
   * Time moved on without a frame (a quiet live capture, told by the wall clock): closed sessions
   * quiet for the settle period retire, so their records are handed on.
   */
  advance(now: number): void {
    this.retireSettled(now);
  }

  /**
   * Retires closed sessions quiet for their settle period (the oldest beyond the cap too), and
   * forgets the 4-tuples of acked closes once the full settle period is over.
   */
  private retireSettled(now: number): void {
    // Beyond the cap, acked closes leave first: their 4-tuples stay kept.
    for (;;) {
      const oldest = this.ackedSettling.oldest;
      if (oldest === null || (this.settlingSessions <= this.maxSettling && now - oldest.settleSince < this.ackedSettleSeconds)) break;
      this.retireAcked(oldest);
    }
    for (;;) {
      const oldest = this.settling.oldest;
      if (oldest === null || (this.settlingSessions <= this.maxSettling && now - oldest.settleSince < this.settleSeconds)) break;
      this.retire(oldest);
    }
    for (;;) {
      const oldest = this.retired.oldest;
      if (oldest === null || (this.retired.size <= MAX_RETIRED && now - oldest.settleSince < this.settleSeconds)) break;
      this.forget(oldest);
    }
  }

  /** Takes a session out of the table for good; its record is final. */
  private retire(session: TcpSession): void {
    this.untable(session.record);
    this.leave(session);
  }

  /** An acked close's session leaves; a RetiredConnection takes its 4-tuple's slots (quiet since its last frame). */
  private retireAcked(session: TcpSession): void {
    const { id, client, server } = session.record;
    const kept = new RetiredConnection(id, client, server);
    // Stored over the session's own two entries: no slot is freed or taken.
    this.table.set(client.ip, client.port, server.ip, server.port, kept);
    this.table.set(server.ip, server.port, client.ip, client.port, kept);
    this.retired.touch(kept, session.settleSince);
    this.leave(session);
  }

  /** A session out of the table: off the lists and the one-entry cache, its record final. */
  private leave(session: TcpSession): void {
    session.settlingIn?.remove(session);
    if (this.last === session) this.forgetLast();
    this.live--;
    this.opts.onConnectionFinal?.(session.record);
  }

  private forget(kept: RetiredConnection): void {
    this.retired.remove(kept);
    this.untable(kept);
  }

  /** Frees a connection's two table entries (one 4-tuple each way). */
  private untable({ client, server }: { client: { ip: string; port: number }; server: { ip: string; port: number } }): void {
    this.table.delete(client.ip, client.port, server.ip, server.port);
    this.table.delete(server.ip, server.port, client.ip, client.port);
  }

  private lookup(seg: Segment): TcpSession | RetiredConnection | undefined {
    const srcPort = seg.srcPort;
    const dstPort = seg.dstPort;
    if (
      (srcPort === this.lastPortA && dstPort === this.lastPortB && seg.src === this.lastA && seg.dst === this.lastB) ||
      (srcPort === this.lastPortB && dstPort === this.lastPortA && seg.src === this.lastB && seg.dst === this.lastA)
    ) {
      return this.last;
    }
    const found = this.table.get(seg.src, srcPort, seg.dst, dstPort);
    if (found instanceof TcpSession) this.remember(seg, found);
    return found;
  }

  private remember(seg: Segment, session: TcpSession): void {
    this.last = session;
    this.lastA = seg.src;
    this.lastPortA = seg.srcPort;
    this.lastB = seg.dst;
    this.lastPortB = seg.dstPort;
  }

  /** Empties the one-entry cache: no port is -1, so no segment matches it. */
  private forgetLast(): void {
    this.last = undefined;
    this.lastA = this.lastB = '';
    this.lastPortA = this.lastPortB = -1;
  }

  private open(seg: Segment): TcpSession {
    const session = new TcpSession(this.idBase + ++this.count, seg, this.opts, this.pool);
    this.live++;
    this.table.set(seg.src, seg.srcPort, seg.dst, seg.dstPort, session);
    this.table.set(seg.dst, seg.dstPort, seg.src, seg.srcPort, session);
    this.remember(seg, session);
    this.fallbacks.opened(session.record, seg.time);
    return session;
  }
}
