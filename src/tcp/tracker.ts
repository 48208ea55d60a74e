import { TcpFlag, type Segment } from '../decode/segment.js';
import { BufferPool, type BufferLimits } from './budget.js';
import type { ConnectionRecord } from './connection.js';
import { FlowTable } from './flows.js';
import { TcpSession } from './session.js';
import type { StreamConsumer } from './stream.js';

export interface TrackerOptions {
  /** Called when a connection is first seen; returns its consumer (or undefined for none). */
  onConnection?(conn: ConnectionRecord): StreamConsumer | undefined;
  /** Called when a connection is closed or at finish(); the record is final-ish (late frames may still update stats). */
  onConnectionEnd?(conn: ConnectionRecord): void;
  /** Caps on buffered out-of-order bytes (defaults: 8 MiB per connection, 64 MiB in total; see budget.ts). */
  bufferLimits?: BufferLimits;
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
 */
export class TcpTracker {
  private readonly table = new FlowTable<TcpSession>();
  /**
   * The session of the previous segment and its endpoints: most segments belong to the same
   * connection as the one before (a burst of data, its ACK), so this skips the table. It is
   * always what the table holds for that 4-tuple: open() is the only writer of both.
   */
  private last: TcpSession | undefined = undefined;
  private lastA = '';
  private lastPortA = -1;
  private lastB = '';
  private lastPortB = -1;
  private readonly records: ConnectionRecord[] = [];
  private readonly pool: BufferPool;
  private finished = false;

  constructor(private readonly opts: TrackerOptions = {}) {
    this.pool = new BufferPool(opts.bufferLimits);
  }

  push(seg: Segment): void {
    let session = this.lookup(seg);
    if (session !== undefined && (seg.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN && session.isReplacedBy(seg)) {
      session.finish();
      session = undefined;
    }
    if (session === undefined) session = this.open(seg);
    session.push(seg);
  }

  /** End of capture: every connection still open is flushed and closed, in id order. Idempotent. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const sessions = [...new Set(this.table.values())].sort((a, b) => a.record.id - b.record.id);
    for (const session of sessions) session.finish();
  }

  /** Every connection seen, in id order. */
  connections(): ConnectionRecord[] {
    return this.records.slice();
  }

  private lookup(seg: Segment): TcpSession | undefined {
    const srcPort = seg.srcPort;
    const dstPort = seg.dstPort;
    if (
      (srcPort === this.lastPortA && dstPort === this.lastPortB && seg.src === this.lastA && seg.dst === this.lastB) ||
      (srcPort === this.lastPortB && dstPort === this.lastPortA && seg.src === this.lastB && seg.dst === this.lastA)
    ) {
      return this.last;
    }
    const session = this.table.get(seg.src, srcPort, seg.dst, dstPort);
    if (session !== undefined) this.remember(seg, session);
    return session;
  }

  private remember(seg: Segment, session: TcpSession): void {
    this.last = session;
    this.lastA = seg.src;
    this.lastPortA = seg.srcPort;
    this.lastB = seg.dst;
    this.lastPortB = seg.dstPort;
  }

  private open(seg: Segment): TcpSession {
    const session = new TcpSession(this.records.length + 1, seg, this.opts, this.pool);
    this.records.push(session.record);
    this.table.set(seg.src, seg.srcPort, seg.dst, seg.dstPort, session);
    this.table.set(seg.dst, seg.dstPort, seg.src, seg.srcPort, session);
    this.remember(seg, session);
    return session;
  }
}
