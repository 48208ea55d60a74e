import { TcpFlag, type Segment } from '../decode/segment.js';
import { BufferPool, type BufferLimits } from './budget.js';
import type { ConnectionRecord } from './connection.js';
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
 * The connection table. Every segment is looked up once, by a key of both endpoints in the
 * segment's own direction; each connection is stored under its key and the reverse one, so either
 * direction finds it with a single Map lookup.
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
  private readonly table = new Map<string, TcpSession>();
  private readonly records: ConnectionRecord[] = [];
  private readonly pool: BufferPool;
  private finished = false;

  constructor(private readonly opts: TrackerOptions = {}) {
    this.pool = new BufferPool(opts.bufferLimits);
  }

  push(seg: Segment): void {
    const key = `${seg.src}|${seg.srcPort}|${seg.dst}|${seg.dstPort}`;
    let session = this.table.get(key);
    if (session !== undefined && (seg.flags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN && session.isReplacedBy(seg)) {
      session.finish();
      session = undefined;
    }
    if (session === undefined) session = this.open(seg, key);
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

  private open(seg: Segment, key: string): TcpSession {
    const session = new TcpSession(this.records.length + 1, seg, this.opts, this.pool);
    this.records.push(session.record);
    this.table.set(key, session);
    this.table.set(`${seg.dst}|${seg.dstPort}|${seg.src}|${seg.srcPort}`, session);
    return session;
  }
}
