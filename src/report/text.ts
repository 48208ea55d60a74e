import type { Deviation, HeaderField, StreamDeviation } from '../http/types.js';
import { formatDuration } from '../text/units.js';
import { plural } from '../text/plural.js';
import type { Finding } from '../lint/types.js';
import type { CaptureSummary, ConnectionModel, EndedBy, ExchangeModel, FramingModel, LostMessageModel, MessageModel, Stall } from '../model/types.js';
import type { FrameAt, StreamGapRecord } from '../tcp/connection.js';
import { earlyAnswer } from '../model/early-answer.js';
import { notAccepted } from '../node-verdict/attach.js';
import { NODE_HEADERS_KEPT, type NodeVerdict } from '../node-verdict/types.js';

/**
 * The human report, rendered from the model's records. Conventions, the same in every command:
 * sizes in exact bytes (`34498 B`), durations by formatDuration (µs, ms, s), times relative to the
 * capture's first frame (`+1.204s`), frame lists as ranges in capture order (`frames 153–165, 13
 * frames`). Every string from the wire is printed as it came: the caller escapes the whole output
 * once (terminal-safe.ts) before it reaches a terminal.
 */

/** Fields that decide framing or connection reuse: always shown; other fields only with --headers. */
const FRAMING_FIELDS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'expect', 'upgrade', 'content-encoding']);
/** Longest frame list printed in full; longer ones are cut, with the count. */
const MAX_RANGES = 6;

export interface TextOptions {
  /** Print every header field, not only the framing-relevant and repeated ones. */
  headers?: boolean;
}

/** A finding under what it concerns: severity, message and rule id, then the frames it rests on. */
export function formatFinding(f: Finding, indent: string): string[] {
  const mark = f.severity === 'error' ? '✖ error  ' : f.severity === 'warning' ? '⚠ warning' : 'ℹ note   ';
  return [`${indent}${mark}  ${f.message}  [${f.ruleId}]`];
}

/**
 * What each rule that fired means, once per rule, in rule-id order: what happened on the wire,
 * what curl and a Node.js peer saw, the likely Node.js cause and the fix (the rule's help).
 */
export function formatExplanations(findings: Finding[]): string {
  const lines = ['What the findings mean'];
  for (const f of [...findings].sort((a, b) => a.ruleId.localeCompare(b.ruleId))) {
    lines.push('', `  ${f.ruleId} (${f.severity}): ${f.title}`);
    for (const paragraph of f.help.split(/\n\s*\n/)) lines.push(...wrap(paragraph.replace(/\s+/g, ' ').trim(), 96).map((l) => `    ${l}`), '');
    lines.push(`    ${f.docs}`);
  }
  return lines.join('\n') + '\n';
}

/** Words into lines of at most `width` characters (a longer word stands alone). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** "2 errors, 1 warning, 3 notes in 10 connections" */
function describeFindings(s: CaptureSummary): string {
  const f = s.findings;
  const total = f.error + f.warning + f.note;
  if (total === 0) return `no findings in ${plural(s.connections, 'connection')}`;
  return `${plural(f.error, 'error')}, ${plural(f.warning, 'warning')}, ${plural(f.note, 'note')} in ${plural(s.connections, 'connection')} (explained at the end)`;
}

/** The summary printed at the top of the report. */
export function formatSummary(s: CaptureSummary): string {
  const lines = [`${s.file}: ${s.format ?? 'unknown format'}, ${plural(s.frames, 'frame')}, ${plural(s.connections, 'TCP connection')}, ${plural(s.exchanges, 'HTTP exchange')}${s.firstTime !== null && s.lastTime !== null ? `, ${formatDuration(s.lastTime - s.firstTime)}` : ''}`];
  lines.push(`  findings   ${describeFindings(s)}`);
  const c = s.statusClasses;
  const classes = (['1xx', '2xx', '3xx', '4xx', '5xx'] as const).filter((k) => c[k] > 0).map((k) => `${k} ${c[k]}`);
  if (c.none > 0) classes.push(`no response ${c.none}`);
  if (c.notCaptured > 0) classes.push(`not captured ${c.notCaptured}`);
  if (classes.length) lines.push(`  responses  ${classes.join(', ')}`);
  if (s.deviations) lines.push(`  deviations ${s.deviations} (marked ! below)`);
  const d = s.decode;
  const other = [
    d.udp && `${d.udp} UDP`,
    d.icmp && `${d.icmp} ICMP`,
    d.otherIp && `${d.otherIp} other IP`,
    d.nonIp && `${d.nonIp} non-IP`,
    d.unknownLinkType && `${d.unknownLinkType} of an undecoded link type`,
    d.malformed && `${d.malformed} malformed`,
    d.truncated && `${d.truncated} cut by the snaplen inside a header`,
  ].filter(Boolean);
  if (other.length) lines.push(`  not TCP    ${other.join(', ')} frames`);
  if (s.lateSegments > 0) lines.push(`  late       ${describeLateSegments(s.lateSegments)}`);
  return lines.join('\n') + '\n';
}

