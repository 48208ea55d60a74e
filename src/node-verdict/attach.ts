/**
 * Puts Node's outcome for a connection onto wirelens' messages (`MessageModel.node`). Node's
 * messages are matched to wirelens' by where their heads ended: a Node message was parsed from the
 * segment that held the last byte of the head wirelens found. Node's stop goes to the message whose
 * bytes (or the bytes after whose body) it stopped in; messages after it were never parsed by Node.
 */
import type { ExchangeModel, MessageModel } from '../model/types.js';
import type { Direction } from '../tcp/stream.js';
import type { Located } from './replay.js';
import type { LocatedOutcome } from './replayer.js';
import { parserVersion, type NodeStop, type NodeVerdict } from './types.js';

export function attachVerdicts(exchanges: readonly ExchangeModel[], outcome: LocatedOutcome | null): void {
  const requests: MessageModel[] = [];
  const responses: MessageModel[] = [];
  for (const x of exchanges) {
    if (x.request !== null) requests.push(x.request);
    responses.push(...x.interim);
    if (x.response !== null) responses.push(x.response);
  }
  attachSide(requests, outcome, 'client');
  attachSide(responses, outcome, 'server');
}

function attachSide(messages: MessageModel[], outcome: LocatedOutcome | null, direction: Direction): void {
  if (outcome === null) {
    for (const m of messages) m.node = null;
    return;
  }
  const side = outcome.sides[direction];
  const matched = match(messages, outcome.located[direction]);
  const stopAt = side.stop === null ? -1 : stoppedIn(messages, matched, side.stop);
  const parser = parserVersion();
  messages.forEach((m, i) => {
    const node = matched.get(m);
    const stop = i === stopAt ? side.stop : null;
    if (node === undefined && stop === null && (stopAt < 0 || i < stopAt) && side.unknownAfter !== null) {
      m.node = null;
      return;
    }
    m.node = verdict(node, stop, stopAt >= 0 && i > stopAt ? side.stop : null, parser);
    m.node.differs = node === undefined ? [] : differences(m, node);
  });
}

/** Node's messages by the wirelens message whose head ended in the segment Node parsed them from. */
function match(messages: readonly MessageModel[], located: readonly Located[]): Map<MessageModel, Located> {
  const matched = new Map<MessageModel, Located>();
  let j = 0;
  for (const m of messages) {
    if (m.offsets.headEnd === null) continue;
    const last = m.offsets.headEnd - 1;
    // Node messages wirelens has no message for (a different message boundary) are passed over.
    while (j < located.length && located[j].chunkEnd <= last) j++;
    if (j < located.length && located[j].chunkStart <= last) matched.set(m, located[j++]);
  }
  return matched;
}

/** Index of the message Node stopped in (or after whose body it stopped). */
function stoppedIn(messages: readonly MessageModel[], matched: Map<MessageModel, Located>, stop: NodeStop): number {
  if (messages.length === 0) return -1;
  if (stop.offset !== null) {
    let at = 0;
    messages.forEach((m, i) => {
      if (m.offsets.headStart <= (stop.offset as number)) at = i;
    });
    return at;
  }
  // A close inside a message: the one Node was still reading, else the first it never delivered.
  const open = messages.findIndex((m) => matched.get(m)?.complete === false);
  if (open >= 0) return open;
  const undelivered = messages.findIndex((m) => !matched.has(m));
  return undelivered >= 0 ? undelivered : messages.length - 1;
}

function verdict(node: Located | undefined, stop: NodeStop | null, earlier: NodeStop | null, parser: string): NodeVerdict {
  const next =
    stop !== null
      ? stop.next
      : earlier !== null
        ? `never parsed: Node had stopped at ${earlier.code}${earlier.frame === null ? '' : ` (frame ${earlier.frame})`}`
        : node === undefined
          ? 'not delivered: Node read no message here (one response per request: a second response in the same segment is dropped)'
          : null;
  return {
    accepted: node !== undefined,
    code: stop?.code ?? null,
    reason: stop?.reason ?? null,
    offset: stop?.offset ?? null,
    frame: stop?.frame ?? null,
    method: node?.method ?? null,
    url: node?.url ?? null,
    status: node?.status ?? null,
    headers: node?.headers ?? null,
    bodyBytes: node?.bodyBytes ?? null,
    next,
    differs: [],
    parser,
  };
}

/** Where Node's reading of a message it accepted differs from wirelens' (the desync signal). */
function differences(m: MessageModel, node: Located): string[] {
  const found: string[] = [];
  if (m.kind === 'request' && (node.method !== m.method || node.url !== m.target)) {
    found.push(`Node read the request as ${node.method ?? '?'} ${node.url ?? '?'}, wirelens as ${m.method ?? '?'} ${m.target ?? '?'}`);
  }
  if (m.kind === 'response' && node.status !== m.status) found.push(`Node read the status as ${node.status ?? 'none'}, wirelens as ${m.status ?? 'none'}`);
  if (node.headers !== m.headers.length) found.push(`Node kept ${node.headers} header fields, wirelens read ${m.headers.length}`);
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
