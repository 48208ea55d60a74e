import { TcpFlag, type Segment } from '../decode/segment.js';
import type { BufferAccount } from './budget.js';
import type { DirectionStats } from './connection.js';
import { RecentDeliveries } from './recent.js';
import { seqAdd, seqDiff } from './seq.js';
import type { Direction, GapCause, OverlapConflict, StreamChunk, StreamGap } from './stream.js';

/**
 * Per-direction TCP reassembly: turns one side's segments, in capture order, into its byte stream
 * in stream order. It knows nothing about HTTP and nothing about the other direction except what
 * the tracker tells it through `ack()`.
 *
 * Stream offsets are plain JS numbers (offset 0 = the byte after the SYN, or the first byte seen
 * when the SYN was not captured), so streams longer than 4 GiB keep exact offsets; sequence numbers
 * are only ever converted relative to the next expected one, with wrap-safe arithmetic (seq.ts).
 *
 * What it does with each segment:
 * - in order: delivered at once as a StreamChunk whose bytes are the payload view itself (no copy,
 *   no allocation beyond the chunk object); a chunk never spans frames;
 * - partly old: only the new tail is delivered (a subarray); the old part is compared with the
 *   first copy;
 * - all old: a retransmission — counted, compared with the first copy, dropped;
 * - ahead of a hole: out of order — copied (the only bytes ever copied, since they are kept) into a
 *   sorted buffer, delivered when the hole fills;
 * - 0 or 1 byte at next-1 without SYN/FIN: a keep-alive probe — counted, nothing else.
 * Overlapping bytes are always compared: the first copy wins, and a differing copy is counted in
 * conflictingOverlaps and reported to the sink.
 *
 * Holes are never glued over: when the peer acknowledges bytes we never saw, when the buffer caps
 * are hit (budget.ts), and when the tracker flushes at RST/close/end of capture, the missing range
 * becomes a StreamGap and reassembly continues after it.
 */

/** Where the reassembler's output goes (the tracker's per-connection session). */
export interface ReassemblySink {
  chunk(chunk: StreamChunk): void;
  gap(gap: StreamGap): void;
  conflict(conflict: OverlapConflict): void;
}

/** What one segment's payload turned out to be. */
export type SegmentKind =
  /** No payload (pure ACK, bare SYN/FIN). */
  | 'none'
  /** New bytes at the next expected offset (possibly followed by buffered bytes). */
  | 'in-order'
  /** New bytes ahead of a hole, buffered. */
  | 'out-of-order'
  /** Some bytes already seen, the rest new. */
  | 'partial-retransmission'
  /** Every byte already seen. */
  | 'retransmission'
  /** A probe at snd_una - 1 with 0 or 1 old byte, from a side whose peer is idle (TCP keep-alive). */
  | 'keep-alive'
  /**
   * The same probe from a side whose peer advertised a zero window: Linux probes a closed window
   * exactly as it probes an idle peer (tcp_xmit_probe_skb), so only the window tells them apart
   * (tshark calls both keep-alive). Also the one-byte probe other stacks resend into a closed window.
   */
  | 'zero-window-probe'
  /** The same packet captured twice (tcp/duplicate.ts): ignored by the reassembly. */
  | 'duplicate';

/**
 * An ACK that claims more than this many unseen bytes is not believed (a garbage ack field, or a
 * RST-style ack of 0): real capture loss is far smaller than a gigabyte in flight.
 */
const MAX_ACK_AHEAD = 1 << 30;

/**
 * A range of stream bytes with provenance. `bytes` covers [offset, offset + bytes.length); the rest
 * of [offset, offset + length) was on the wire but cut by snaplen.
 */
interface Piece {
  offset: number;
  length: number;
  bytes: Uint8Array;
  frame: number;
  time: number;
  /** Bytes reserved in the BufferAccount for this piece (0 for a transient view). */
  cost: number;
}

export class Reassembler {
  private started = false;
  /** Sequence number of the next expected payload byte (a SYN or FIN is not a byte). */
  private nextSeq = 0;
  /** Stream offset of the next expected payload byte. */
  private nextOffset = 0;
  /** Stream offset at which this side's FIN sits, once seen. */
  private finOffset: number | null = null;
  private finFrame = 0;
  private finTime = 0;
  private finDone = false;
  /** The peer acknowledged this side's FIN (an ACK past the FIN's sequence number). */
  private finAckedByPeer = false;
  /** The stream's origin is known: this side's SYN, or the peer's handshake segment acknowledging it (false: picked up mid-stream). */
  private fromSyn = false;
  /** The peer's latest ACK before this side sent anything: where the peer expects our stream. */
  private ackHint: number | null = null;
  /** Out-of-order pieces: sorted by offset, non-overlapping, all after nextOffset. */
  private readonly held: Piece[] = [];