/** Segments the tcp stage counted after their connection's acknowledged close (CaptureSummary.lateSegments). */
export function describeLateSegments(count: number): string {
  return `${plural(count, 'TCP segment')} came after ${count === 1 ? 'its' : 'their'} connection's close was acknowledged both ways: counted in no connection (tshark counts ${count === 1 ? 'it' : 'them'} in the connection)`;
}

/** One connection's header lines: who, when, handshake. */
export function formatConnectionHead(conn: ConnectionModel): string[] {
  const label = conn.protocol === 'http' ? 'HTTP/1.x' : conn.protocol === 'none' ? 'no data' : conn.protocol === 'unknown' ? 'not HTTP' : `${conn.protocol.toUpperCase()} (not inspected)`;
  return [
    `Connection ${conn.id}  ${conn.client} → ${conn.server}  ${label}  +${conn.start.toFixed(3)}s, ${formatDuration(conn.duration)}, ${frameSpan(conn.firstFrame, conn.lastFrame)}`,
    `  handshake  ${describeHandshake(conn)}`,
  ];
}

/** " (first in frame N)": the earlier of the two sides' first frames. */
function firstFrameText(first: ConnectionModel['firstRetransmission']): string {
  const frames = [first.client, first.server].filter((f): f is number => f !== null);
  return frames.length === 0 ? '' : ` (first in frame ${Math.min(...frames)})`;
}

/** "; N spurious …" when the receiver reported retransmitted bytes as duplicates (D-SACK). */
function spuriousText(conn: ConnectionModel): string {
  const n = conn.spuriousRetransmissions.client + conn.spuriousRetransmissions.server;
  if (n === 0) return '';
  return `; ${n === conn.retransmissions.client + conn.retransmissions.server ? (n === 1 ? 'it was' : 'all were') : `${n} were`} spurious: the receiver reported it already had the bytes (D-SACK), nothing was lost`;
}

/**
 * Zero-window advertisements, with what they mean for an HTTP peer: its receive buffer was full,
 * it read more slowly than the other side sent (a paused stream, backpressure) — the other side's
 * waiting is the reader's, not a stall of the sender. Probes into the closed window are counted
 * with them (tshark calls them keep-alive).
 */
function describeZeroWindow(conn: ConnectionModel): string {
  const zw = conn.zeroWindow;
  const readers = (['client', 'server'] as const).filter((d) => zw[d] > 0);
  const why = readers.length === 1 ? ` (the ${readers[0]}'s receive buffer was full: it read more slowly than the ${readers[0] === 'client' ? 'server' : 'client'} sent — a paused stream or a slow consumer)` : ' (receive buffers full: each side read more slowly than the other sent)';
  const probes = conn.zeroWindowProbes;
  const probeText = probes.client + probes.server > 0 ? `; zero-window probes: ${probes.client} from the client, ${probes.server} from the server` : '';
  return `zero window: ${zw.client} client, ${zw.server} server${why}${probeText}`;
}

