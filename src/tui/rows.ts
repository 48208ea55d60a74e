/**
 * One line per connection and per exchange, as plain text cut to a width (the app escapes and
 * colours them): the tables' columns in one place, unit-tested without a terminal.
 */
import type { ExchangeModel, FramingModel, MessageModel } from '../model/types.js';
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
  if (c.teardown.kind === 'open') return 'open';
  return `${c.teardown.kind.toUpperCase()} ${c.teardown.closedFirstBy ?? ''}`.trim();
}

/** `3 reqs / 1 conn` — reuse at a glance. */
export function reuseText(exchanges: number): string {
  return `${plural(exchanges, 'req')} / 1 conn`;
}


/** Below this width the connections table is narrowed (see connectionWidths). */
const NARROW_CONNECTIONS = 90;

export const CONNECTION_HEADER_COLUMNS = ['ID', 'CLIENT → SERVER', 'EXCHANGES', 'DURATION', 'END', 'FINDINGS'];

/** Column widths of the connections table for a given width (the address column takes the rest). */
function connectionWidths(width: number): number[] {
  // Narrow: EXCHANGES says `3 reqs` (the one-connection half goes) and FINDINGS gets 8 columns, so
  // IPv4 addresses still fit at 80 columns.
  const fixed = width < NARROW_CONNECTIONS ? [4, 8, 9, 11, 8] : [4, 17, 9, 11, 10];
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

export function connectionHeader(width: number): string {
  const names = width < NARROW_CONNECTIONS ? CONNECTION_HEADER_COLUMNS.map((c) => (c === 'EXCHANGES' ? 'REQS' : c)) : CONNECTION_HEADER_COLUMNS;
  return columns(names, connectionWidths(width), width);
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

export function connectionRow(entry: ConnectionEntry, width: number): Row {
  const duration = entry.closed === null ? '' : formatDuration(entry.closed.duration);
  const cells = [
    String(entry.id),
    `${entry.opened.client} → ${entry.opened.server}`,
    width < NARROW_CONNECTIONS ? plural(entry.exchanges.length, 'req') : reuseText(entry.exchanges.length),
    duration,
    connectionEnd(entry),
    findingMarks(entry.findings),
  ];
  return splitRow(cells, connectionWidths(width), width);
}

export const EXCHANGE_HEADER_COLUMNS = ['#', 'METHOD', 'TARGET', 'STATUS', 'REQ', 'RESP', 'TTFB', 'TOTAL', 'PACKING', 'FRAMING', '!'];

/** Below this width the REQ, TTFB and PACKING columns are left out (80×24 keeps a readable target). */
const NARROW = 110;

function exchangeWidths(width: number): number[] {
  const fixed = width < NARROW ? [3, 7, 0, 9, 0, 9, 0, 8, 0, 11, 6] : [3, 7, 0, 9, 9, 9, 8, 8, 10, 11, 6];
  const used = fixed.reduce((a, b) => a + b, 0) + fixed.filter((w) => w > 0).length;
  fixed[2] = Math.max(8, width - used);
  return fixed;
}

export function exchangeHeader(width: number): string {
  return columns(EXCHANGE_HEADER_COLUMNS, exchangeWidths(width), width);
}

export function exchangeRow(x: ExchangeModel, marks: string, width: number): Row {
  const cells = [
    String(x.index),
    x.request?.method ?? '-',
    x.request?.target ?? (x.request === null ? '(no request)' : '-'),
    statusText(x),
    messageSize(x.request),
    messageSize(x.response),
    formatDuration(x.timing.ttfb),
    formatDuration(x.timing.total),
    packingBadge(x.response),
    framingBadge(x.response?.framing ?? null),
    marks,
  ];
  return splitRow(cells, exchangeWidths(width), width);
}

/** The final status, with 1xx interim responses inline: `100→200`; `-` when no response came. */
export function statusText(x: ExchangeModel): string {
  const final = x.response?.status ?? null;
  const interim = x.interim.map((m) => m.status ?? '?');
  const parts = [...interim, final ?? (x.response === null ? '-' : '?')];
  return parts.join('→');
}

/** Head and body bytes of a message ('-' when there was none). */
export function messageSize(m: MessageModel | null): string {
  if (m === null) return '-';
  return formatBytes(m.headSize + (m.framing?.actualBodyBytes ?? 0));
}

/** The response's packing verdict in a word: packed, hdrs alone (headers in a segment of their own), split, or blank. */
export function packingBadge(m: MessageModel | null): string {
  if (m === null) return '';
  switch (m.packing.verdict) {
    case 'packed':
      return m.packing.headerSplit ? 'split' : 'packed';
    case 'headers-only-segment':
      return m.packing.headerSplit ? 'split' : 'hdrs alone';
    case 'incomplete':
      return 'incompl.';
    default:
      return m.packing.headerSplit ? 'split' : '';
  }
}

/** `CL 15`, `chunked ×4`, `close`, `none`, `tunnel`, `invalid`. */
export function framingBadge(f: FramingModel | null): string {
  if (f === null) return '';
  switch (f.kind) {
    case 'content-length':
      return `CL ${f.declared ?? '?'}`;
    case 'chunked':
      return `chunked ×${f.chunks ?? 0}`;
    default:
      return f.kind;
  }
}
