import { TcpFlag, type Segment } from '../decode/segment.js';
import type { BufferPool } from './budget.js';
import type { ConnectionEndReason, ConnectionRecord, DirectionStats, FrameAt } from './connection.js';
import { History, recordSegment, type PayloadEvent } from './history.js';
import { Reassembler, type ReassemblySink, type SegmentKind } from './reassembler.js';
import { LastSegment } from './duplicate.js';
import { serverPort } from './roles.js';
import { seqAdd, seqDiff } from './seq.js';
import type { SettlingLink, SettlingList } from './settling.js';
import type { Direction, OverlapConflict, SegmentSeen, StreamChunk, StreamConsumer, StreamGap } from './stream.js';

/** What a session needs from its tracker: the user's hooks (see TrackerOptions). */
export interface SessionHooks {
  onConnection?(conn: ConnectionRecord): StreamConsumer | undefined;
  onConnectionEnd?(conn: ConnectionRecord, reason: ConnectionEndReason): void;
  guessRole?(payload: Uint8Array): Direction | null;
  onSegment?(conn: ConnectionRecord, segment: SegmentSeen): void;
}

/**
 * One TCP connection: its record (handshake, teardown, stats, gaps, history), its two
 * reassemblers and its consumer. The state is plain flags on the record — SYN/SYN-ACK/ACK seen,
 * FIN/RST per side — plus two lifecycle facts:
 *
 * - roles: decided by the first SYN (its sender is the client) or SYN-ACK (its sender is the
 *   server); when picked up mid-stream, by the first payload (hooks.guessRole, the protocol
 *   stage's opinion) and failing that by ports (roles.ts).
 *   Until then segments without payload are kept and replayed once decided; a RST, or
 *   MAX_PENDING such segments, make the ports decide.
 *   The consumer is asked for (onConnection) only when roles are known.
 * - closed: the consumer was ended (close(), or endOfCapture() at the end of the capture) — after
 *   both FINs were reached in stream order (every byte before them delivered or gapped), at a RST
 *   (after flushing), or at finish(). Later segments still count in frames, stats and history,
 *   but deliver nothing.
 */
export class TcpSession implements ReassemblySink, SettlingLink<TcpSession> {
  readonly record: ConnectionRecord;
  // The tracker's list of closed sessions waiting for late segments (settling.ts).
  settleOlder: TcpSession | null = null;
  settleNewer: TcpSession | null = null;
  settleSince = 0;
  settlingIn: SettlingList<TcpSession> | null = null;
  private readonly history = new History();
  private readonly pending: Segment[] = [];
  private rolesKnown = false;
  private consumer: StreamConsumer | undefined;
  private closed = false;
  private client!: Reassembler;
  private server!: Reassembler;
  private synAckSeq = 0;
  /** Endpoint of the first segment's sender, for port-reuse checks before roles are known. */
  private readonly firstSrc: string;
  private readonly firstSrcPort: number;
  /** Sequence number of the first segment seen from the first sender / from the other side. */
  private firstSeqA: number;
  private firstSeqB: number | null = null;
  private sawFin = false;
  private sawRst = false;
  /** Each direction's last segment, to tell a capture duplicate (duplicate.ts). */
  private readonly lastClient = new LastSegment();
  private readonly lastServer = new LastSegment();
  /** Left edge of the last D-SACK block each side sent (a repeated block reports the same duplicate). */
  private clientDsack = -1;
  private serverDsack = -1;

