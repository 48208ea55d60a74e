/**
 * Capture duplicates: one packet recorded twice. `tcpdump -i any` on a host with a Linux bridge
 * (Docker's docker0, a CNI bridge) sees every packet between two containers on both veth ports it
 * crosses; port mirroring of both directions does the same. TCP analysis would call the second copy
 * a retransmission (tshark does: "suspected retransmission", "Duplicate ACK"). A copy repeats the
 * direction's previous segment field for field — the IPv4 identification included, which a real
 * retransmission or duplicate ACK changes (the sender numbers every packet it sends) — within a
 * millisecond, with no segment of the peer in between: the kernel answers every segment that
 * arrives for a closed socket with the same RST (no timestamps, the same IP identification), and
 * two of those, each after a data segment of the peer, are two packets, not one seen twice.
 */
import { TcpFlag, type Segment } from '../decode/segment.js';

/** Seconds within which a repeat is one packet seen twice (a bridge forwards in microseconds). */
const WITHIN = 0.001;

/** The fields of a direction's last segment a copy must repeat (updated in place: no allocation per segment). */
export class LastSegment {
  private seen = false;
  private time = 0;
  private seq = 0;
  private ack = 0;
  private flags = 0;
  private window = 0;
  private length = 0;
  private ipId = -1;
  private tsval = -1;
  private tsecr = -1;

  /** The peer sent a segment: the next one of this direction answers it, it is no copy of the last. */
  answered(): void {
    this.seen = false;
  }

  /** Whether `seg` is a capture copy of the last segment; else it becomes the last segment. */
  repeatedBy(seg: Segment): boolean {
    const ts = seg.options.timestamp;
    const ipId = seg.ipId ?? -1;
    const length = seg.payloadLength;
    const copy =
      this.seen &&
      seg.time - this.time <= WITHIN &&
      seg.seq === this.seq &&
      seg.ack === this.ack &&
      seg.flags === this.flags &&
      seg.window === this.window &&
      length === this.length &&
      ipId === this.ipId &&
      (ts === undefined ? this.tsval === -1 : ts[0] === this.tsval && ts[1] === this.tsecr) &&
      // Without an IP identification (IPv6), an empty ACK repeated within a millisecond may be a
      // real duplicate ACK: only segments that carry something are taken for copies.
      (ipId !== -1 || length > 0 || (seg.flags & (TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST)) !== 0);
    if (copy) return true;
    this.seen = true;
    this.time = seg.time;
    this.seq = seg.seq;
    this.ack = seg.ack;
    this.flags = seg.flags;
    this.window = seg.window;
    this.length = length;
    this.ipId = ipId;
    this.tsval = ts === undefined ? -1 : ts[0];
    this.tsecr = ts === undefined ? -1 : ts[1];
    return false;
  }
}
