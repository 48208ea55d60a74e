/**
 * The Segments tab: every frame of an exchange with what it carried (labels from
 * src/model/segments.ts), as plain text lines cut to a width.
 */
import { SegmentFlag, type SegmentRow } from '../model/segments.js';
import { formatDuration } from '../text/units.js';
import { fit } from './escape.js';

export const SEGMENT_HEADER = ['FRAME', 'TIME', 'DIR', 'FLAGS', 'SEQ', 'LEN', 'CARRIED'];
const WIDTHS = [6, 9, 3, 9, 10, 6];

/** `SYN`, `SYN,ACK`, `PSH,ACK`, `FIN,ACK`, `RST`. */
export function flagNames(flags: number): string {
  const names: string[] = [];
  for (const [name, bit] of [
    ['SYN', SegmentFlag.SYN],
    ['FIN', SegmentFlag.FIN],
    ['RST', SegmentFlag.RST],
    ['PSH', SegmentFlag.PSH],
    ['ACK', SegmentFlag.ACK],
  ] as const) {
    if ((flags & bit) !== 0) names.push(name);
  }
  return names.join(',');
}

function line(cells: string[], width: number): string {
  const fixed = cells.slice(0, -1).map((c, i) => fit(c, WIDTHS[i]));
  return fit([...fixed, cells[cells.length - 1]].join(' '), width);
}

export function segmentHeader(width: number): string {
  return line(SEGMENT_HEADER, width);
}

/** One segment: frame, time since `start` (the connection's first segment), direction, flags, seq, payload length, what it carried. */
export function segmentLine(row: SegmentRow, start: number, width: number): string {
  return line([String(row.frame), `+${formatDuration(row.time - start)}`, row.direction === 'client' ? '→' : '←', flagNames(row.flags), String(row.seq), String(row.length), row.label], width);
}

/**
 * The segments of exchange `index`: those that carried its bytes, and the payload-less ones (ACKs,
 * a FIN, a RST) from its first segment until the next exchange's first; for the first exchange,
 * the handshake before it too.
 */
export function exchangeSegments(rows: readonly SegmentRow[], index: number): SegmentRow[] {
  const own = rows.filter((r) => r.exchange === index);
  if (own.length === 0) return [];
  const first = index === 1 ? Math.min(own[0].frame, rows[0].frame) : own[0].frame;
  const next = rows.find((r) => r.exchange !== null && r.exchange > index && r.frame > own[0].frame);
  const last = Math.max(own[own.length - 1].frame, next === undefined ? Infinity : next.frame - 1);
  return rows.filter((r) => r.frame >= first && r.frame <= last && (r.exchange === index || r.exchange === null));
}
