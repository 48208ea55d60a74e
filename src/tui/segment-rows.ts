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
