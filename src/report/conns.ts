import type { ConnectionRecord, FrameAt, Teardown } from '../tcp/connection.js';
import { formatDuration, formatEndpoint } from '../model/format.js';

/** One row of `wirelens conns --json`. Stable public shape: add fields, never rename. */
export interface ConnJson {
  id: number;
  client: string;
  server: string;
  ipVersion: 4 | 6;
  /** Seconds since the epoch of the connection's first frame. */
  startTime: number;
  /** Seconds since the capture's first frame. */
  start: number;
  duration: number;
  firstFrame: number;
  lastFrame: number;
  midStream: boolean;
  frames: { client: number; server: number; total: number };
  bytes: { client: number; server: number };
  handshake: {
    syn: FrameAt | null;
    synAck: FrameAt | null;
    ack: FrameAt | null;
    rtt: number | null;
    refused: boolean;
  };
  close: {
    kind: Teardown['kind'];
    by: Teardown['closedFirstBy'];
    halfClosed: boolean;
    clientFin: FrameAt | null;
    serverFin: FrameAt | null;
    clientRst: FrameAt | null;
    serverRst: FrameAt | null;
  };
  retransmissions: { client: number; server: number };
  outOfOrder: { client: number; server: number };
  conflictingOverlaps: number;
  keepAlives: { client: number; server: number };
  zeroWindow: { client: number; server: number };
  truncatedFrames: number;
  gaps: Array<{ direction: 'client' | 'server'; offset: number; length: number | 'unknown'; frameAfter: number }>;
  history: string;
}

export function connToJson(conn: ConnectionRecord, captureStart: number): ConnJson {
  const { client: c, server: s } = conn.stats;
  return {
    id: conn.id,
    client: formatEndpoint(conn.client.ip, conn.client.port),
    server: formatEndpoint(conn.server.ip, conn.server.port),
    ipVersion: conn.ipVersion,
    startTime: conn.startTime,
    start: round6(conn.startTime - captureStart),
    duration: round6(conn.endTime - conn.startTime),
    firstFrame: conn.firstFrame,
    lastFrame: conn.lastFrame,
    midStream: conn.midStream,
    frames: { client: c.frames, server: s.frames, total: c.frames + s.frames },
    bytes: { client: c.bytes, server: s.bytes },
    handshake: {
      syn: conn.handshake.syn,
      synAck: conn.handshake.synAck,
      ack: conn.handshake.ack,
      rtt: conn.handshake.rtt === null ? null : round6(conn.handshake.rtt),
      refused: conn.handshake.refused,
    },
    close: {
      kind: conn.teardown.kind,
      by: conn.teardown.closedFirstBy,
      halfClosed: conn.teardown.halfClosed,
      clientFin: conn.teardown.clientFin,
      serverFin: conn.teardown.serverFin,
      clientRst: conn.teardown.clientRst,
      serverRst: conn.teardown.serverRst,
    },
    retransmissions: { client: c.retransmissions, server: s.retransmissions },
    outOfOrder: { client: c.outOfOrder, server: s.outOfOrder },
    conflictingOverlaps: c.conflictingOverlaps + s.conflictingOverlaps,
    keepAlives: { client: c.keepAlives, server: s.keepAlives },
    zeroWindow: { client: c.zeroWindow, server: s.zeroWindow },
    truncatedFrames: c.truncatedFrames + s.truncatedFrames,
    gaps: conn.gaps.map((g) => ({ direction: g.direction, offset: g.offset, length: g.length, frameAfter: g.frameAfter })),
    history: conn.history,
  };
}

/** Microsecond rounding keeps JSON free of float noise (1.2000000000000002). */
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** How the connection ended, in words: "FIN by client", "RST by server", "refused", "open". */
export function describeClose(conn: ConnJson): string {
  if (conn.handshake.refused) return 'refused (SYN→RST)';
  if (conn.close.kind === 'open') return conn.close.by ? `open (FIN by ${conn.close.by})` : 'open';
  const half = conn.close.halfClosed ? ', half-closed' : '';
  return `${conn.close.kind.toUpperCase()} by ${conn.close.by}${half}`;
}

const HEADERS = ['ID', 'CLIENT', 'SERVER', 'START', 'DURATION', 'FRAMES c/s', 'BYTES c/s', 'RTT', 'CLOSE', 'ISSUES', 'HISTORY'];

/** The human table of `wirelens conns`. */
export function formatConnsTable(conns: ConnJson[], frames: number): string {
  const rows = conns.map((c) => [
    String(c.id),
    c.client,
    c.server,
    `+${c.start.toFixed(3)}s`,
    formatDuration(c.duration),
    `${c.frames.client}/${c.frames.server}`,
    `${c.bytes.client}/${c.bytes.server}`,
    formatDuration(c.handshake.rtt),
    describeClose(c),
    describeIssues(c),
    c.history || '-',
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  const out = [line(HEADERS), ...rows.map(line)];
  out.push('', `${conns.length} TCP connection${conns.length === 1 ? '' : 's'} in ${frames} frame${frames === 1 ? '' : 's'}`);
  return out.join('\n') + '\n';
}

function describeIssues(c: ConnJson): string {
  const parts: string[] = [];
  if (c.midStream) parts.push('mid-stream');
  if (c.gaps.length) parts.push(`${c.gaps.length} gap${c.gaps.length === 1 ? '' : 's'}`);
  const retx = c.retransmissions.client + c.retransmissions.server;
  if (retx) parts.push(`${retx} retx`);
  if (c.conflictingOverlaps) parts.push(`${c.conflictingOverlaps} conflicting overlap${c.conflictingOverlaps === 1 ? '' : 's'}`);
  if (c.truncatedFrames) parts.push(`${c.truncatedFrames} truncated`);
  return parts.join(', ') || '-';
}