/** One connection's closing lines: stream deviations, protocol switch, gaps, probes, teardown. */
export function formatConnectionTail(conn: ConnectionModel, showCapturePoint = true): string[] {
  const lines: string[] = [];
  lines.push(...streamDeviationLines(conn.deviations.filter((d) => d.exchange === null || d.exchange === undefined || !isExcess(d))));
  if (conn.protocolSwitch) {
    const sw = conn.protocolSwitch;
    const what = sw.kind === 'upgrade' ? `upgraded to ${sw.upgradeTo ?? 'another protocol'}` : 'CONNECT tunnel';
    lines.push(`  switch     ${what} at frame ${sw.frame} (exchange ${sw.exchange}); then ${conn.uninspectedBytes.client} B from the client and ${conn.uninspectedBytes.server} B from the server, not parsed as HTTP`);
  } else if (conn.protocol !== 'http' && conn.protocol !== 'none') {
    lines.push(`  payload    ${conn.uninspectedBytes.client} B from the client, ${conn.uninspectedBytes.server} B from the server (not inspected)`);
  }
  const unused = describeUnused(conn);
  if (unused !== null) lines.push(`  unused     ${unused}`);
  lines.push(...gapLines(conn.gaps));
  const tcp = [
    conn.keepAlives.client + conn.keepAlives.server > 0 && `TCP keep-alive probes: ${conn.keepAlives.client} from the client, ${conn.keepAlives.server} from the server`,
    conn.retransmissions.client + conn.retransmissions.server > 0 && `retransmissions: ${conn.retransmissions.client} client, ${conn.retransmissions.server} server${firstFrameText(conn.firstRetransmission)}${spuriousText(conn)}`,
    conn.outOfOrder.client + conn.outOfOrder.server > 0 && `out of order: ${conn.outOfOrder.client} client, ${conn.outOfOrder.server} server${firstFrameText(conn.firstOutOfOrder)}`,
    conn.zeroWindow.client + conn.zeroWindow.server > 0 && describeZeroWindow(conn),
    conn.conflictingOverlaps > 0 && `${plural(conn.conflictingOverlaps, 'retransmission')} with different bytes (first copy kept)`,
    conn.truncatedFrames > 0 && `${plural(conn.truncatedFrames, 'frame')} cut by the snaplen`,
    conn.duplicates.client + conn.duplicates.server > 0 &&
      `capture duplicates: ${plural(conn.duplicates.client + conn.duplicates.server, 'frame')} (client ${conn.duplicates.client}, server ${conn.duplicates.server}) repeat the packet before them exactly — the capture point saw packets twice (\`tcpdump -i any\` on a bridge and its ports, or mirroring of both directions); each copy is left out of the analysis`,
  ].filter((x): x is string => typeof x === 'string');
  for (const t of tcp) lines.push(`  tcp        ${t}`);
  lines.push(`  teardown   ${describeTeardown(conn)}`);
  const closing = describeClosing(conn);
  if (closing) lines.push(`  closing    ${closing}`);
  const note = capturePointNote(conn);
  if (showCapturePoint && note !== null) lines.push(`  capture    ${note}`);
  return lines;
}

/**
 * An established connection that carried no byte either way and was closed: who closed it and
 * after how long (the likely causes — a socket the client pooled or opened ahead and did not
 * need, as undici does after an aborted fetch; a server timing out a silent client, or closing at
 * once — are not told apart by the wire).
 */
function describeUnused(conn: ConnectionModel): string | null {
  const first = conn.closing.first;
  const ack = conn.handshake.ack;
  if (ack === null || first === null || conn.bytes.client + conn.bytes.server > 0 || conn.handshake.refused) return null;
  const after = formatDuration(first.time - ack.time);
  return first.by === 'client'
    ? `no byte either way: the client closed it ${after} after the handshake without sending a request`
    : `no byte either way: the server closed it ${after} after the handshake, no request having come`;
}

/**
 * The capture point's caveat for a connection: how a segment there packs messages. Nothing to say
 * of a connection that carried no payload (a refused SYN).
 */
export function capturePointNote(conn: ConnectionModel): string | null {
  return conn.bytes.client + conn.bytes.server > 0 ? conn.capturePoint.note : null;
}

