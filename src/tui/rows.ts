/**
 * One line per connection and per exchange, as plain text cut to a width (the app escapes and
 * colours them): the tables' columns in one place, unit-tested without a terminal.
 */
import type { ExchangeRow } from './exchange-row.js';
import { formatBytes, formatDuration } from '../text/units.js';
import { plural } from '../text/plural.js';
import { fit } from './escape.js';
import type { ConnectionEntry, SeverityCounts } from './store.js';

/** `E1 W2 N3` (only the non-zero ones), or '' when there are none. */
export function findingMarks(counts: SeverityCounts): string {
  const parts: string[] = [];
  if (counts.error > 0) parts.push(`E${counts.error}`);
  if (counts.warning > 0) parts.push(`W${counts.warning}`);
  if (counts.note > 0) parts.push(`N${counts.note}`);
  return parts.join(' ');
}

/** How the connection ended: `FIN client`, `RST server`, `open` (at the end of the capture), `…` (still being read). */
export function connectionEnd(entry: ConnectionEntry): string {
  const c = entry.closed;
  if (c === null) return '…';
  if (c.teardown === 'open') return 'open';
  return `${c.teardown.toUpperCase()} ${c.closedFirstBy ?? ''}`.trim();
}

/** `3 reqs / 1 conn` — reuse at a glance. */
export function reuseText(exchanges: number): string {
  return `${plural(exchanges, 'req')} / 1 conn`;
}


/** Below this width the connections table is narrowed (see connectionWidths). */
const NARROW_CONNECTIONS = 90;

export const CONNECTION_HEADER_COLUMNS = ['ID', 'CLIENT → SERVER', 'EXCHANGES', 'DURATION', 'END', 'FINDINGS'];

/**
 * Column widths of the connections table for a given width (the address column takes the rest);
 * `idWidth`: the characters of the largest id shown (a capture of 100,000 connections needs 6).
 */
function connectionWidths(width: number, idWidth: number): number[] {
  // Narrow: EXCHANGES says `3 reqs` (the one-connection half goes) and FINDINGS gets 8 columns, so
  // IPv4 addresses still fit at 80 columns.
  const id = Math.max(4, idWidth);
  const fixed = width < NARROW_CONNECTIONS ? [id, 8, 9, 11, 8] : [id, 17, 9, 11, 10];
  const rest = Math.max(10, width - fixed.reduce((a, b) => a + b, 0) - 5);
  return [fixed[0], rest, fixed[1], fixed[2], fixed[3], fixed[4]];
}

/** Cells cut to their column widths (a 0-width column is left out), joined by one space. */
function joinCells(cells: string[], widths: number[]): string {
  return cells
    .map((c, i) => (widths[i] === 0 ? null : fit(c, widths[i])))
    .filter((c) => c !== null)
    .join(' ');
}

function columns(cells: string[], widths: number[], width: number): string {
  return fit(joinCells(cells, widths), width);
}

export function connectionHeader(width: number, idWidth = 0): string {
  const names = width < NARROW_CONNECTIONS ? CONNECTION_HEADER_COLUMNS.map((c) => (c === 'EXCHANGES' ? 'REQS' : c)) : CONNECTION_HEADER_COLUMNS;
  return columns(names, connectionWidths(width, idWidth), width);
}

/** A table row split where the finding marks start, so the app can colour them. */
export interface Row {
  /** Every column but the marks, cut and padded to the width less the marks column. */
  body: string;
  /** The finding marks (`E1 W2`), plain. */
  marks: string;
}

function splitRow(cells: string[], widths: number[], width: number): Row {
  const marksWidth = widths[widths.length - 1];
  const bodyWidth = Math.max(0, width - marksWidth - 1);
  return { body: fit(joinCells(cells.slice(0, -1), widths), bodyWidth), marks: fit(cells[cells.length - 1], Math.min(marksWidth, width)) };
}

export function connectionRow(entry: ConnectionEntry, width: number, idWidth = 0): Row {
  const duration = entry.closed === null ? '' : formatDuration(entry.closed.duration);
  const cells = [
    String(entry.id),
    `${entry.opened.client} → ${entry.opened.server}`,
    width < NARROW_CONNECTIONS ? plural(entry.exchanges.length, 'req') : reuseText(entry.exchanges.length),
    duration,
    connectionEnd(entry),
    findingMarks(entry.findings),
  ];
  return splitRow(cells, connectionWidths(width, idWidth), width);
}

export const EXCHANGE_HEADER_COLUMNS = ['#', 'METHOD', 'TARGET', 'STATUS', 'REQ', 'RESP', 'TTFB', 'TOTAL', 'PACKING', 'FRAMING', '!'];

/** Below this width the REQ, TTFB and PACKING columns are left out (80×24 keeps a readable target). */
const NARROW = 110;

/** `indexWidth`: the characters of the largest exchange index shown (the target column gives way). */
function exchangeWidths(width: number, indexWidth: number): number[] {
  const index = Math.max(3, indexWidth);
  const fixed = width < NARROW ? [index, 7, 0, 9, 0, 9, 0, 8, 0, 11, 6] : [index, 7, 0, 9, 9, 9, 8, 8, 10, 11, 6];
  const used = fixed.reduce((a, b) => a + b, 0) + fixed.filter((w) => w > 0).length;
  fixed[2] = Math.max(8, width - used);
  return fixed;
}

export function exchangeHeader(width: number, indexWidth = 0): string {
  return columns(EXCHANGE_HEADER_COLUMNS, exchangeWidths(width, indexWidth), width);
}

export function exchangeRow(x: ExchangeRow, marks: string, width: number, indexWidth = 0): Row {
  const cells = [
    String(x.index),
    x.method ?? '-',
    x.target ?? (x.hasRequest ? '-' : x.lost === 'request' ? '(not captured)' : '(no request)'),
    x.statusText,
    x.requestBytes === null ? '-' : formatBytes(x.requestBytes),
    x.responseBytes === null ? '-' : formatBytes(x.responseBytes),
    formatDuration(x.ttfb),
    formatDuration(x.total),
    x.packing,
    x.framing,
    marks,
  ];
  return splitRow(cells, exchangeWidths(width, indexWidth), width);
}
