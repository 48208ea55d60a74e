/**
 * The TCP segments behind a connection, and what each one carried: the shared data of the TUI's
 * Segments tab, the ladder diagram and `wirelens diagram`. Pure functions over the model, no I/O.
 *
 * What a segment carried is told from the model alone — the stream offsets of each message
 * (MessageModel.offsets), its header frames (packing.headerFrames) and its chunk sizes — never by
 * parsing bytes again. A segment's payload starts at stream offset `seq - 1`: the tcp stage numbers
 * relative sequence numbers that way (Reassembler.relativeSeq), the same offsets the model uses.
 */
import type { SegmentKind } from '../tcp/reassembler.js';
import type { Direction, SegmentSeen } from '../tcp/stream.js';
import type { ExchangeModel, MessageModel } from './types.js';

export type { Direction, SegmentKind };

/** TCP flag bits of SegmentRecord.flags (as in the TCP header). */
export const SegmentFlag = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 } as const;

/**
 * One TCP segment of a tracked connection (the `segment` analysis event), as the tcp stage
 * reported it (tcp/stream.ts): relative seq/ack as Wireshark's tcp.seq/tcp.ack (SYN = 0, first
 * payload byte = 1), flags as in the TCP header (SegmentFlag), fileOffset -1 when unknown, and
 * `kind` what the payload was to the reassembly ('in-order', 'out-of-order', 'retransmission',
 * 'partial-retransmission', 'keep-alive', 'zero-window-probe', or 'none': no payload, and every RST).
 */
export type SegmentRecord = SegmentSeen;

export type SegmentMessage = 'request' | 'response' | 'interim';

/** A segment with what it carried. */
export interface SegmentRow extends SegmentRecord {
  /**
   * What it carried, ≤ 30 characters: 'SYN', 'SYN-ACK', 'ACK', 'FIN', 'RST', 'keep-alive', 'zero-window probe',
   * 'retransmission'; for payload, '<message> <exchange> <part>' — message 'req', 'resp' or '1xx',
   * part 'headers', 'headers 1/2' (a header section over several segments), 'headers+body 15 B',
   * 'body 20 B', 'chunk 3/4', 'chunks 1-2/4', 'chunk 4/4+last', 'last chunk', 'body 3 chunks'
   * (a whole chunked body) — several messages joined by ', ', two
   * requests' whole header sections as 'req 1+2 headers' (a pipelined burst); ' +12 B' for bytes
   * after a message that start no other (an overrun); ' +FIN' when the segment also carried the FIN; 'data 20 B' for bytes of no message (not HTTP, after a switch).
   */
  label: string;
  /** The exchange index (on the connection) whose bytes it carried; the first one when several. */
  exchange: number | null;
  message: SegmentMessage | null;
}

/** Longest label: the ladder and the TUI's Segments tab have this much room. */
export const MAX_LABEL = 30;

/** Labels every segment with what it carried, in the order given. */
export function labelSegments(segments: readonly SegmentRecord[], exchanges: readonly ExchangeModel[]): SegmentRow[] {
  const spans = { client: messageSpans(exchanges, 'client'), server: messageSpans(exchanges, 'server') };
  return segments.map((segment) => labelSegment(segment, spans[segment.direction]));
}

/**
 * labelSegments over a connection that grew, without labelling its history again: `rows` are the
 * labels of its earlier segments with the exchanges up to index `known`; `added` are the segment
 * records since, and `exchanges` now holds those with index > `known` too. The rows from the first
 * frame of a new segment or exchange on are labelled again with the exchanges that reach that far
 * (a segment carries bytes of messages whose frames include its own); the rows before it keep their
 * labels, which no later exchange can change. The same rows as labelSegments over the whole
 * (test/model/segments.test.ts checks it at every exchange of every scenario capture).
 */
export function extendLabels(rows: readonly SegmentRow[], added: readonly SegmentRecord[], exchanges: readonly ExchangeModel[], known: number): SegmentRow[] {
  let from = added.length > 0 ? added[0].frame : Infinity;
  for (const x of exchanges) if (x.index > known) from = Math.min(from, exchangeFrames(x).first);
  if (from === Infinity) return rows as SegmentRow[];
  let cut = rows.length;
  while (cut > 0 && rows[cut - 1].frame >= from) cut--;
  const reach = exchanges.filter((x) => exchangeFrames(x).last >= from);
  return [...rows.slice(0, cut), ...labelSegments([...rows.slice(cut), ...added], reach)];
}

