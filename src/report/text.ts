import type { Deviation, StreamDeviation } from '../http/types.js';
import { formatBytes, formatDuration } from '../model/format.js';
import type { ConnectionModel, ExchangeModel, MessageModel } from '../model/types.js';
import type { FrameAt } from '../tcp/connection.js';

/**
 * The human report: per connection its handshake and teardown, then each exchange with sizes,
 * timing, reuse, packing, framing and the frames behind every statement.
 */
export function formatConnection(conn: ConnectionModel, captureStart: number, showCapturePoint = true): string {
  const lines: string[] = [];
  const when = `+${(conn.startTime - captureStart).toFixed(3)}s`;
  const label = conn.protocol === 'http' ? 'HTTP/1.x' : conn.protocol === 'unknown' ? 'not HTTP' : `${conn.protocol.toUpperCase()} (not inspected)`;
  lines.push(`Connection ${conn.id}  ${conn.client} → ${conn.server}  ${label}  ${when}, ${formatDuration(conn.duration)}, frames ${conn.firstFrame}–${conn.lastFrame}`);
  lines.push(`  handshake  ${describeHandshake(conn)}`);
  conn.exchanges.forEach((exchange) => lines.push(...formatExchange(exchange, conn.midStream)));
  for (const d of conn.deviations) lines.push(`  ! ${describeStreamDeviation(d)}`);
  if (conn.protocolSwitch) {
    const sw = conn.protocolSwitch;
    const what = sw.kind === 'upgrade' ? `upgraded to ${sw.upgradeTo ?? 'another protocol'}` : 'CONNECT tunnel';
    lines.push(`  switch     ${what} at frame ${sw.frame} (exchange ${sw.exchange}); then ${conn.uninspectedBytes.client} B from the client and ${conn.uninspectedBytes.server} B from the server, not parsed as HTTP`);
  } else if (conn.protocol !== 'http' && conn.bytes.client + conn.bytes.server > 0) {
    lines.push(`  payload    ${conn.uninspectedBytes.client} B from the client, ${conn.uninspectedBytes.server} B from the server (not inspected)`);
  }
  if (conn.gaps.length) {
    for (const g of conn.gaps) lines.push(`  ! capture gap: ${g.length} bytes missing from the ${g.direction} stream at offset ${g.offset} (before frame ${g.frameAfter})`);
  }
  lines.push(`  teardown   ${describeTeardown(conn)}`);
  if (showCapturePoint && conn.capturePoint.note) lines.push(`  capture    ${conn.capturePoint.note}`);
  return lines.join('\n') + '\n';
}

function formatExchange(ex: ExchangeModel, midStream: boolean): string[] {
  const req = ex.request;
  const res = ex.response;
  const title = `${req ? `${req.method ?? '?'} ${req.target ?? req.startLine}` : '(no request)'} → ${res ? `${res.status ?? '?'} ${res.reason ?? ''}`.trimEnd() : 'no response'}`;
  const timing = [
    ex.timing.ttfb !== null ? `TTFB ${formatDuration(ex.timing.ttfb)}` : null,
    ex.timing.total !== null ? `total ${formatDuration(ex.timing.total)}` : null,
  ].filter(Boolean);
  const lines = [`  [${ex.index}] ${title}${timing.length ? `   (${timing.join(', ')})` : ''}${ex.pipelined ? '   pipelined' : ''}`];
  if (req) lines.push(...formatMessage('request ', req));
  for (const interim of ex.interim) lines.push(...formatMessage(`${interim.status} interim`.padEnd(8), interim));
  if (res) lines.push(...formatMessage('response', res));
  lines.push(`      reuse     ${describeReuse(ex, midStream)}`);
  return lines;
}