  /** Delivered views kept for first-copy comparison; null once released (closed connections stay small). */
  private recent: RecentDeliveries | null = new RecentDeliveries();

  /** First differing byte found while handling the current segment (-1: none). */
  private conflictOffset = -1;
  private conflictFirstFrame = 0;
  /** release() was called: keep counting, stop buffering. */
  private released = false;
  /**
   * The peer's last segment (RSTs aside) advertised a zero window: this side's probes are then
   * zero-window probes. Set by the session, which sees both directions.
   */
  peerWindowClosed = false;

  constructor(
    readonly direction: Direction,
    private readonly stats: DirectionStats,
    private readonly sink: ReassemblySink,
    private readonly account: BufferAccount,
  ) {}

  /** This side's FIN has been reached in stream order: every byte before it was delivered or gapped. */
  get finished(): boolean {
    return this.finDone;
  }

  /** This side's FIN was reached and the peer acknowledged it: nothing of this side is outstanding. */
  get finAcked(): boolean {
    return this.finDone && this.finAckedByPeer;
  }

  /** A FIN was seen from this side (possibly before bytes that precede it). */
  get finSeen(): boolean {
    return this.finOffset !== null;
  }

  /**
   * Wireshark's relative sequence number (`tcp.seq`) of `seq` in this direction: the stream offset
   * of the byte it numbers + 1, so the SYN is 0 and a segment's payload starts at stream offset
   * relativeSeq - 1 (as MessageModel.offsets count). Mid-stream, the first byte seen is 1. Null
   * before this side's first segment.
   */
  relativeSeq(seq: number): number | null {
    return this.started ? this.nextOffset + seqDiff(seq, this.nextSeq) + 1 : null;
  }

  /** Feeds one segment sent by this side. RST segments are the tracker's business, not ours. */
  push(seg: Segment): SegmentKind {
    const flags = seg.flags;
    const syn = (flags & TcpFlag.SYN) !== 0;
    const fin = (flags & TcpFlag.FIN) !== 0;
    if (syn) this.onSyn(seg.seq);
    else if (!this.started) this.start(this.ackHint !== null && seqDiff(seg.seq, this.ackHint) === -1 ? this.ackHint : seg.seq);

    // A SYN occupies one sequence number before the first payload byte.
    const rel = seqDiff(syn ? seqAdd(seg.seq, 1) : seg.seq, this.nextSeq);
    const wireLength = Math.max(seg.payloadLength, seg.payload.length);

    // Linux and most stacks probe an idle peer with snd_una - 1 and 0 or 1 byte: the byte (if any)
    // is old, so it is neither data nor a retransmission worth counting.
    if (rel === -1 && wireLength <= 1 && !syn && !fin) return this.probe();

    const start = this.nextOffset + rel;
    let kind: SegmentKind = 'none';
    if (wireLength > 0) {
      this.conflictOffset = -1;
      kind = this.accept(seg, start, wireLength);
      if (this.conflictOffset >= 0) this.reportConflict(seg);
    }
    // A FIN seen earlier (ahead of these bytes) may have just been reached.
    if (fin) this.onFin(start + wireLength, seg.frame, seg.time);
    else if (this.finOffset !== null) this.finishIfFinReached();
    return kind;
  }

