import type { Packet } from './capture-file.js';
import { int, type Rng } from './rng.js';
import { TcpFlag } from './synth.js';
import type { TcpConversation } from './tcp-conversation.js';

/** Linux's minimum delayed-ACK timeout (TCP_DELACK_MIN). */
export const DELAYED_ACK_US = 40_000;
/** Between back-to-back segments of one write: ≈ 1 Gbit/s for a 1514-byte frame. */
export const SEGMENT_GAP_US = 12;

/** Data one side has received and not acknowledged yet, and when its delayed ACK fires. */
interface PendingAck {
  bytes: number;
  dueUs: number;
}

/**
 * A connection's clock plus ACKs the way a Linux receiver sends them: at once when more than one
 * full segment is unacknowledged, otherwise piggybacked on the next segment it sends, or alone when
 * the 40 ms delayed-ACK timer fires first. Every method is a generator of the packets it causes, in
 * time order, so a connection reads as a script: `yield* t.send(...)`, `t.wait(...)`.
 */
export class TcpTimeline {
  /** Pure ACKs sent because the delayed-ACK timer fired (counted by the caller's stats). */
  delayedAcks = 0;
  private readonly pending: Record<'client' | 'server', PendingAck> = {
    client: { bytes: 0, dueUs: Infinity },
    server: { bytes: 0, dueUs: Infinity },
  };

  constructor(
    private readonly tcp: TcpConversation,
    private readonly rng: Rng,
    public us: number,
  ) {}

  wait(us: number): void {
    this.us += us;
  }

  /** SYN, SYN-ACK, ACK with a loopback-to-LAN round trip. */
  *handshake(): Generator<Packet> {
    yield this.tcp.packet(this.us, true, TcpFlag.SYN);
    this.wait(int(this.rng, 40, 250));
    yield this.tcp.packet(this.us, false, TcpFlag.SYN | TcpFlag.ACK);
    this.wait(int(this.rng, 10, 80));
    yield this.tcp.packet(this.us, true, TcpFlag.ACK);
  }

  /**
   * One write from a side: MSS-sized segments, PSH on the last. `startsRequest` marks the first
   * segment as the start of an HTTP request (for prefix statistics).
   */
  *send(fromClient: boolean, message: Uint8Array, startsRequest = false): Generator<Packet> {
    const mss = this.tcp.mss;
    for (let off = 0; off < message.length; off += mss) {
      if (off > 0) this.wait(SEGMENT_GAP_US + int(this.rng, 0, 3));
      const last = off + mss >= message.length;
      yield* this.segment(fromClient, last ? TcpFlag.PSH | TcpFlag.ACK : TcpFlag.ACK, message.subarray(off, off + mss), startsRequest && off === 0);
    }
  }

  /** A FIN (with ACK) from one side. */
  *fin(fromClient: boolean): Generator<Packet> {
    yield* this.segment(fromClient, TcpFlag.FIN | TcpFlag.ACK);
  }

  /** A pure ACK from one side, now (e.g. the last ACK of a teardown). */
  *ack(fromClient: boolean): Generator<Packet> {
    yield* this.segment(fromClient, TcpFlag.ACK);
  }

  /** Delayed ACKs still pending at the end (the capture keeps running a little past the last data). */
  *flush(): Generator<Packet> {
    yield* this.fireDelayedAcks(Infinity);
  }

  private *segment(fromClient: boolean, flags: number, payload?: Uint8Array, startsRequest = false): Generator<Packet> {
    yield* this.fireDelayedAcks(this.us);
    yield this.tcp.packet(this.us, fromClient, flags, payload, startsRequest);
    // Every segment but a SYN carries ACK, which settles what the sender owed.
    this.pending[fromClient ? 'client' : 'server'] = { bytes: 0, dueUs: Infinity };
    const length = payload?.length ?? 0;
    if (length === 0 && (flags & TcpFlag.FIN) === 0) return;
    const receiver = this.pending[fromClient ? 'server' : 'client'];
    if (receiver.bytes === 0) receiver.dueUs = this.us + DELAYED_ACK_US;
    receiver.bytes += length;
    if (receiver.bytes > this.tcp.mss) {
      this.wait(int(this.rng, 2, 6));
      yield this.tcp.packet(this.us, !fromClient, TcpFlag.ACK);
      this.pending[fromClient ? 'server' : 'client'] = { bytes: 0, dueUs: Infinity };
    }
  }

  /** Pure ACKs whose timer fired by `untilUs`, earliest first. */
  private *fireDelayedAcks(untilUs: number): Generator<Packet> {
    for (;;) {
      const { client, server } = this.pending;
      const side = client.dueUs <= server.dueUs ? 'client' : 'server';
      const due = this.pending[side].dueUs;
      if (due > untilUs || due === Infinity) return;
      this.pending[side] = { bytes: 0, dueUs: Infinity };
      this.delayedAcks++;
      yield this.tcp.packet(due, side === 'client', TcpFlag.ACK);
    }
  }
}