/**
 * The frames an exchange spans: the first and the last that carried its messages, the close that
 * ended one included (Infinity and -Infinity without any). In stream order, not always capture
 * order (out-of-order delivery): every frame is looked at.
 */
export function exchangeFrames(exchange: ExchangeModel): { first: number; last: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const m of [exchange.request, ...exchange.interim, exchange.response]) {
    if (m === null) continue;
    for (const frame of m.frames) {
      if (frame < first) first = frame;
      if (frame > last) last = frame;
    }
    if (m.endFrame !== null) last = Math.max(last, m.endFrame);
  }
  return { first, last };
}

/**
 * The rows of one exchange (the TUI's Segments tab): from the first frame of its request (or of
 * its first response, when the request was not captured) to the frame that ended its response —
 * the ACKs in between included. Rows of a pipelined neighbour that fall in that span stay in.
 */
export function exchangeSegments(rows: readonly SegmentRow[], exchange: ExchangeModel): SegmentRow[] {
  const { first, last } = exchangeFrames(exchange);
  return rows.filter((r) => r.frame >= first && r.frame <= last);
}

/** One message's place in its direction's byte stream. */
interface Span {
  exchange: number;
  message: SegmentMessage;
  model: MessageModel;
  start: number;
  /** End of the header section (exclusive); null when it never completed. */
  headEnd: number | null;
  /** End of the message (exclusive): bodyEnd, else where the next message starts, else Infinity. */
  end: number;
  /** Wire ranges of the chunks (data chunks, then the last chunk), when they can be placed exactly. */
  chunks: Array<[number, number]> | null;
}

function messageSpans(exchanges: readonly ExchangeModel[], direction: Direction): Span[] {
  const spans: Span[] = [];
  for (const x of exchanges) {
    const add = (model: MessageModel | null, message: SegmentMessage): void => {
      if (model === null || model.direction !== direction) return;
      const { headStart, headEnd, bodyEnd } = model.offsets;
      spans.push({ exchange: x.index, message, model, start: headStart, headEnd, end: bodyEnd ?? Infinity, chunks: null });
    };
    add(x.request, 'request');
    for (const m of x.interim) add(m, 'interim');
    add(x.response, 'response');
  }
  spans.sort((a, b) => a.start - b.start);
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    const next = spans[i + 1];
    if (span.end === Infinity && next !== undefined) span.end = next.start;
    if (span.headEnd === null && next !== undefined) span.end = Math.min(span.end, next.start);
    span.chunks = chunkRanges(span);
  }
  return spans;
}

/**
 * Where each chunk sits on the wire, from the chunk sizes: `size-in-hex CRLF data CRLF`, then the
 * last chunk `0 CRLF CRLF`. Only when that adds up exactly to the body's end (no chunk extensions,
 * no trailers, no leading zeros, every size known): otherwise null and the body is labelled by bytes.
 */
function chunkRanges(span: Span): Array<[number, number]> | null {
  const framing = span.model.framing;
  if (framing === null || framing.kind !== 'chunked' || span.headEnd === null || span.model.offsets.bodyEnd === null) return null;
  const sizes = framing.chunkSizes ?? [];
  if (framing.lastChunk !== true || sizes.length !== framing.chunks || (framing.trailers?.length ?? 0) > 0) return null;
  const ranges: Array<[number, number]> = [];
  let at = span.headEnd;
  for (const size of sizes) {
    const length = size.toString(16).length + 2 + size + 2;
    ranges.push([at, at + length]);
    at += length;
  }
  ranges.push([at, at + 5]);
  return at + 5 === span.model.offsets.bodyEnd ? ranges : null;
}

function labelSegment(segment: SegmentRecord, spans: readonly Span[]): SegmentRow {
  const start = segment.seq - 1;
  const end = start + segment.length;
  const covered = segment.length > 0 ? overlapping(spans, start, end) : [];
  const first = covered[0];
  const row: SegmentRow = {
    ...segment,
    label: '',
    exchange: first === undefined ? null : first.exchange,
    message: first === undefined ? null : first.message,
  };
  row.label = shorten(segmentLabel(segment, covered, start, end));
  return row;
}