  constructor(
    id: number,
    first: Segment,
    private readonly hooks: SessionHooks,
    private readonly pool: BufferPool,
  ) {
    this.firstSrc = first.src;
    this.firstSrcPort = first.srcPort;
    this.firstSeqA = first.seq;
    const syn = (first.flags & TcpFlag.SYN) !== 0;
    this.record = {
      id,
      client: { ip: first.src, port: first.srcPort },
      server: { ip: first.dst, port: first.dstPort },
      ipVersion: first.ipVersion,
      firstFrame: first.frame,
      lastFrame: first.frame,
      startTime: first.time,
      endTime: first.time,
      midStream: !syn,
      handshake: { syn: null, synAck: null, ack: null, rtt: null, refused: false, fallback: null },
      teardown: {
        kind: 'open',
        closedFirstBy: null,
        clientFin: null,
        serverFin: null,
        clientRst: null,
        serverRst: null,
        halfClosed: false,
      },
      stats: { client: emptyStats(), server: emptyStats() },
      gaps: [],
      history: '',
    };
  }

  /**
   * tshark's port-reuse rule (packet-tcp.c): a SYN without ACK on this 4-tuple starts a new
   * connection when its sender was already seen with a different base sequence number, or when
   * this connection already saw a FIN or RST. A retransmitted SYN (same ISN) stays here.
   */
  isReplacedBy(syn: Segment): boolean {
    const fromA = syn.srcPort === this.firstSrcPort && syn.src === this.firstSrc;
    const base = fromA ? this.firstSeqA : this.firstSeqB;
    if (base === null) return false;
    return syn.seq !== base || this.sawFin || this.sawRst;
  }

  push(seg: Segment): void {
    if (this.firstSeqB === null && !(seg.srcPort === this.firstSrcPort && seg.src === this.firstSrc)) {
      this.firstSeqB = seg.seq;
    }
    if (!this.rolesKnown) {
      const clientIsSender = senderIsClient(seg, this.hooks.guessRole);
      if (clientIsSender === null) {
        this.pending.push(seg);
        // A RST ends the connection before any payload could tell; and a long run of empty
        // segments must not pile up (each pins its frame's read buffer): the ports decide.
        if ((seg.flags & TcpFlag.RST) !== 0 || this.pending.length >= MAX_PENDING) this.decideRolesByPorts();
        return;
      }
      this.decideRoles(clientIsSender ? seg.src : seg.dst, clientIsSender ? seg.srcPort : seg.dstPort);
    }
    this.process(seg);
  }

  /** The consumer has been ended (see the class comment); later segments only update the record. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Closed in order and acknowledged both ways: each side's FIN was reached and the other side
   * ACKed it, no RST. Nothing is outstanding on either side, so no segment is due any more but a
   * copy of one already seen, or a FIN resent because the final ACK was lost after the capture
   * point (an RTO later: 200 ms at least on Linux, 1 s by RFC 6298).
   */
  get isAckedClose(): boolean {
    return this.closed && !this.sawRst && this.rolesKnown && this.client.finAcked && this.server.finAcked;
  }

  /**
   * The end of the capture ('capture-end'), or a new SYN reused the 4-tuple ('replaced': the
   * connection is over, as at a close): decide roles if still unknown, give up on every hole, mark
   * a one-sided FIN as half-closed, end the consumer. Idempotent.
   */
  finish(reason: 'capture-end' | 'replaced'): void {
    if (!this.rolesKnown) this.decideRolesByPorts();
    if (this.closed) return;
    const td = this.record.teardown;
    if (td.kind === 'open' && (td.clientFin === null) !== (td.serverFin === null)) td.halfClosed = true;
    const cause = reason === 'capture-end' ? 'end-of-capture' : 'close';
    this.client.flush(cause, true);
    this.server.flush(cause, true);
    this.close(this.record.endTime, reason);
  }

  // --- ReassemblySink ---------------------------------------------------------------------------

  chunk(chunk: StreamChunk): void {
    if (!this.closed) this.consumer?.chunk(chunk);
  }

  gap(gap: StreamGap): void {
    if (this.closed) return;
    if (gap.cause !== 'truncated') {
      this.record.gaps.push({
        direction: gap.direction,
        offset: gap.offset,
        length: gap.length,
        frameAfter: gap.frameAfter,
        cause: gap.cause,
      });
      this.history.record('gap', gap.direction);
      this.record.history = this.history.text;
    }
    this.consumer?.gap(gap);
  }