/** One exchange: title with timing, each message, reuse and what came before it. */
export function formatExchange(ex: ExchangeModel, captureStart: number, midStream: boolean, options: TextOptions = {}): string[] {
  const req = ex.request;
  const res = ex.response;
  const timing = [
    ex.timing.ttfb !== null ? `TTFB ${formatDuration(ex.timing.ttfb)}` : null,
    ex.timing.total !== null ? `total ${formatDuration(ex.timing.total)}` : null,
  ].filter(Boolean);
  const lines = [`  [${ex.index}] ${requestTitle(req, ex.lost)} → ${responseTitle(res, ex.lost)}${timing.length ? `   (${timing.join(', ')})` : ''}${ex.pipelined ? '   pipelined' : ''}`];
  const early = earlyAnswer(ex);
  if (req) lines.push(...formatMessage('request ', req, captureStart, options, early));
  for (const interim of ex.interim) lines.push(...formatMessage(`${interim.status ?? '1xx'} interim`.padEnd(8), interim, captureStart, options));
  if (res) lines.push(...formatMessage('response', res, captureStart, options));
  if (early !== null) lines.push(`      ! the server answered (${early.status ?? 'invalid status'}, frame ${early.frames[0]}) before the request was complete`);
  else if (req !== null && res !== null && answeredMidBody(req, res)) {
    // Not a fault: a handler that answers without reading the body. Node reads and discards the rest to reuse the connection.
    lines.push(`      ! the server answered (${res.status ?? 'invalid status'}, frame ${res.frames[0]}) while the request's body was still arriving (until frame ${req.endFrame})`);
  }
  if (ex.lost) lines.push(`      ! ${describeLost(ex.lost)}`);
  const u = ex.timing.unanswered;
  if (u) lines.push(`      waited    ${formatDuration(u.waited)} for a response that never came; ${describeEnd(u.endedBy)}${u.endedBy === 'capture-end' ? '' : ` at +${(u.until - captureStart).toFixed(3)}s`}`);
  lines.push(`      reuse     ${describeReuse(ex, midStream)}`);
  const b = ex.before;
  if (b.serverFin) lines.push(`      ! sent ${formatDuration(b.requestAfterServerFin)} after the server's FIN (frame ${b.serverFin.frame}): the server had already closed this connection`);
  if (b.serverRst) lines.push(`      ! sent after the server's RST (frame ${b.serverRst.frame})`);
  if (b.connectionClose) lines.push(`      ! sent after exchange ${b.connectionClose.exchange}'s response said Connection: close (frame ${b.connectionClose.frame})`);
  return lines;
}

/** Where the capture lost an exchange's request or response: `response not captured: it fell in the 100 bytes …`. */
export function describeLost(lost: LostMessageModel): string {
  const size = lost.length === null ? 'bytes' : plural(lost.length, 'byte');
  const side = lost.message === 'request' ? 'client' : 'server';
  return `${lost.message} not captured: it fell in the ${size} of the ${side}'s stream missing at offset ${lost.offset} (before frame ${lost.frame})`;
}

function requestTitle(req: MessageModel | null, lost: LostMessageModel | null): string {
  if (!req) return lost?.message === 'request' ? '(request not captured)' : '(no request)';
  if (req.method === null || req.target === null) return req.startLine ? `invalid request line ${JSON.stringify(req.startLine)}` : '(request line unfinished)';
  return `${req.method} ${req.target}`;
}

function responseTitle(res: MessageModel | null, lost: LostMessageModel | null): string {
  if (!res) return lost?.message === 'response' ? 'response not captured' : 'no response';
  if (res.status === null) return `invalid status line ${JSON.stringify(res.startLine)}`;
  return `${res.status} ${res.reason ?? ''}`.trimEnd();
}

