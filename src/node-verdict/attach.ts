/**
 * Puts Node's reading of one side onto wirelens' messages (`MessageModel.node`), one message at a
 * time as the model hands them on, in stream order. A Node message is matched to wirelens' by where
 * their heads ended: Node parsed it from the chunk that held the last byte of the head wirelens
 * found. Node's stop goes to the first message whose bytes (with any excess after its body) reach
 * past where Node stopped, or, for a close, to the message Node was still reading or never got;
 * messages after it were never parsed by Node.
 */
import type { MessageModel } from '../model/types.js';
import type { Direction } from '../tcp/stream.js';
import type { Reader } from './reader.js';
import { parserVersion, type NodeMessage, type NodeStop, type NodeVerdict } from './types.js';

const PARSER = parserVersion();

const NOT_DELIVERED: Record<Direction, string> = {
  client: 'not delivered: Node read no request here (a different message boundary)',
  server: 'not delivered: Node read no message here (one response per request: a second response in the same segment is dropped)',
};

/** The verdicts of one side of a connection, given in stream order. */
export class SideVerdicts {
  private stopGiven = false;

  constructor(
    private readonly reader: Reader,
    private readonly direction: Direction,
  ) {}

  /** Node's verdict on the side's next message; null where Node's reading of it is unknown (after a gap or a tunnel). */
  verdictFor(m: MessageModel): NodeVerdict | null {
    const reader = this.reader;
    const node = m.offsets.headEnd === null ? undefined : reader.take(m.offsets.headEnd - 1);
    const stop = reader.stop;
    let own: NodeStop | null = null;
    let earlier: NodeStop | null = null;
    if (stop !== null) {
      if (this.stopGiven) earlier = stop;
      else if (holdsStop(m, node, stop)) {
        own = stop;
        this.stopGiven = true;
      }
    }
    if (node === undefined && own === null && earlier === null && reader.unknownAfter !== null) return null;
    const v = verdict(node, own, earlier, node === undefined && reader.closed !== null ? `never parsed: Node had closed the connection ${reader.closed}` : NOT_DELIVERED[this.direction]);
    if (!v.accepted) return v;
    v.differs = differences(m, node as NodeMessage);
    // Node has read the bytes wirelens' message ended with and still expects more of it.
    if (m.complete && !(node as NodeMessage).complete && own === null && !reader.done) v.differs.push(`Node was still reading the body (${(node as NodeMessage).bodyBytes} B so far) where wirelens' message ended`);
    return v;
  }
}

/** Node's stop is in this message (or the bytes after its body), or it is the close of the message Node was reading or never got. */
function holdsStop(m: MessageModel, node: NodeMessage | undefined, stop: NodeStop): boolean {
  if (stop.offset === null) return node === undefined || !node.complete;
  return stop.offset < extentEnd(m);
}

/** Where the message's bytes end, excess after its body included; unbounded while unfinished. */
function extentEnd(m: MessageModel): number {
  const excess = m.framing?.excess ?? null;
  if (excess !== null) return excess.offset + excess.bytes;
  return m.complete && m.offsets.bodyEnd !== null ? m.offsets.bodyEnd : Infinity;
}

function verdict(node: NodeMessage | undefined, stop: NodeStop | null, earlier: NodeStop | null, undelivered: string): NodeVerdict {
  const delivered = node !== undefined && node.refused === null ? node : undefined;
  const next =
    stop !== null
      ? stop.next
      : earlier !== null
        ? `never parsed: Node had stopped at ${earlier.code}${earlier.frame === null ? '' : ` (frame ${earlier.frame})`}`
        : node === undefined
          ? undelivered
          : node.refused;
  return {
    accepted: delivered !== undefined,
    code: stop?.code ?? null,
    reason: stop?.reason ?? null,
    offset: stop?.offset ?? null,
    frame: stop?.frame ?? null,
    method: delivered?.method ?? null,
    url: delivered?.url ?? null,
    status: delivered?.status ?? null,
    headers: delivered?.headers ?? null,
    bodyBytes: delivered?.bodyBytes ?? null,
    next,
    differs: [],
    parser: PARSER,
  };
}

/** Where Node's reading of a message it accepted differs from wirelens' (the desync signal). */
function differences(m: MessageModel, node: NodeMessage): string[] {
  const found: string[] = [];
  if (m.kind === 'request' && (node.method !== m.method || node.url !== m.target)) {
    found.push(`Node read the request as ${node.method ?? '?'} ${node.url ?? '?'}, wirelens as ${m.method ?? '?'} ${m.target ?? '?'}`);
  }
  if (m.kind === 'response' && node.status !== m.status) found.push(`Node read the status as ${node.status ?? 'none'}, wirelens as ${m.status ?? 'none'}`);
  if (node.headers !== m.headers.length) found.push(`Node's rawHeaders has ${node.headers} header fields, wirelens read ${m.headers.length}`);
  // Only finished messages: a body cut by the close or an error is short for both by design.
  if (node.complete && m.complete && m.framing !== null && node.bodyBytes !== m.framing.actualBodyBytes) {
    found.push(`Node read ${node.bodyBytes} B of body, wirelens ${m.framing.actualBodyBytes} B`);
  }
  return found;
}

/** The verdict is more than a plain "accepted": an error, a message Node did not deliver, or read differently. */
export function notAccepted(verdict: NodeVerdict | null): verdict is NodeVerdict {
  return verdict !== null && (!verdict.accepted || verdict.code !== null || verdict.differs.length > 0);
}