function segmentLabel(segment: SegmentRecord, covered: readonly Span[], start: number, end: number): string {
  const flags = segment.flags;
  // The capture's second copy of the segment before it (tcp/duplicate.ts), whatever it carried.
  if (segment.kind === 'duplicate') return 'duplicate';
  if ((flags & SegmentFlag.RST) !== 0) return 'RST';
  if ((flags & SegmentFlag.SYN) !== 0) return (flags & SegmentFlag.ACK) !== 0 ? 'SYN-ACK' : 'SYN';
  if (segment.kind === 'keep-alive') return 'keep-alive';
  if (segment.kind === 'zero-window-probe') return 'zero-window probe';
  if (segment.kind === 'retransmission') return 'retransmission';
  const fin = (flags & SegmentFlag.FIN) !== 0;
  if (segment.length === 0) return fin ? 'FIN' : 'ACK';
  const carried = payloadLabel(segment, covered, start, end);
  return fin ? `${carried} +FIN` : carried;
}

/** The spans that share a byte with [start, end), in stream order. */
function overlapping(spans: readonly Span[], start: number, end: number): Span[] {
  // Binary search for the last span starting at or before `start`, then walk forward.
  let lo = 0;
  let hi = spans.length - 1;
  let from = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].start <= start) {
      from = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  const found: Span[] = [];
  for (let i = from; i < spans.length && spans[i].start < end; i++) {
    if (spans[i].end > start) found.push(spans[i]);
  }
  return found;
}

interface Part {
  prefix: string;
  /** The message's name without its exchange number ('req'), to merge a pipelined burst. */
  who: string;
  exchange: number;
  what: string;
}

function payloadLabel(segment: SegmentRecord, covered: readonly Span[], start: number, end: number): string {
  if (covered.length === 0) return `data ${segment.length} B`;
  const parts = covered.map((span) => messagePart(span, segment.frame, start, end));
  const uncovered = segment.length - covered.reduce((n, s) => n + Math.max(0, Math.min(end, s.end) - Math.max(start, s.start)), 0);
  // Whole header sections of several messages of one kind (a pipelined burst): 'req 1+2 headers'.
  const same = parts.every((p) => p.who === parts[0].who && p.what === parts[0].what);
  const text =
    parts.length > 1 && same
      ? `${parts[0].who} ${parts.map((p) => p.exchange).join('+')} ${parts[0].what}`
      : parts.map((p) => `${p.prefix} ${p.what}`).join(', ');
  if (uncovered === 0) return text;
  // Bytes after the last message that started none (a Content-Length overrun, a tunnel's bytes).
  const extra = `${text} +${uncovered} B`;
  return extra.length <= MAX_LABEL ? extra : `${text} +data`;
}

function messagePart(span: Span, frame: number, start: number, end: number): Part {
  const who = span.message === 'request' ? 'req' : span.message === 'response' ? 'resp' : '1xx';
  const headEnd = span.headEnd ?? span.end;
  const head = start < headEnd && end > span.start;
  const bodyStart = Math.max(start, headEnd);
  const bodyEnd = Math.min(end, span.end);
  const body = span.headEnd !== null && bodyEnd > bodyStart ? bodyPart(span, bodyStart, bodyEnd) : null;
  let what: string;
  if (head) {
    const headerFrames = span.model.packing.headerFrames;
    const headers = headerFrames.length > 1 ? `headers ${headerFrames.indexOf(frame) + 1}/${headerFrames.length}` : 'headers';
    what = body === null ? headers : `${headers}+${body}`;
  } else {
    what = body ?? 'data';
  }
  return { prefix: `${who} ${span.exchange}`, who, exchange: span.exchange, what };
}

/** The body bytes [from, to): 'body 20 B', or the chunks they belong to. */
function bodyPart(span: Span, from: number, to: number): string {
  const chunks = span.chunks;
  if (chunks === null) return `body ${to - from} B`;
  const last = chunks.length - 1;
  let first = -1;
  let final = -1;
  for (let i = 0; i < chunks.length; i++) {
    if (chunks[i][0] < to && chunks[i][1] > from) {
      if (first < 0) first = i;
      final = i;
    }
  }
  if (first < 0) return `body ${to - from} B`;
  if (first === last) return 'last chunk';
  const withLast = final === last;
  // The whole chunked body in this segment (Node's res.end(body) with chunked encoding).
  if (first === 0 && withLast) return last === 1 ? 'body 1 chunk' : `body ${last} chunks`;
  const lastData = withLast ? final - 1 : final;
  const range = first === lastData ? `chunk ${first + 1}/${last}` : `chunks ${first + 1}-${lastData + 1}/${last}`;
  return withLast ? `${range}+last` : range;
}

function shorten(label: string): string {
  return label.length <= MAX_LABEL ? label : `${label.slice(0, MAX_LABEL - 1)}…`;
}