  conflict(conflict: OverlapConflict): void {
    if (!this.closed) this.consumer?.overlapConflict?.(conflict);
  }

  // --- internals --------------------------------------------------------------------------------

  /** Roles from the ports of the first segment seen (roles.ts), then replay what was kept. */
  private decideRolesByPorts(): void {
    const first = this.pending[0];
    if (serverPort(first.srcPort, first.dstPort) === 'a') this.decideRoles(first.dst, first.dstPort);
    else this.decideRoles(first.src, first.srcPort);
  }

  private decideRoles(clientIp: string, clientPort: number): void {
    const rec = this.record;
    const first = { ip: this.firstSrc, port: this.firstSrcPort };
    const firstIsClient = clientPort === this.firstSrcPort && clientIp === this.firstSrc;
    if (!firstIsClient) {
      rec.server = first;
      rec.client = { ip: clientIp, port: clientPort };
      this.history.record('flipped', 'client');
    }
    this.rolesKnown = true;
    const account = this.pool.account();
    this.client = new Reassembler('client', rec.stats.client, this, account);
    this.server = new Reassembler('server', rec.stats.server, this, account);
    this.consumer = this.hooks.onConnection?.(rec);
    for (const seg of this.pending) this.process(seg);
    this.pending.length = 0;
  }

  private directionOf(seg: Segment): Direction {
    const c = this.record.client;
    return seg.srcPort === c.port && seg.src === c.ip ? 'client' : 'server';
  }

  private process(seg: Segment): void {
    const rec = this.record;
    const dir = this.directionOf(seg);
    // Two named loads rather than a keyed one (rec.stats[dir]) on the per-segment path.
    const stats = dir === 'client' ? rec.stats.client : rec.stats.server;
    const flags = seg.flags;
    stats.frames++;
    rec.lastFrame = seg.frame;
    rec.endTime = seg.time;
    // A segment of the peer in between may have called for an identical reply (duplicate.ts).
    (dir === 'client' ? this.lastServer : this.lastClient).answered();
    if ((dir === 'client' ? this.lastClient : this.lastServer).repeatedBy(seg)) {
      // The capture point saw the packet twice: the first copy was analysed, this one is not.
      stats.duplicates++;
      if (this.hooks.onSegment !== undefined) this.reportSegment(seg, dir, 'duplicate');
      return;
    }
    if (seg.payload.length < seg.payloadLength) stats.truncatedFrames++;

    if ((flags & TcpFlag.SYN) !== 0) this.onSyn(seg, dir);
    else if (dir === 'client') this.checkHandshakeAck(seg);
    this.anchorLostSyn(seg, dir);

    const rst = (flags & TcpFlag.RST) !== 0;
    // A RST's window is meaningless (often 0), so it is no zero-window advertisement.
    const zeroWindow = seg.window === 0 && !rst;
    if (zeroWindow) stats.zeroWindow++;

    let kind: SegmentKind = 'none';
    if (rst) {
      this.onRst(seg, dir);
    } else {
      const mine = dir === 'client' ? this.client : this.server;
      const peer = dir === 'client' ? this.server : this.client;
      // The ACK first: gaps it reveals in the peer's stream precede this segment's own bytes.
      if ((flags & TcpFlag.ACK) !== 0) {
        peer.ack(seg.ack, seg.frame, seg.time);
        if (seg.options.sack !== undefined) this.noteDsack(seg, dir);
      }
      // This segment's window is what the peer may send into: its probes depend on it.
      peer.peerWindowClosed = zeroWindow;
      kind = mine.push(seg);
      if ((flags & TcpFlag.FIN) !== 0) this.onFin(seg, dir);
      if (isNewData(kind) && (dir === 'client' ? rec.teardown.serverFin : rec.teardown.clientFin) !== null) {
        rec.teardown.halfClosed = true;
      }
      if (mine.finished && peer.finished) this.close(seg.time, 'close');
    }
    recordSegment(this.history, dir, flags, seg.payloadLength > 0 || seg.payload.length > 0, payloadEvent(kind), zeroWindow);
    rec.history = this.history.text;
    if (this.hooks.onSegment !== undefined) this.reportSegment(seg, dir, kind);
  }

