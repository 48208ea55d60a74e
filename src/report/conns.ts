import type { AnalysisSubscriber } from '../analysis/analysis.js';
import { formatDuration } from '../text/units.js';
import { escapeJsonControls } from './terminal-safe.js';
import type { CaptureSummary, ConnectionModel } from '../model/types.js';
import { StreamedJsonDocument } from './json-document.js';
import { OrderedSpool } from './ordered-spool.js';
import { describeLateSegments } from './text.js';

/** How the connection ended, in words: "FIN by client", "RST by server", "refused", "open". */
export function describeClose(conn: ConnectionModel): string {
  if (conn.handshake.refused) return 'refused (SYN→RST)';
  const t = conn.teardown;
  if (t.kind === 'open') return t.closedFirstBy ? `open (FIN by ${t.closedFirstBy})` : 'open';
  return `${t.kind.toUpperCase()} by ${t.closedFirstBy}${t.halfClosed ? ', half-closed' : ''}`;
}

const HEADERS = ['ID', 'CLIENT', 'SERVER', 'START', 'DURATION', 'FRAMES c/s', 'BYTES c/s', 'SYN→SYN-ACK', 'CLOSE', 'ISSUES', 'HISTORY'];

/** One row of the `wirelens conns` table. */
function row(c: ConnectionModel): string[] {
  return [
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
  ];
}

function describeIssues(c: ConnectionModel): string {
  const parts: string[] = [];
  if (c.midStream) parts.push('mid-stream');
  if (c.gaps.length) parts.push(`${c.gaps.length} gap${c.gaps.length === 1 ? '' : 's'}`);
  const retx = c.retransmissions.client + c.retransmissions.server;
  if (retx) parts.push(`${retx} retx`);
  const ooo = c.outOfOrder.client + c.outOfOrder.server;
  if (ooo) parts.push(`${ooo} out of order`);
  if (c.conflictingOverlaps) parts.push(`${c.conflictingOverlaps} conflicting overlap${c.conflictingOverlaps === 1 ? '' : 's'}`);
  const zw = c.zeroWindow.client + c.zeroWindow.server;
  if (zw) parts.push(`${zw} zero window`);
  if (c.truncatedFrames) parts.push(`${c.truncatedFrames} truncated`);
  const dup = c.duplicates.client + c.duplicates.server;
  if (dup) parts.push(`${dup} dup`);
  return parts.join(', ') || '-';
}

/**
 * `conns` as a table, rows in id order. Each row is rendered when its connection closes and kept
 * as text only (in an OrderedSpool, which moves to a temporary file past its memory budget), with
 * the widest cell of each column: memory follows open connections, not the length of the capture.
 */
export class ConnsTableWriter implements AnalysisSubscriber {
  private readonly rows = new OrderedSpool();
  private readonly widths = HEADERS.map((h) => h.length);

  constructor(private readonly out: (text: string) => void) {}

  connectionClosed(c: ConnectionModel): void {
    const cells = row(c);
    cells.forEach((cell, i) => {
      if (cell.length > this.widths[i]) this.widths[i] = cell.length;
    });
    this.rows.add(c.id, 0, cells.join(CELL_SEPARATOR));
  }

  captureEnded(summary: CaptureSummary): void {
    if (summary.error !== null && summary.frames === 0) {
      this.rows.dispose();
      return;
    }
    const count = this.rows.size;
    this.out(`${tableLine(HEADERS, this.widths)}\n`);
    for (const piece of this.rows.inOrder()) this.out(`${tableLine(piece.text.split(CELL_SEPARATOR), this.widths)}\n`);
    this.out(`\n${countLine(count, summary.frames)}\n`);
    if (summary.lateSegments > 0) this.out(`${describeLateSegments(summary.lateSegments)}\n`);
  }
}

/** Between a spooled row's cells: no cell (addresses, numbers, history letters) can contain it. */
const CELL_SEPARATOR = '\u0000';

function tableLine(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
}

function countLine(conns: number, frames: number): string {
  return `${conns} TCP connection${conns === 1 ? '' : 's'} in ${frames} frame${frames === 1 ? '' : 's'}`;
}

/**
 * `conns --json`: the same connection records as `report --json`, streamed as connections end
 * (so in the order they ended, not by id), then the capture summary.
 */
export class ConnsJsonWriter implements AnalysisSubscriber {
  private readonly doc: StreamedJsonDocument;

  constructor(out: (text: string) => void, file: string) {
    this.doc = new StreamedJsonDocument(out, file, 'connections');
  }

  connectionClosed(c: ConnectionModel): void {
    this.doc.item(escapeJsonControls(JSON.stringify(c)));
  }

  captureEnded(summary: CaptureSummary): void {
    // The summary's connection count would collide with the connections array: the array is the count.
    // conns does not parse HTTP: its counts of exchanges, responses and deviations are unknown (null,
    // as each record's `exchanges`), not zero.
    const { schemaVersion: _v, file: _f, connections: _c, ...rest } = summary;
    this.doc.end(summary, { ...rest, exchanges: null, statusClasses: null, deviations: null });
  }
}