/** `answeredEarly`: the response that answered this unfinished request (model/early-answer.ts), which cut it off. */
function formatMessage(label: string, m: MessageModel, captureStart: number, options: TextOptions, answeredEarly: MessageModel | null = null): string[] {
  const state = m.complete ? '' : '  INCOMPLETE';
  const lines = [`      ${label}  ${m.headSize} B head, ${describeFraming(m)}; ${describePacking(m)}${state}`];
  const shown = shownHeaders(m.headers, options.headers ?? false);
  if (shown.length) lines.push(`        headers  ${shown.map((f) => `${f.name}: ${f.value}`).join(' | ')}`);
  // A 408 is the server's verdict that the request stalled: that stall is the story. Any other early answer (413, 401, 417) refused the request mid-way.
  if (m.stall && answeredEarly !== null && answeredEarly.status !== 408) lines.push(`        cut off  ${describeCutOff(m.stall, answeredEarly, captureStart)}`);
  else if (m.stall) lines.push(`        stalled  ${describeStall(m.stall, captureStart)}`);
  else if (m.framing?.kind === 'close' && m.endFrame !== null && m.times.end !== null) {
    lines.push(`        ended    by the close at frame ${m.endFrame}, +${(m.times.end - captureStart).toFixed(3)}s`);
  }
  for (const d of m.deviations) lines.push(`        ! ${describeDeviation(d)}`);
  const x = m.framing?.excess;
  if (x) lines.push(`        ! ${x.code} at offset ${x.offset} (frame ${frameList(x.frames)}): ${x.bytes} B followed the body ${x.code === 'body-not-allowed' ? 'of a response that cannot have one' : 'and do not start a message'}`);
  if (notAccepted(m.node)) lines.push(`        node     ${describeNodeVerdict(m.node)}`);
  const body = m.body;
  if (body) {
    if (body.text !== null) lines.push(`        body     ${JSON.stringify(body.text.length > 80 ? `${body.text.slice(0, 80)}…` : body.text)}`);
    else if (body.base64 !== null) lines.push(`        body     ${body.kept} B of ${body.contentType ?? 'binary data'}, not text (base64 in --json --bodies)`);
    if (body.note) lines.push(`        body     (${body.note})`);
  }
  return lines;
}

/** Node's verdict when it is not a plain "accepted": `HPE_X "reason" at offset N (frame F); what Node does (node V, llhttp V)`. */
export function describeNodeVerdict(node: NodeVerdict): string {
  const where = node.offset === null ? '' : ` at offset ${node.offset}${node.frame === null ? '' : ` (frame ${node.frame})`}`;
  const what = node.code === null ? (node.accepted ? 'accepted' : 'not parsed') : `${node.code} "${node.reason ?? ''}"${where}`;
  const seen = node.accepted ? `; read as ${node.method !== null ? `${node.method} ${node.url ?? ''}` : `status ${node.status ?? '?'}`}, ${nodeFields(node)}, ${node.bodyBytes ?? 0} B body` : '';
  const differs = node.differs.length > 0 ? `; ${node.differs.join('; ')}` : '';
  return `${what}${seen}${differs}${node.next === null ? '' : `; ${node.next}`} (${node.parser})`;
}

/** The header fields Node read; past the 1000 that `req.headers` (`res.headers`) keeps, rawHeaders holds more, so both counts are named. */
function nodeFields(node: NodeVerdict): string {
  const fields = node.headers ?? 0;
  if (fields <= NODE_HEADERS_KEPT) return `${fields} fields`;
  return `${fields} fields in rawHeaders, the first ${NODE_HEADERS_KEPT} in ${node.method !== null ? 'req' : 'res'}.headers`;
}

/** Framing-relevant fields, and every field repeated in the section (Host twice, …). */
function shownHeaders(headers: HeaderField[], all: boolean): HeaderField[] {
  if (all) return headers;
  const counts = new Map<string, number>();
  for (const f of headers) counts.set(f.name.toLowerCase(), (counts.get(f.name.toLowerCase()) ?? 0) + 1);
  return headers.filter((f) => FRAMING_FIELDS.has(f.name.toLowerCase()) || (counts.get(f.name.toLowerCase()) ?? 0) > 1);
}

function describeFraming(m: MessageModel): string {
  const f = m.framing;
  if (!f) return 'header section unfinished';
  const lost = f.missingBytes > 0 ? ` (${f.missingBytes} B not captured)` : '';
  return describeBodyLength(f) + lost;
}

