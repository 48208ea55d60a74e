import { TcpFlag } from '../decode/segment.js';
import type { Direction } from './stream.js';

/**
 * The Zeek conn.log `history` string: one letter per kind of event, upper case when the
 * originator (our client) did it, lower case for the responder (our server). Letters, as Zeek
 * documents them (base/protocols/conn/main.zeek, Conn::Info$history):
 *
 *   s  a SYN without the ACK bit        h  a SYN+ACK ("handshake")
 *   a  a pure ACK                       d  a packet with payload ("data")
 *   f  a packet with the FIN bit        r  a packet with the RST bit
 *   g  a content gap                    t  a packet with retransmitted payload
 *   w  a zero window advertisement      i  inconsistent packet (FIN+RST)
 *   q  multi-flag packet (SYN+FIN or SYN+RST)
 *   ^  the connection direction was flipped by the heuristic (Zeek's originator is the sender of
 *      the first packet; ours is the guessed client, so '^' marks a first packet from the server)
 *
 * Simplifications (stated, deliberate):
 * - every letter is recorded at most once per direction, in first-occurrence order. Zeek repeats
 *   f/h/r/s when their sequence number changes and c/t/w at 10, 100, 1000… occurrences; we don't.
 * - 'c' (bad checksum) is never recorded: the decoder does not verify checksums (offloading makes
 *   captured checksums meaningless on the sending host anyway).
 * - a keep-alive probe gets no 'd' (its byte is old) and a 0-byte probe is a pure ACK ('a').
 * - within one packet the order is: q, s/h, i, d/t, f, r, a, w.
 *
 * A normal short HTTP connection closed by the client first reads `ShADadFf`.
 */

/** Each history event and its (responder, lower-case) letter. */
export const HistoryLetter = {
  syn: 's',
  synAck: 'h',
  ack: 'a',
  data: 'd',
  fin: 'f',
  rst: 'r',
  gap: 'g',
  retransmission: 't',
  zeroWindow: 'w',
  inconsistent: 'i',
  multiFlag: 'q',
  flipped: '^',
} as const;

export type HistoryEvent = keyof typeof HistoryLetter;

/** Bit index of each event; the client's bit is 2*i, the server's 2*i+1. */
const EVENT_INDEX: Record<HistoryEvent, number> = {
  syn: 0,
  synAck: 1,
  ack: 2,
  data: 3,
  fin: 4,
  rst: 5,
  gap: 6,
  retransmission: 7,
  zeroWindow: 8,
  inconsistent: 9,
  multiFlag: 10,
  flipped: 11,
};

/** Accumulates the history string; recording an event already seen is a bit test and nothing more. */
export class History {
  private seen = 0;
  /** The history string so far. */
  text = '';

  /** Records `event` for `direction` unless already recorded; returns whether it was new. */
  record(event: HistoryEvent, direction: Direction): boolean {
    const bit = 1 << (EVENT_INDEX[event] * 2 + (direction === 'client' ? 0 : 1));
    if ((this.seen & bit) !== 0) return false;
    this.seen |= bit;
    const letter: string = HistoryLetter[event];
    this.text += direction === 'client' ? letter.toUpperCase() : letter;
    return true;
  }
}

/** What a segment's payload was, for the history: new bytes, old bytes, or nothing to say. */
export type PayloadEvent = 'data' | 'retransmission' | null;

/**
 * Records the letters of one segment sent by `direction`, in the order documented above.
 * `payload` comes from reassembly (new vs retransmitted bytes); `hasPayload` says whether the
 * segment carried any byte at all (a pure ACK carries none).
 */
export function recordSegment(
  history: History,
  direction: Direction,
  flags: number,
  hasPayload: boolean,
  payload: PayloadEvent,
  zeroWindow: boolean,
): void {
  const syn = (flags & TcpFlag.SYN) !== 0;
  const fin = (flags & TcpFlag.FIN) !== 0;
  const rst = (flags & TcpFlag.RST) !== 0;
  const ack = (flags & TcpFlag.ACK) !== 0;
  if (syn) {
    if (fin || rst) history.record('multiFlag', direction);
    history.record(ack ? 'synAck' : 'syn', direction);
  }
  if (fin && rst) history.record('inconsistent', direction);
  if (payload !== null) history.record(payload, direction);
  if (fin) history.record('fin', direction);
  if (rst) history.record('rst', direction);
  if (ack && !syn && !fin && !rst && !hasPayload) history.record('ack', direction);
  if (zeroWindow) history.record('zeroWindow', direction);
}