  /**
   * The peer acknowledged `ack` (a segment of the other direction with the ACK flag). Acked
   * delivered bytes are forgotten; acked bytes we never saw become 'acked-unseen' gaps.
   */
  ack(ack: number, frame: number, time: number): void {
    if (!this.started) {
      // Picked up mid-stream: if our first segment turns out to be a keep-alive probe (at ack-1),
      // this says where the stream really continues.
      this.ackHint = ack;
      return;
    }
    const rel = seqDiff(ack, this.nextSeq);
    if (!this.fromSyn && this.nextOffset === 0 && this.held.length === 0 && this.finOffset === null) {
      // Mid-stream and no byte of ours seen yet (only ACKs or probes): nothing can be missing from
      // a stream we never saw begin, the ACK just tells where it continues.
      if (rel > 0 && rel <= MAX_ACK_AHEAD) this.nextSeq = ack;
      return;
    }
    if (rel <= 0) {
      this.recent?.forgetThrough(this.nextOffset + rel);
      return;
    }
    if (rel > MAX_ACK_AHEAD) return;
    let target = this.nextOffset + rel;
    // The FIN takes the sequence number after its offset: an ACK beyond it acknowledges the FIN.
    if (this.finOffset !== null && target > this.finOffset) this.finAckedByPeer = true;
    // The FIN's sequence number is acked too, but it is not a byte.
    if (this.finOffset !== null && target > this.finOffset) target = this.finOffset;
    this.drain();
    while (this.nextOffset < target) {
      const head = this.held[0];
      const holeEnd = head !== undefined && head.offset < target ? head.offset : target;
      if (head !== undefined && head.offset === holeEnd) this.gapTo(holeEnd, 'acked-unseen', head.frame, head.time);
      else this.gapTo(holeEnd, 'acked-unseen', frame, time);
      this.drain();
    }
    this.finishIfFinReached();
    this.recent?.forgetThrough(this.nextOffset);
  }

  /**
   * This side's SYN was lost, but the peer's handshake acknowledged it (the SYN-ACK's ACK for the
   * client's stream, the client's first ACK for the server's): `next` is the sequence number of
   * this side's first payload byte, as certain as if the SYN had been seen. Bytes from there that
   * the capture misses are then gaps, not a later start (Wireshark bases relative numbers on the
   * same ACK). No-op once this side's stream has started.
   */
  anchor(next: number): void {
    if (this.started) return;
    this.start(next);
    this.fromSyn = true;
  }

  /**
   * Gives up on every hole: each becomes a gap with `cause`, and all buffered bytes are delivered.
   * With `throughFin`, bytes missing before a seen FIN become a gap too (the FIN proves they were
   * sent) — used at RST, close and end of capture.
   */
  flush(cause: GapCause, throughFin: boolean): void {
    this.flushHeld(cause);
    if (throughFin && this.finOffset !== null && this.finOffset > this.nextOffset) {
      this.gapTo(this.finOffset, cause, this.finFrame, this.finTime);
    }
    this.finishIfFinReached();
  }

  /**
   * Drops every view and buffered copy: the connection is over. Later segments are still
   * classified and counted, but out-of-order bytes are no longer kept.
   */
  release(): void {
    this.released = true;
    for (const p of this.held) this.account.release(p.cost);
    this.held.length = 0;
    this.recent = null;
  }

  // --- segment handling -------------------------------------------------------------------------

  private start(seq: number): void {
    this.started = true;
    this.nextSeq = seq;
    this.nextOffset = 0;
  }

  private onSyn(seq: number): void {
    // (Re)start from the SYN unless bytes were already placed: a retransmitted SYN restarts at the
    // same place, a SYN after mid-stream ACKs corrects the origin.
    if (!this.started || (this.nextOffset === 0 && this.held.length === 0 && this.finOffset === null)) {
      this.start(seqAdd(seq, 1));
      this.fromSyn = true;
    }
  }

  private onFin(offset: number, frame: number, time: number): void {
    if (this.finOffset === null) {
      this.finOffset = offset;
      this.finFrame = frame;
      this.finTime = time;
    }
    this.finishIfFinReached();
  }

  private finishIfFinReached(): void {
    if (!this.finDone && this.finOffset !== null && this.nextOffset >= this.finOffset) this.finDone = true;
  }

  /**
   * A probe at snd_una - 1: into a window the peer closed it is a zero-window probe — data waits
   * for the window to open — otherwise a TCP keep-alive probe of an idle connection.
   */
  private probe(): SegmentKind {
    if (this.peerWindowClosed) {
      this.stats.zeroWindowProbes++;
      return 'zero-window-probe';
    }
    this.stats.keepAlives++;
    return 'keep-alive';
  }

