/**
 * Request/response pairing for one connection. The pairing state (a FIFO of requests awaiting a
 * final response, which exchanges are finished) is kept here, apart from the Exchange records it
 * produces (Zeek's `State` vs `Info`). Each step is an explicit call that returns the exchange it
 * touched; nothing is re-pointed behind the caller's back.
 *
 * Order of events for one exchange: requestStarted → (responseHead → responseEnded)* (interim
 * 1xx, then the final response) and requestEnded, in any interleaving (a server may answer — 408,
 * 400 — before the request is complete). An exchange is emitted once its request has ended (or
 * there is none) and its final response has ended; flush() emits whatever is left.
 *
 * Capture loss: a gap in which a whole message may have begun (the parser says which gaps can)
 * would shift the FIFO by one for the rest of the connection — every later request "pipelined",
 * every response paired with the request before its own. So the pairing is told of such gaps:
 * - a response gap while requests await their final response: when the client then sends more —
 *   a new request, or bytes a request gap swallowed — having acknowledged the missing response
 *   bytes (it received them; the tcp stage delivers a gap before the bytes of the segment whose
 *   ACK revealed it), those requests count as answered in the gap (Exchange.lost): a client sends
 *   its next request on a connection once the previous answer is in. At the end of the
 *   connection, any response gap counts: the server sent bytes after the request, the capture
 *   lost them.
 * - a request gap: a response arriving with no request waiting answers a request lost there, until
 *   a response is paired with a request sent after the gap.
 * Without ACK numbers a pipelining client that loses responses in a gap can still be misread;
 * Node.js's Agent, browsers and curl do not pipeline.
 */
import type { StreamGap } from '../tcp/stream.js';
import { MessageMap } from './message-map.js';
import { DEVIATION, type Exchange, type LostMessage, type Message, type MessageKind } from './types.js';

export const DEFAULT_MAX_PENDING = 100;

/** Response gaps kept for requests delivered late (more would be a capture not worth pairing). */
const MAX_UNCLAIMED = 16;

export interface PairingOptions {
  /** Requests that may await a response at once; the next one is not paired (default 100). */
  maxPending?: number;
  /** Keep every exchange in `exchanges` (default true). */
  retain?: boolean;
  /** An exchange is finished (or flushed): its record is final. */
  onExchange?(exchange: Exchange): void;
}

/** How a response was attached. */
export type ResponseRole = 'interim' | 'final';

interface Slot {
  exchange: Exchange;
  requestDone: boolean;
  responseDone: boolean;
  /** Not in the pending queue (overflow): no response will be paired with it. */
  unpaired: boolean;
  emitted: boolean;
  /** A response gap, met while this exchange awaited its final response, in which that response may have begun. */
  answerGap: StreamGap | null;
  /** The request gap that preceded this request (see Pairing.lostRequests). */
  afterGap: StreamGap | null;
}

/** The peer received the missing bytes (it acknowledged them, or snaplen cut a frame that was sent). */
function receivedByPeer(gap: StreamGap): boolean {
  return gap.cause === undefined || gap.cause === 'acked-unseen' || gap.cause === 'truncated';
}

function lostIn(message: MessageKind, gap: StreamGap): LostMessage {
  const length = typeof gap.length === 'number' ? gap.length : null;
  return { message, gap: { direction: gap.direction, offset: gap.offset, length, frameAfter: gap.frameAfter, cause: gap.cause ?? null } };
}

/** 1xx other than 101 (which is final and switches protocols). */
export function isInterim(message: Message): boolean {
  return message.status !== undefined && message.status >= 100 && message.status < 200 && message.status !== 101;
}

export class Pairing {
  /** Every exchange, in index order (when retained). */
  readonly exchanges: Exchange[] = [];
  private readonly maxPending: number;
  private readonly retain: boolean;
  private readonly onExchange: ((exchange: Exchange) => void) | undefined;
  /** Exchanges awaiting their final response, oldest first. */
  private readonly pending: Slot[] = [];
  /** Exchanges not yet emitted, in index order. */
  private open: Slot[] = [];
  private readonly byMessage = new MessageMap<Slot>();
  private lastRequest: Slot | null = null;
  private nextIndex = 1;
  /** A request gap that may hold whole requests: responses with none waiting answer them. */
  private lostRequests: StreamGap | null = null;
  /**
   * The latest response gaps, in order (at most MAX_UNCLAIMED), until a response is seen: requests
   * the tcp stage delivers late — held behind a lost request until the server's ACK revealed the
   * hole — may have been answered in them.
   */
  private unclaimed: StreamGap[] = [];

  constructor(options: PairingOptions = {}) {
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.retain = options.retain ?? true;
    this.onExchange = options.onExchange;
  }

  /** Number of requests awaiting a final response. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** The exchange of the most recent request (null before the first). */
  get lastRequestExchange(): Exchange | null {
    return this.lastRequest?.exchange ?? null;
  }

  /**
   * Response bytes are missing and a response may have begun in them: each exchange awaiting its
   * final response may have been answered there (settled by the next request, or the end).
   */
  responseGap(gap: StreamGap): void {
    if (this.unclaimed.length === MAX_UNCLAIMED) this.unclaimed.shift();
    this.unclaimed.push(gap);
    for (const slot of this.pending) slot.answerGap ??= gap;
    // A request gap came after the oldest waiting request (the server's gap is only delivered once
    // the client's ACK or later data revealed it, so after the request gap that followed it on the
    // wire): the client had already sent more, as below.
    const oldest = this.pending[0];
    if (oldest !== undefined && this.lostRequests !== null && oldest.afterGap !== this.lostRequests) this.settleAnsweredInGaps(receivedByPeer);
  }