function formatMessage(label: string, m: MessageModel): string[] {
  const state = m.complete ? '' : '  INCOMPLETE';
  const lines = [`      ${label}  ${formatBytes(m.headSize)} head, ${describeFraming(m)}; ${describePacking(m)}${state}`];
  for (const d of m.deviations) lines.push(`        ! ${describeDeviation(d)}`);
  if (m.body?.text) lines.push(`        body: ${JSON.stringify(m.body.text.length > 80 ? `${m.body.text.slice(0, 80)}…` : m.body.text)}`);
  else if (m.body && m.body.text === null) {
    lines.push(`        body: ${formatBytes(m.body.kept)} of ${m.body.contentType ?? 'binary data'}, not text (base64 in --json --bodies)`);
  }
  return lines;
}

function describeFraming(m: MessageModel): string {
  const f = m.framing;
  if (!f) return 'header section unfinished';
  switch (f.kind) {
    case 'content-length': {
      const diff = f.actualBodyBytes - (f.declared ?? 0);
      const mismatch = diff > 0 ? ` (${diff} B more than declared)` : diff < 0 ? ` (${-diff} B short)` : '';
      return `Content-Length: ${f.declared}, body ${formatBytes(f.actualBodyBytes)}${mismatch}`;
    }
    case 'chunked':
      return `chunked, ${f.chunks ?? 0} chunk${f.chunks === 1 ? '' : 's'}, ${formatBytes(f.actualBodyBytes)}${f.lastChunk ? '' : ', no last chunk'}${f.trailers?.length ? `, ${f.trailers.length} trailer(s)` : ''}`;
    case 'close':
      return `close-delimited body, ${formatBytes(f.actualBodyBytes)}`;
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
  const head = p.headerSplit ? `header section split over frames ${list(p.headerFrames)}` : `headers in frame ${list(p.headerFrames)}`;
  switch (p.verdict) {
    case 'packed':
      return `${p.headerSplit ? `${head}, ` : ''}headers and body packed in frame ${p.sharedFrame}${p.bodyFrames.length > 1 ? `, body continues in ${list(p.bodyFrames.slice(1))}` : ''}`;
    case 'headers-only-segment':
      return `${head} alone, body in frame${p.bodyFrames.length > 1 ? 's' : ''} ${list(p.bodyFrames)}`;
    case 'no-body':
      return head;
    default:
      return p.headerFrames.length ? `${head}${p.bodyFrames.length ? `, body in ${list(p.bodyFrames)}` : ''}` : 'no frames';
  }
}

function describePosition(ex: ExchangeModel, midStream: boolean): string {
  const r = ex.reuse;
  if (!ex.request) return 'a response without a request';
  // Picked up mid-stream, the first request seen need not be the connection's first.
  if (!r.reused) return midStream ? 'first request seen (the connection was picked up mid-stream)' : 'first request on the connection';
  if (r.idleBefore === null) return `request ${r.index} on this connection, sent before the previous response completed`;
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
  if (h.refused) return `SYN ${at(h.syn)} answered by RST: connection refused`;
  const steps = [`SYN ${at(h.syn)}`, h.synAck ? `SYN-ACK ${at(h.synAck)}` : 'no SYN-ACK', h.ack ? `ACK ${at(h.ack)}` : 'no ACK'];
  return `${steps.join(' → ')}${h.rtt !== null ? `, RTT ${formatDuration(h.rtt)}` : ''}`;
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

function describeDeviation(d: Deviation): string {
  return `${d.code} at offset ${d.offset}${d.frames.length ? ` (frame ${list(d.frames)})` : ''}: ${d.message}`;
}

function describeStreamDeviation(d: StreamDeviation): string {
  return `${d.direction} stream: ${describeDeviation(d)}`;
}

function at(f: FrameAt | null): string {
  return f ? `frame ${f.frame}` : '?';
}

/** 4, 5, 6, 9 → "4–6, 9" */
export function list(frames: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < frames.length; i++) {
    let j = i;
    while (j + 1 < frames.length && frames[j + 1] === frames[j] + 1) j++;
    parts.push(j > i ? `${frames[i]}–${frames[j]}` : String(frames[i]));
    i = j;
  }
  return parts.join(', ');
}
