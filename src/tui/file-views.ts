/**
 * The byte views over a capture file: segments kept compactly while the analysis streams by
 * (SegmentLog), labelled with what they carried when a tab asks; payload re-read from the file by
 * offset when a tab needs bytes.
 */
import { SegmentLog } from '../model/segment-log.js';
import { labelSegments, type SegmentRow } from '../model/segments.js';
import type { ExchangeModel } from '../model/types.js';
import { renderLadder } from '../report/ladder.js';
import type { ByteViews } from './byte-views.js';
import { wire } from './escape.js';
import { exchangeSegments, segmentHeader, segmentLine } from './segment-rows.js';
import type { TuiStore } from './store.js';

const NOTHING = (what: string): string[] => [`{gray-fg}(${what}){/gray-fg}`];

/** While the capture streams in, a connection's labelled segments are rebuilt at most this often. */
const RELABEL_MS = 500;

export class FileByteViews implements ByteViews {
  readonly log = new SegmentLog();
  /** The last connection labelled (the tabs ask again at every redraw). */
  private labelled: { connection: number; version: number; at: number; rows: SegmentRow[] } | null = null;

  private drawn: { rows: SegmentRow[]; key: string; lines: string[] } | null = null;

  constructor(private readonly store: TuiStore) {}

  /**
   * The connection's segments with labels: cached until the store changes, and while it keeps
   * changing (a capture still being read) rebuilt at most every RELABEL_MS — a long keep-alive
   * connection has hundreds of thousands of segments.
   */
  rows(connection: number): SegmentRow[] {
    const cached = this.labelled;
    const now = Date.now();
    if (cached !== null && cached.connection === connection && (cached.version === this.store.version || (!this.store.ended && now - cached.at < RELABEL_MS))) return cached.rows;
    const entry = this.store.connection(connection);
    const rows = labelSegments(this.log.forConnection(connection), entry?.exchanges ?? []);
    this.labelled = { connection, version: this.store.version, at: now, rows };
    return rows;
  }

  body(): string[] | null {
    return null;
  }

  segments(connection: number, x: ExchangeModel | null, width: number): string[] {
    const all = this.rows(connection);
    if (all.length === 0) return NOTHING('no segments recorded for this connection');
    const rows = x === null ? all : exchangeSegments(all, x.index);
    if (rows.length === 0) return NOTHING('no segment carried this exchange');
    const start = all[0].time;
    return [`{bold}${wire(segmentHeader(width))}{/bold}`, ...rows.map((r) => wire(segmentLine(r, start, width)))];
  }

  raw(): string[] {
    return NOTHING('raw bytes: not available yet');
  }

  /**
   * The connection's ladder (renderLadder), its lines escaped; the selected exchange's arrows
   * highlighted. Cached with the rows: a ladder of a long connection is long.
   */
  ladder(connection: number, x: ExchangeModel | null, width: number): string[] {
    const rows = this.rows(connection);
    if (rows.length === 0) return NOTHING('no segments recorded for this connection');
    const key = `${connection}:${width}:${x?.index ?? ''}`;
    if (this.drawn !== null && this.drawn.rows === rows && this.drawn.key === key) return this.drawn.lines;
    const lines = renderLadder(rows, { width });
    // Arrow lines carry the frame number after the time column: highlight the selected exchange's.
    const own = new Set(x === null ? [] : rows.filter((r) => r.exchange === x.index).map((r) => r.frame));
    const shown = lines.map((line) => {
      const frame = /^\s*\S+\s+(\d+) /.exec(line);
      const text = wire(line);
      return frame !== null && own.has(Number(frame[1])) ? `{cyan-fg}${text}{/cyan-fg}` : text;
    });
    this.drawn = { rows, key, lines: shown };
    return shown;
  }
}
