/**
 * The ladder diagram of one connection: client and server as two lifelines, one arrow per TCP
 * segment labelled with what it carried (labelSegments), the time since the connection's first
 * segment and the frame number on the left. Plain text lines (no colour, no escapes: the TUI
 * escapes and colours them; `wirelens diagram` prints them).
 *
 * What it makes visible at a glance:
 * - a flushed header: 'resp 1 headers' alone, the body on a later arrow (an idle line between them
 *   when the wait was long);
 * - a pipelined burst: 'req 1+2 headers' on one arrow;
 * - the keep-alive reuse race: after a side's FIN or RST its lifeline turns dashed (╎), so a
 *   request arrow reaching a dashed server line was sent to a server that had already closed;
 * - retransmissions, keep-alive and zero-window probes as dashed arrows (╌), out-of-order data marked so.
 */
import { formatDuration } from '../text/units.js';
import { ellipsize } from '../text/ellipsize.js';
import { SegmentFlag, type SegmentRow } from '../model/segments.js';

export interface LadderOptions {
  /** Columns available (80 and up draws everything; less is squeezed down to MIN_WIDTH). */
  width: number;
  /** Time 0 of the time column (epoch seconds); default the first row's time. */
  start?: number;
}

/** Narrowest ladder drawn: narrower widths are drawn at this width. */
export const MIN_WIDTH = 40;
/** A pause at least this long between two segments gets a line of its own. */
export const IDLE_LINE_SECONDS = 0.1;

const TIME_WIDTH = 9;
const FRAME_WIDTH = 7;
const OPEN = '│';
const CLOSED = '╎';

/** One line of the ladder, and the index in `rows` of the segment it draws (null: heading, idle, legend). */
export interface LadderLine {
  text: string;
  row: number | null;
}

/** The ladder's lines: a heading, one line per segment, idle lines, and a legend when needed. */
export function renderLadder(rows: readonly SegmentRow[], opts: LadderOptions): string[] {
  return ladderLines(rows, opts).map((line) => line.text);
}

/** renderLadder's lines with the segment each draws, for a view that selects or highlights segments. */
export function ladderLines(rows: readonly SegmentRow[], opts: LadderOptions): LadderLine[] {
  const width = Math.max(opts.width, MIN_WIDTH);
  // Two lifelines and the space after the frame column around the arrows.
  const lane = width - TIME_WIDTH - FRAME_WIDTH - 3;
  const start = opts.start ?? rows[0]?.time ?? 0;
  const lines: LadderLine[] = [{ text: heading(lane), row: null }];
  const closed = { client: false, server: false };
  let dashed = false;
  let duplicated = false;
  let previous: number | null = null;
  rows.forEach((row, index) => {
    if (previous !== null && row.time - previous >= IDLE_LINE_SECONDS) lines.push({ text: idleLine(row.time - previous, lane, closed), row: null });
    previous = row.time;
    const weak = row.kind === 'retransmission' || row.kind === 'keep-alive' || row.kind === 'zero-window-probe' || row.kind === 'duplicate';
    dashed ||= weak;
    duplicated ||= row.kind === 'duplicate';
    const label = row.kind === 'out-of-order' ? `${row.label} (out of order)` : row.label;
    const left = closed.client ? CLOSED : OPEN;
    const right = closed.server ? CLOSED : OPEN;
    const time = formatDuration(row.time - start).padStart(TIME_WIDTH);
    const frame = String(row.frame).padStart(FRAME_WIDTH);
    lines.push({ text: `${time}${frame} ${left}${arrow(label, row.direction, lane, weak ? '╌' : '─')}${right}`, row: index });
    // The line turns dashed after the segment that closed the side.
    if ((row.flags & (SegmentFlag.FIN | SegmentFlag.RST)) !== 0) closed[row.direction] = true;
  });
  const legend: string[] = [];
  if (closed.client || closed.server) legend.push(`${CLOSED} after that side's FIN/RST`);
  if (dashed) legend.push(duplicated ? '╌ retransmission, probe or duplicate' : '╌ retransmission or probe');
  const indent = ' '.repeat(TIME_WIDTH + FRAME_WIDTH + 1);
  const oneLine = `${indent}${legend.join('   ')}`;
  // One line when it fits, else one entry a line: a legend cut short explains nothing.
  if (legend.length > 0 && oneLine.length <= width) lines.push({ text: oneLine, row: null });
  else for (const entry of legend) lines.push({ text: ellipsize(`${indent}${entry}`, width), row: null });
  return lines;
}

function heading(lane: number): string {
  const names = `client${' '.repeat(Math.max(1, lane + 2 - 'client'.length - 'server'.length))}server`;
  return `${'time'.padStart(TIME_WIDTH)}${'frame'.padStart(FRAME_WIDTH)} ${names}`;
}

function idleLine(seconds: number, lane: number, closed: { client: boolean; server: boolean }): string {
  const text = ellipsize(`⋯ ${formatDuration(seconds)} idle ⋯`, lane);
  const pad = lane - text.length;
  const left = Math.floor(pad / 2);
  const middle = `${' '.repeat(left)}${text}${' '.repeat(pad - left)}`;
  return `${' '.repeat(TIME_WIDTH + FRAME_WIDTH + 1)}${closed.client ? CLOSED : OPEN}${middle}${closed.server ? CLOSED : OPEN}`;
}

/** `── label ──►` (client to server) or `◄── label ──` across `lane` columns. */
function arrow(label: string, direction: SegmentRow['direction'], lane: number, line: string): string {
  // Head, and at least two line characters and a space on each side of the label.
  const text = ellipsize(label, lane - 7);
  const room = lane - 1 - text.length - 2;
  const before = Math.floor(room / 2);
  const after = room - before;
  const body = `${line.repeat(before)} ${text} ${line.repeat(after)}`;
  return direction === 'client' ? `${body}►` : `◄${body}`;
}