  /**
   * A first SACK block at or below the cumulative ACK, or inside the second block, is a D-SACK
   * (RFC 2883 §4): the receiver got those bytes twice, so the peer's retransmission of them was
   * spurious. Counted once per block (an ACK repeating it reports the same duplicate).
   */
  private noteDsack(seg: Segment, dir: Direction): void {
    const blocks = seg.options.sack as Array<[number, number]>;
    const [left, right] = blocks[0];
    const second = blocks[1];
    const dsack = seqDiff(right, seg.ack) <= 0 || (second !== undefined && seqDiff(left, second[0]) >= 0 && seqDiff(right, second[1]) <= 0);
    if (!dsack || left === (dir === 'client' ? this.clientDsack : this.serverDsack)) return;
    if (dir === 'client') this.clientDsack = left;
    else this.serverDsack = left;
    const peerStats = dir === 'client' ? this.record.stats.server : this.record.stats.client;
    peerStats.spuriousRetransmissions++;
  }

  /** Tells onSegment about a processed segment, with Wireshark's relative seq/ack numbers. */
  private reportSegment(seg: Segment, dir: Direction, kind: SegmentKind): void {
    const mine = dir === 'client' ? this.client : this.server;
    const peer = dir === 'client' ? this.server : this.client;
    const hasAck = (seg.flags & TcpFlag.ACK) !== 0;
    this.hooks.onSegment?.(this.record, {
      connection: this.record.id,
      direction: dir,
      frame: seg.frame,
      time: seg.time,
      fileOffset: seg.fileOffset ?? -1,
      flags: seg.flags,
      // A side seen only through a RST has no origin: its sequence number is its first (0).
      seq: mine.relativeSeq(seg.seq) ?? 0,
      // A peer that has sent nothing yet starts where this ACK says (its byte 1).
      ack: hasAck ? (peer.relativeSeq(seg.ack) ?? 1) : null,
      length: Math.max(seg.payloadLength, seg.payload.length),
      kind,
    });
  }

  private onSyn(seg: Segment, dir: Direction): void {
    const hs = this.record.handshake;
    if ((seg.flags & TcpFlag.ACK) !== 0) {
      if (dir !== 'server' || hs.synAck !== null) return;
      hs.synAck = frameAt(seg);
      this.synAckSeq = seg.seq;
      hs.serverMss = seg.options.mss;
      hs.serverWindowScale = seg.options.windowScale;
      if (hs.syn !== null) hs.rtt = seg.time - hs.syn.time;
    } else if (dir === 'client' && hs.syn === null) {
      hs.syn = frameAt(seg);
      hs.clientMss = seg.options.mss;
      hs.clientWindowScale = seg.options.windowScale;
    }
  }

  /**
   * A side whose SYN the capture lost, while the peer's handshake segment is here: the SYN-ACK's
   * ACK says where the client's stream begins; after the client's SYN, its first ACK (the
   * handshake's third segment, or the request that followed it) says where the server's begins.
   */
  private anchorLostSyn(seg: Segment, dir: Direction): void {
    if ((seg.flags & (TcpFlag.ACK | TcpFlag.RST)) !== TcpFlag.ACK) return;
    if (dir === 'server' && (seg.flags & TcpFlag.SYN) !== 0) this.client.anchor(seg.ack);
    else if (dir === 'client' && (seg.flags & TcpFlag.SYN) === 0 && this.record.handshake.syn !== null) this.server.anchor(seg.ack);
  }