  /** Request bytes are missing and a request may have begun in them. */
  requestGap(gap: StreamGap): void {
    // The client sent more after the waiting requests: as when it starts a visible one (below).
    this.settleAnsweredInGaps(receivedByPeer);
    this.lostRequests = gap;
  }

  /** A request's first byte arrived: open its exchange. */
  requestStarted(request: Message): Exchange {
    // The client acknowledged response bytes the capture lost before sending this request.
    this.settleAnsweredInGaps(receivedByPeer);
    const previous = this.lastRequest;
    const slot = this.newSlot(request, previous !== null && !previous.responseDone);
    slot.afterGap = this.lostRequests;
    slot.answerGap = this.claimGapAfter(request.firstFrame);
    if (this.pending.length >= this.maxPending) {
      slot.unpaired = true;
      request.deviations.push({
        code: DEVIATION.PENDING_OVERFLOW,
        offset: request.offsets.headStart,
        message: `more than ${this.maxPending} requests await a response; this one is not paired`,
        frames: [request.firstFrame],
      });
    } else {
      this.pending.push(slot);
    }
    this.byMessage.set(request, slot);
    this.lastRequest = slot;
    return slot.exchange;
  }

  /** A request ended (complete or not). */
  requestEnded(request: Message): Exchange | null {
    const slot = this.byMessage.get(request);
    if (slot === undefined) return null;
    this.byMessage.delete(request);
    slot.requestDone = true;
    this.tryEmit(slot);
    return slot.exchange;
  }

  /**
   * A response's header section ended: attach it to the oldest exchange awaiting a final response
   * (as interim for 1xx but 101), or open an unmatched exchange (request null).
   */
  responseHead(response: Message): { exchange: Exchange; role: ResponseRole } {
    const known = this.byMessage.get(response);
    if (known !== undefined) return { exchange: known.exchange, role: known.exchange.response === response ? 'final' : 'interim' };
    const interim = isInterim(response);
    this.unclaimed.length = 0;
    let slot = this.pending[0];
    if (slot === undefined) {
      slot = this.newSlot(null, false);
      slot.unpaired = true;
      if (this.lostRequests !== null) slot.exchange.lost = lostIn('request', this.lostRequests);
    } else if (!interim) {
      this.pending.shift();
      // Answered a request sent after the gap: the requests lost in it are all accounted for.
      if (slot.afterGap !== null && slot.afterGap === this.lostRequests) this.lostRequests = null;
    }
    if (interim) slot.exchange.interim.push(response);
    else slot.exchange.response = response;
    this.byMessage.set(response, slot);
    return { exchange: slot.exchange, role: interim ? 'interim' : 'final' };
  }

  /** The exchange a response would be attached to now (for the method of the request it answers). */
  peekResponseTarget(): Exchange | null {
    return this.pending[0]?.exchange ?? null;
  }

  /** A response ended (complete or not). Pairs it first if its header section never completed. */
  responseEnded(response: Message): Exchange {
    if (!this.byMessage.has(response)) this.responseHead(response);
    const slot = this.byMessage.get(response) as Slot;
    this.byMessage.delete(response);
    if (slot.exchange.response === response || slot.exchange.request === null) {
      slot.responseDone = true;
      this.tryEmit(slot);
    }
    return slot.exchange;
  }

  /** End of the connection: emit every exchange not yet emitted, in index order. */
  flush(): void {
    // The server sent bytes after these requests that the capture lost: their answers, most likely.
    this.settleAnsweredInGaps(() => true);
    const open = this.open;
    this.open = [];
    for (const slot of open) this.emit(slot);
    this.pending.length = 0;
    this.byMessage.clear();
  }

  /**
   * The first unclaimed response gap revealed after `frame` (the request's first): bytes the server
   * sent that the client acknowledged only after this request left. Earlier ones go: they came
   * before this request, so before any later one too.
   */
  private claimGapAfter(frame: number): StreamGap | null {
    if (this.unclaimed.length === 0) return null;
    const at = this.unclaimed.findIndex((gap) => gap.frameAfter > frame);
    const gap = at === -1 ? null : this.unclaimed[at];
    this.unclaimed.splice(0, at === -1 ? this.unclaimed.length : at + 1);
    return gap;
  }

  /** Exchanges whose final response began in a gap (`counts` says which gaps) leave the queue, answered. */
  private settleAnsweredInGaps(counts: (gap: StreamGap) => boolean): void {
    if (this.pending.length === 0 || this.pending[0].answerGap === null) return;
    const answered = this.pending.filter((slot) => slot.answerGap !== null && counts(slot.answerGap));
    for (const slot of answered) {
      this.pending.splice(this.pending.indexOf(slot), 1);
      slot.exchange.lost = lostIn('response', slot.answerGap as StreamGap);
      slot.responseDone = true;
      this.tryEmit(slot);
    }
  }

  private newSlot(request: Message | null, pipelined: boolean): Slot {
    const exchange: Exchange = { index: this.nextIndex++, request, interim: [], response: null, pipelined, lost: null };
    const slot: Slot = { exchange, requestDone: request === null, responseDone: false, unpaired: false, emitted: false, answerGap: null, afterGap: null };
    this.open.push(slot);
    if (this.retain) this.exchanges.push(exchange);
    return slot;
  }

  private tryEmit(slot: Slot): void {
    if (slot.emitted || !slot.requestDone) return;
    if (!slot.responseDone && !(slot.unpaired && slot.exchange.request !== null)) return;
    const at = this.open.indexOf(slot);
    if (at !== -1) this.open.splice(at, 1);
    this.emit(slot);
  }

  private emit(slot: Slot): void {
    if (slot.emitted) return;
    slot.emitted = true;
    this.onExchange?.(slot.exchange);
  }
}