function describeBodyLength(f: FramingModel): string {
  switch (f.kind) {
    case 'content-length': {
      const declared = f.declared ?? 0;
      const excess = f.excess?.code === 'excess-after-body' ? f.excess.bytes : 0;
      const received = f.actualBodyBytes + excess;
      const diff = received - declared;
      const mismatch = diff > 0 ? ` — ${diff} B more than declared` : diff < 0 ? ` — ${-diff} B short` : '';
      return `Content-Length: ${declared}, received ${received} B${mismatch}`;
    }
    case 'chunked':
      return `chunked, ${plural(f.chunks ?? 0, 'chunk')}, ${f.actualBodyBytes} B${f.lastChunk ? '' : ', no last chunk'}${f.trailers?.length ? `, ${plural(f.trailers.length, 'trailer')}` : ''}`;
    case 'close':
      return `close-delimited body, ${f.actualBodyBytes} B`;
    case 'tunnel':
      return 'no body (protocol switch)';
    case 'invalid':
      return `framing invalid (${f.reason})`;
    default:
      return 'no body';
  }
}

function describePacking(m: MessageModel): string {
  const p = m.packing;
  const head = p.headerSplit ? `header section split over ${framesWord(p.headerFrames)}` : `headers in ${framesWord(p.headerFrames)}`;
  switch (p.verdict) {
    case 'packed':
      return `${p.headerSplit ? `${head}, ` : ''}headers and body packed in frame ${p.sharedFrame}${p.bodyFrames.length > 1 ? `, body continues in ${framesWord(p.bodyFrames.slice(1))}` : ''}`;
    case 'headers-only-segment':
      return `${head} alone, body in ${framesWord(p.bodyFrames)}`;
    case 'no-body':
      return head;
    default:
      return p.headerFrames.length ? `${head}${p.bodyFrames.length ? `, body in ${framesWord(p.bodyFrames)}` : ''}` : 'no frames';
  }
}

/** "frame 8", "frames 4, 6, 8", "frames 153–165 (13 frames)". */
export function framesWord(frames: number[]): string {
  return new Set(frames).size === 1 ? `frame ${frames[0]}` : `frames ${frameList(frames)}`;
}

/** A complete request whose response began before its last byte: the server did not wait for the body. */
function answeredMidBody(req: MessageModel, res: MessageModel): boolean {
  return req.complete && req.times.end !== null && req.endFrame !== null && res.times.start < req.times.end && res.frames[0] < req.endFrame;
}

/** Where an unfinished message stopped: "in the header section", "in the body, 7 B short". */
function stallPlace(s: Stall): string {
  return s.in === 'header-section' ? 'in the header section' : `in the body${s.missingBytes !== null ? `, ${s.missingBytes} B short` : ''}`;
}

function describeStall(s: Stall, captureStart: number): string {
  const where = stallPlace(s);
  const end = s.until === null ? 'the end of the capture' : `${describeEnd(s.endedBy)} (frame ${s.until.frame}, +${(s.until.time - captureStart).toFixed(3)}s)`;
  return `${where}: nothing more after frame ${s.lastByte.frame} for ${formatDuration(s.duration)}, until ${end}`;
}

/**
 * An unfinished request the server answered early (an upload refused with 413): the client did not
 * stall, the server's answer and close cut it off — so its stall reads from the server's side.
 */
function describeCutOff(s: Stall, answer: MessageModel, captureStart: number): string {
  const where = stallPlace(s);
  const close = s.until === null ? '' : ` and ${describeEnd(s.endedBy)} (frame ${s.until.frame}, +${(s.until.time - captureStart).toFixed(3)}s)`;
  return `${where}, after frame ${s.lastByte.frame}: by the server's answer (${answer.status ?? 'invalid status'}, frame ${answer.frames[0]})${close}`;
}

function describeEnd(e: EndedBy): string {
  switch (e) {
    case 'client-fin':
      return "the client's FIN";
    case 'client-rst':
      return "the client's RST";
    case 'server-fin':
      return "the server's FIN";
    case 'server-rst':
      return "the server's RST";
    default:
      return 'the capture ended';
  }
}

function describePosition(ex: ExchangeModel, midStream: boolean): string {
  const r = ex.reuse;
  if (!ex.request) return ex.lost?.message === 'request' ? 'a response to a request the capture lost' : 'a response without a request';
  // Picked up mid-stream, the first request seen need not be the connection's first.
  if (!r.reused) return midStream ? 'first request seen (the connection was picked up mid-stream)' : 'first request on the connection';
  if (r.idleBefore === null) return `request ${r.index} on this connection${ex.pipelined ? ', sent before the previous response completed' : ''}`;
  return `request ${r.index} on this connection, idle ${formatDuration(r.idleBefore)} before it`;
}