  /** The client's ACK that completes the handshake: the first one acking the SYN-ACK. */
  private checkHandshakeAck(seg: Segment): void {
    const hs = this.record.handshake;
    if (hs.synAck === null || hs.ack !== null) return;
    if ((seg.flags & (TcpFlag.ACK | TcpFlag.RST)) !== TcpFlag.ACK) return;
    if (seg.ack === seqAdd(this.synAckSeq, 1)) hs.ack = frameAt(seg);
  }

  private onFin(seg: Segment, dir: Direction): void {
    const td = this.record.teardown;
    this.sawFin = true;
    if (dir === 'client') td.clientFin ??= frameAt(seg);
    else td.serverFin ??= frameAt(seg);
    td.closedFirstBy ??= dir;
    if (td.kind === 'open' && td.clientFin !== null && td.serverFin !== null) td.kind = 'fin';
  }

  private onRst(seg: Segment, dir: Direction): void {
    const rec = this.record;
    const td = rec.teardown;
    this.sawRst = true;
    if (dir === 'client') td.clientRst ??= frameAt(seg);
    else td.serverRst ??= frameAt(seg);
    td.closedFirstBy ??= dir;
    // After both FINs the connection had already ended in order; a late RST does not change that.
    if (td.kind !== 'fin') td.kind = 'rst';
    if (dir === 'server' && rec.handshake.syn !== null && rec.handshake.synAck === null) rec.handshake.refused = true;
    if (this.closed) return;
    this.client.flush('close', true);
    this.server.flush('close', true);
    this.close(seg.time, 'close');
  }

  private close(time: number, reason: ConnectionEndReason): void {
    if (this.closed) return;
    this.closed = true;
    this.client.release();
    this.server.release();
    const consumer = this.consumer;
    if (reason === 'capture-end' && consumer?.endOfCapture !== undefined) consumer.endOfCapture(time);
    else consumer?.close(time);
    // The table keeps a closed session a while (late ACKs and retransmitted FINs still count in its
    // frames), but nothing is sent to its consumer again: let it go now, not when the tracker
    // retires the session.
    this.consumer = undefined;
    this.hooks.onConnectionEnd?.(this.record, reason);
  }
}

/** Segments without payload kept while roles are unknown, before the ports decide. */
const MAX_PENDING = 64;

function emptyStats(): DirectionStats {
  return {
    frames: 0,
    bytes: 0,
    retransmissions: 0,
    firstRetransmission: null,
    spuriousRetransmissions: 0,
    outOfOrder: 0,
    firstOutOfOrder: null,
    conflictingOverlaps: 0,
    zeroWindow: 0,
    keepAlives: 0,
    zeroWindowProbes: 0,
    truncatedFrames: 0,
    duplicates: 0,
  };
}

function frameAt(seg: Segment): FrameAt {
  return { frame: seg.frame, time: seg.time };
}

/**
 * Whether the sender of `seg` is the client, when the segment says so: a SYN (client), a SYN-ACK
 * (server), or a first payload — the protocol stage's guess from its bytes (`guessRole`: e.g. a
 * request line or a status line), else the ports. Null: no opinion yet.
 */
function senderIsClient(seg: Segment, guessRole: SessionHooks['guessRole']): boolean | null {
  const synAck = seg.flags & (TcpFlag.SYN | TcpFlag.ACK);
  if (synAck === TcpFlag.SYN) return true;
  if (synAck === (TcpFlag.SYN | TcpFlag.ACK)) return false;
  if (seg.payload.length === 0 || (seg.flags & TcpFlag.RST) !== 0) return null;
  const role = guessRole === undefined ? null : guessRole(seg.payload);
  if (role !== null) return role === 'client';
  return serverPort(seg.srcPort, seg.dstPort) === 'b';
}

function isNewData(kind: SegmentKind): boolean {
  return kind === 'in-order' || kind === 'out-of-order' || kind === 'partial-retransmission';
}

function payloadEvent(kind: SegmentKind): PayloadEvent {
  if (kind === 'retransmission' || kind === 'partial-retransmission') return 'retransmission';
  if (kind === 'in-order' || kind === 'out-of-order') return 'data';
  return null;
}