  private accept(seg: Segment, start: number, wireLength: number): SegmentKind {
    const end = start + wireLength;
    if (end <= this.nextOffset) {
      this.compareWithDelivered(seg.payload, start, end);
      // BSD, macOS and Windows probe a closed window with one byte of new data (Wireshark's
      // ZeroWindowProbe), resent until the window opens: a repeat of it is a probe, not a
      // retransmission (the first copy stays data).
      if (wireLength === 1 && this.peerWindowClosed) {
        this.stats.zeroWindowProbes++;
        return 'zero-window-probe';
      }
      this.stats.retransmissions++;
      this.stats.firstRetransmission ??= seg.frame;
      return 'retransmission';
    }
    if (start > this.nextOffset) return this.hold(seg, start, wireLength);
    if (start === this.nextOffset && this.held.length === 0 && seg.payload.length === wireLength) {
      // The hot path: in order, nothing buffered, nothing cut. No copy, one allocation.
      this.deliver(seg.payload, start, seg.frame, seg.time);
      return 'in-order';
    }
    let kind: SegmentKind = 'in-order';
    if (start < this.nextOffset) {
      this.stats.retransmissions++;
      this.stats.firstRetransmission ??= seg.frame;
      this.compareWithDelivered(seg.payload, start, this.nextOffset);
      kind = 'partial-retransmission';
    }
    this.consume({ offset: start, length: wireLength, bytes: seg.payload, frame: seg.frame, time: seg.time, cost: 0 });
    this.drain();
    this.finishIfFinReached();
    return kind;
  }

  /**
   * Delivers the in-order piece `p` from nextOffset to its end. Buffered pieces it overlaps arrived
   * first, so they win: their bytes are delivered (with their frames) and compared with `p`'s.
   */
  private consume(p: Piece): void {
    const end = p.offset + p.length;
    while (this.nextOffset < end) {
      const head = this.held[0];
      if (head !== undefined && head.offset <= this.nextOffset) {
        this.compareRanges(p, head, this.nextOffset, Math.min(end, head.offset + head.length));
        this.emitHeld();
        continue;
      }
      const stop = head !== undefined && head.offset < end ? head.offset : end;
      this.emitRange(p, this.nextOffset, stop);
    }
  }

  /** Buffers the parts of an out-of-order segment not already buffered. */
  private hold(seg: Segment, start: number, wireLength: number): SegmentKind {
    const incoming: Piece = { offset: start, length: wireLength, bytes: seg.payload, frame: seg.frame, time: seg.time, cost: 0 };
    const fresh = this.uncoveredPieces(incoming);
    if (fresh.length === 0) {
      this.stats.retransmissions++;
      this.stats.firstRetransmission ??= seg.frame;
      return 'retransmission';
    }
    this.stats.outOfOrder++;
    this.stats.firstOutOfOrder ??= seg.frame;
    if (this.released) return 'out-of-order';
    let cost = 0;
    for (const p of fresh) cost += p.bytes.length;
    if (this.account.tryReserve(cost)) {
      for (const p of fresh) {
        // Copy: these bytes outlive the call. `new Uint8Array(view)` copies even for a Buffer,
        // whose .slice() would not.
        p.bytes = new Uint8Array(p.bytes);
        p.cost = p.bytes.length;
        this.insertHeld(p);
      }
    } else {
      // Over a cap: degrade by flushing this direction (see budget.ts). The new pieces are
      // delivered straight from the payload view, so nothing more is reserved.
      for (const p of fresh) this.insertHeld(p);
      this.flushHeld('buffer-limit');
      this.finishIfFinReached();
    }
    return 'out-of-order';
  }

  /**
   * The sub-ranges of `p` no buffered piece covers (as views of `p`), in order. Overlapping bytes
   * are compared with the buffered first copy on the way.
   */
  private uncoveredPieces(p: Piece): Piece[] {
    const end = p.offset + p.length;
    const out: Piece[] = [];
    let cursor = p.offset;
    for (const h of this.held) {
      const hEnd = h.offset + h.length;
      if (hEnd <= cursor) continue;
      if (h.offset >= end) break;
      if (h.offset > cursor) out.push(subPiece(p, cursor, h.offset));
      this.compareRanges(p, h, Math.max(cursor, h.offset), Math.min(end, hEnd));
      cursor = hEnd;
    }
    if (cursor < end) out.push(subPiece(p, cursor, end));
    return out;
  }

  private insertHeld(p: Piece): void {
    let i = this.held.length;
    while (i > 0 && this.held[i - 1].offset > p.offset) i--;
    this.held.splice(i, 0, p);
  }

  /** Delivers buffered pieces that the stream has reached. */
  private drain(): void {
    while (this.held.length > 0 && this.held[0].offset <= this.nextOffset) this.emitHeld();
  }

  /** Every hole before buffered data becomes a gap; every buffered byte is delivered. */
  private flushHeld(cause: GapCause): void {
    while (this.held.length > 0) {
      const head = this.held[0];
      if (head.offset > this.nextOffset) this.gapTo(head.offset, cause, head.frame, head.time);
      this.emitHeld();
    }
  }