function describeReuse(ex: ExchangeModel, midStream: boolean): string {
  const r = ex.reuse;
  const parts = [describePosition(ex, midStream)];
  if (r.keepAlive) parts.push(`Keep-Alive: ${[r.keepAlive.timeout !== null ? `timeout=${r.keepAlive.timeout}` : null, r.keepAlive.max !== null ? `max=${r.keepAlive.max}` : null].filter(Boolean).join(', ')}`);
  if (r.connectionClose.request) parts.push('request says Connection: close');
  if (r.connectionClose.response) parts.push('response says Connection: close');
  return parts.join('; ');
}

function describeHandshake(conn: ConnectionModel): string {
  const h = conn.handshake;
  if (conn.midStream) return 'not captured (connection picked up mid-stream; client/server guessed)';
  if (h.refused) return `SYN ${at(h.syn)} answered by RST: connection refused${h.fallback === null ? '' : `; the client connected to the same port on another address right after (connection ${h.fallback})`}`;
  const steps = [`SYN ${at(h.syn)}`, h.synAck ? `SYN-ACK ${at(h.synAck)}` : 'no SYN-ACK', h.ack ? `ACK ${at(h.ack)}` : 'no ACK'];
  return `${steps.join(' → ')}${h.rtt !== null ? `; SYN → SYN-ACK ${formatDuration(h.rtt)}` : ''}`;
}

function describeTeardown(conn: ConnectionModel): string {
  const t = conn.teardown;
  if (conn.handshake.refused) return 'refused';
  const events = [
    t.clientFin && { who: 'client', what: 'FIN', at: t.clientFin },
    t.serverFin && { who: 'server', what: 'FIN', at: t.serverFin },
    t.clientRst && { who: 'client', what: 'RST', at: t.clientRst },
    t.serverRst && { who: 'server', what: 'RST', at: t.serverRst },
  ]
    .filter((e): e is { who: string; what: string; at: FrameAt } => Boolean(e))
    .sort((a, b) => a.at.frame - b.at.frame)
    .map((e) => `${e.who} ${e.what} (frame ${e.at.frame}, +${formatDuration(e.at.time - conn.startTime)})`);
  if (t.kind === 'open') return `still open at the end of the capture${events.length ? `; ${events.join(', ')}` : ''}${t.halfClosed ? ' (half-closed)' : ''}`;
  return `ended with ${t.kind.toUpperCase()}, ${t.closedFirstBy} closed first: ${events.join(', ')}${t.halfClosed ? ' (half-closed)' : ''}`;
}

function describeClosing(conn: ConnectionModel): string | null {
  const c = conn.closing;
  const parts: string[] = [];
  if (c.first && c.idleBefore !== null && (conn.exchanges ?? 0) > 0) parts.push(`idle ${formatDuration(c.idleBefore)} after the last exchange ended, then the ${c.first.by}'s ${c.first.kind.toUpperCase()}`);
  const a = c.afterConnectionClose;
  if (a && a.openFor !== null && a.openFor > 0.05) parts.push(`stayed open ${formatDuration(a.openFor)} after exchange ${a.exchange}'s Connection: close response (frame ${a.frame})`);
  return parts.length ? parts.join('; ') : null;
}

function isExcess(d: StreamDeviation): boolean {
  return d.code === 'excess-after-body' || d.code === 'body-not-allowed';
}

function describeDeviation(d: Deviation): string {
  return `${d.code} at offset ${d.offset}${d.frames.length ? ` (frame ${frameList(d.frames)})` : ''}: ${d.message}`;
}

/** Items of one kind shown one a line; more than one further is summed up in one line. */
const SHOWN_OF_A_KIND = 2;

/**
 * One line per item, in order, except for a kind (`keyOf`) with more than SHOWN_OF_A_KIND + 1
 * items: its first SHOWN_OF_A_KIND, then — where the next would be — one line for the rest. A
 * lossy capture (tcpdump dropping packets under load) otherwise lists a hundred capture gaps and
 * as many skipped-bytes runs under one keep-alive connection.
 */
function compacted<T>(items: readonly T[], keyOf: (item: T) => string, line: (item: T) => string, rest: (items: T[]) => string): string[] {
  const total = new Map<string, number>();
  for (const item of items) total.set(keyOf(item), (total.get(keyOf(item)) ?? 0) + 1);
  const seen = new Map<string, number>();
  const lines: string[] = [];
  for (const item of items) {
    const key = keyOf(item);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if ((total.get(key) as number) <= SHOWN_OF_A_KIND + 1 || n <= SHOWN_OF_A_KIND) lines.push(line(item));
    else if (n === SHOWN_OF_A_KIND + 1) lines.push(rest(items.filter((other) => keyOf(other) === key).slice(SHOWN_OF_A_KIND)));
  }
  return lines;
}

function streamDeviationLines(deviations: readonly StreamDeviation[]): string[] {
  return compacted(
    deviations,
    (d) => `${d.direction} ${d.code}`,
    (d) => `  ! ${describeStreamDeviation(d)}`,
    (rest) => `  ! ${rest[0].direction} stream: ${describeMore(rest)}`,
  );
}

/** "26 more skipped-bytes, 312512 bytes in all (frames 868–34704)". */
function describeMore(rest: readonly StreamDeviation[]): string {
  const frames = rest.flatMap((d) => d.frames);
  const known = rest.every((d) => d.length !== undefined);
  const bytes = known ? `, ${rest.reduce((sum, d) => sum + (d.length as number), 0)} bytes in all` : '';
  const span = frames.length === 0 ? '' : ` (${frameSpan(Math.min(...frames), Math.max(...frames))})`;
  return `${rest.length} more ${rest[0].code}${bytes}${span}`;
}

function gapLines(gaps: readonly StreamGapRecord[]): string[] {
  return compacted(
    gaps,
    (g) => g.direction,
    (g) => `  ! capture gap: ${g.length === 'unknown' ? 'an unknown number of' : g.length} bytes missing from the ${g.direction} stream at offset ${g.offset} (before frame ${g.frameAfter})`,
    (rest) => `  ! capture gap: ${rest.length} more in the ${rest[0].direction} stream, ${describeGapBytes(rest)} (before ${frameSpan(rest[0].frameAfter, rest[rest.length - 1].frameAfter)})`,
  );
}

function describeGapBytes(gaps: readonly StreamGapRecord[]): string {
  let bytes = 0;
  let unknown = 0;
  for (const g of gaps) {
    if (g.length === 'unknown') unknown++;
    else bytes += g.length;
  }
  return unknown === 0 ? `${bytes} bytes in all` : `${bytes} bytes and ${unknown} of unknown length`;
}

function describeStreamDeviation(d: StreamDeviation): string {
  return `${d.direction} stream: ${describeDeviation(d)}`;
}

function at(f: FrameAt | null): string {
  return f ? `frame ${f.frame}` : '?';
}

function frameSpan(first: number, last: number): string {
  return first === last ? `frame ${first}` : `frames ${first}–${last}`;
}


/**
 * Frames as ranges in capture order, cut after MAX_RANGES ranges: "4–6, 9", "153–165 (13 frames)",
 * "1, 3, 5, 7, 9, 11, … (40 frames)".
 */
export function frameList(frames: number[]): string {
  const sorted = isAscending(frames) ? frames : [...frames].sort((a, b) => a - b);
  const ranges = list(sorted).split(', ');
  const count = new Set(sorted).size;
  if (ranges.length > MAX_RANGES) return `${ranges.slice(0, MAX_RANGES).join(', ')}, … (${count} frames)`;
  if (ranges.length === 1 && count > 2) return `${ranges[0]} (${count} frames)`;
  return ranges.join(', ');
}

function isAscending(xs: number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i] < xs[i - 1]) return false;
  return true;
}

/** 4, 5, 6, 9 → "4–6, 9" */
export function list(frames: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < frames.length; i++) {
    let j = i;
    while (j + 1 < frames.length && frames[j + 1] <= frames[j] + 1) j++;
    parts.push(frames[j] > frames[i] ? `${frames[i]}–${frames[j]}` : String(frames[i]));
    i = j;
  }
  return parts.join(', ');
}