  /** Removes the first buffered piece and delivers what of it lies at or after nextOffset. */
  private emitHeld(): void {
    const head = this.held.shift()!;
    this.account.release(head.cost);
    const end = head.offset + head.length;
    if (end > this.nextOffset) this.emitRange(head, this.nextOffset, end);
  }

  /** Delivers [from, to) of `p`: its captured bytes as a chunk, its snaplen-cut tail as a gap. */
  private emitRange(p: Piece, from: number, to: number): void {
    const capturedEnd = p.offset + p.bytes.length;
    if (from < capturedEnd) {
      const stop = Math.min(to, capturedEnd);
      const whole = from === p.offset && stop === capturedEnd;
      this.deliver(whole ? p.bytes : p.bytes.subarray(from - p.offset, stop - p.offset), from, p.frame, p.time);
      from = stop;
    }
    if (from < to) this.gapTo(to, 'truncated', p.frame, p.time);
  }

  // --- output -----------------------------------------------------------------------------------

  private deliver(bytes: Uint8Array, offset: number, frame: number, time: number): void {
    this.advance(bytes.length);
    this.stats.bytes += bytes.length;
    this.recent?.remember(bytes, offset, frame);
    const chunk: StreamChunk = { direction: this.direction, offset, bytes, frame, time };
    this.sink.chunk(chunk);
  }

  /** Declares [nextOffset, to) missing and moves past it. */
  private gapTo(to: number, cause: GapCause, frameAfter: number, time: number): void {
    const offset = this.nextOffset;
    const length = to - offset;
    this.advance(length);
    this.sink.gap({ direction: this.direction, offset, length, frameAfter, time, cause });
  }

  private advance(n: number): void {
    this.nextOffset += n;
    this.nextSeq = seqAdd(this.nextSeq, n);
  }

  // --- first-copy comparison --------------------------------------------------------------------

  /** Compares the captured bytes of a payload starting at `start`, over [start, to), with remembered deliveries. */
  private compareWithDelivered(payload: Uint8Array, start: number, to: number): void {
    const capturedEnd = Math.min(to, start + payload.length);
    if (capturedEnd <= start || this.recent === null) return;
    this.recent.find(start, capturedEnd, (hit) => {
      const from = Math.max(start, hit.offset);
      const until = Math.min(capturedEnd, hit.offset + hit.bytes.length);
      const diff = firstDifference(payload, start, hit.bytes, hit.offset, from, until);
      if (diff >= 0) this.noteConflict(diff, hit.frame);
      return diff >= 0;
    });
  }

  /** Compares `incoming` with the first copy `first` over [from, to) (captured bytes only). */
  private compareRanges(incoming: Piece, first: Piece, from: number, to: number): void {
    const until = Math.min(to, incoming.offset + incoming.bytes.length, first.offset + first.bytes.length);
    if (from >= until || this.conflictOffset >= 0) return;
    const diff = firstDifference(incoming.bytes, incoming.offset, first.bytes, first.offset, from, until);
    if (diff >= 0) this.noteConflict(diff, first.frame);
  }

  private noteConflict(offset: number, firstFrame: number): void {
    if (this.conflictOffset < 0) {
      this.conflictOffset = offset;
      this.conflictFirstFrame = firstFrame;
    }
  }

  /** One conflict is counted per segment, however many bytes differ. */
  private reportConflict(seg: Segment): void {
    this.stats.conflictingOverlaps++;
    this.sink.conflict({
      direction: this.direction,
      offset: this.conflictOffset,
      frame: seg.frame,
      firstFrame: this.conflictFirstFrame,
      time: seg.time,
    });
  }
}

/** [from, to) of `p` as a transient view (no copy). */
function subPiece(p: Piece, from: number, to: number): Piece {
  const capturedEnd = p.offset + p.bytes.length;
  const bytes = p.bytes.subarray(Math.min(from, capturedEnd) - p.offset, Math.min(to, capturedEnd) - p.offset);
  return { offset: from, length: to - from, bytes, frame: p.frame, time: p.time, cost: 0 };
}

/**
 * Stream offset of the first byte in [from, to) where `a` (holding stream bytes from `aAt`) and
 * `b` (from `bAt`) differ, or -1. The caller guarantees both cover [from, to).
 */
function firstDifference(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number, from: number, to: number): number {
  for (let off = from; off < to; off++) {
    if (a[off - aAt] !== b[off - bAt]) return off;
  }
  return -1;
}
