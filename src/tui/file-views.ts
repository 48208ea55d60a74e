/**
 * The byte views over a capture file: segments kept compactly while the analysis streams by
 * (SegmentLog), labelled with what they carried when a tab asks; payload re-read from the file by
 * offset when a tab needs bytes.
 */
import { readWindowStreams, type WindowStream } from '../analysis/connection-streams.js';
import { FrameReader } from '../capture/frame-reader.js';
import { SegmentLog } from '../model/segment-log.js';
import { exchangeFrames, exchangeSegments, extendLabels, labelSegments, type SegmentRow } from '../model/segments.js';
import type { ExchangeModel, MessageModel } from '../model/types.js';
import type { AnalysisOptions } from '../analysis/analysis.js';
import { reanalyseConnection, type ConnectionModels } from '../analysis/reanalyse.js';
import type { ConnectionRow } from './exchange-row.js';
import type { Direction } from '../tcp/stream.js';
import { previewBody, windowBytes } from './body-bytes.js';
import { bodyLines, hexDump, rebuildingLines } from './detail.js';
import { ladderLines } from '../report/ladder.js';
import { LADDER_HIGHLIGHT, type ByteViews } from './byte-views.js';
import { wire } from './escape.js';
import { segmentHeader, segmentLine } from './segment-rows.js';
import type { TuiStore } from './store.js';

const NOTHING = (what: string): string[] => [`{gray-fg}(${what}){/gray-fg}`];

/** Raw tab: bytes shown per message (the rest is counted, not dumped). */
const RAW_LIMIT = 16 * 1024;

/** The bytes of one exchange's connection, re-read from the file: pending, read, or why not. */
type Fetched = { state: 'pending' } | { state: 'read'; streams: Record<Direction, WindowStream> } | { state: 'failed'; message: string };

/** While the capture streams in, a connection's ladder is redrawn at most this often (a long one is long). */
const REDRAW_LADDER_MS = 500;

export class FileByteViews implements ByteViews {
  readonly log = new SegmentLog();
  /**
   * The last connection labelled (the tabs ask again at every redraw): its rows, the store version
   * they are for, and how many of its segments and which exchanges (up to index `known`) they
   * cover — a longer connection's rows are extended from there (extendLabels), not rebuilt.
   */
  private labelled: { connection: number; version: number; rows: SegmentRow[]; records: number; known: number } | null = null;

  private drawn: { rows: SegmentRow[]; key: string; lines: string[]; at: number } | null = null;

  /** The streams of the last exchange asked for (one at a time: the UI keeps no payload). */
  private fetched: { key: string; result: Fetched } | null = null;

  /**
   * One reader for every fetch, opened on the first: a pcapng reader walks the block headers up to
   * the frame it reads (for the interfaces), and a fresh one per fetch walked the whole file again
   * (230 ms for a frame at the end of a 420 MB capture). Reads take turns on it.
   */
  private reader: Promise<FrameReader> | null = null;
  private turn: Promise<unknown> = Promise.resolve();

  /**
   * `path`: the capture file to re-read bytes from, or the live spool (null for plain stdin: no body
   * preview nor Raw tab then). `changed` is called when bytes asked for have arrived.
   */
  constructor(
    private readonly store: TuiStore,
    private readonly path: string | null = null,
    private readonly changed: () => void = () => {},
  ) {}

  /**
   * The connection's segments with labels, kept for the store version they were built at. While a
   * capture streams in, a connection's rows are extended by what came since (extendLabels): a long
   * keep-alive connection has hundreds of thousands of segments, and the newest exchange (live's
   * follow mode selects it) must be among them at once.
   */
  rows(connection: number): SegmentRow[] | null {
    const cached = this.labelled;
    if (cached !== null && cached.connection === connection && cached.version === this.store.version) return cached.rows;
    // Labels need the exchanges: while a connection's models are rebuilt there are none to label with.
    const models = this.store.models(connection);
    if (models === null) return null;
    const exchanges = models.exchanges;
    const count = this.log.countOf(connection);
    const rows =
      cached !== null && cached.connection === connection && cached.records <= count
        ? extendLabels(cached.rows, this.log.forConnectionFrom(connection, cached.records), exchanges, cached.known)
        : labelSegments(this.log.forConnection(connection), exchanges);
    this.labelled = { connection, version: this.store.version, rows, records: count, known: exchanges.at(-1)?.index ?? cached?.known ?? 0 };
    return rows;
  }

  /**
   * A closed connection's models rebuilt from its frames (TuiStore's loader): read again by offset
   * on the shared reader, analysed alone with the first pass's options.
   */
  loadModels(id: number, row: ConnectionRow, options: Pick<AnalysisOptions, 'nodeVerdict'>): Promise<ConnectionModels> {
    if (this.path === null) return Promise.reject(new Error('no file to read the capture again from'));
    // The next connection on the 4-tuple: its first segment may be the SYN that ended this one.
    const next = this.store.successor(id);
    const successor = next === null ? null : this.log.firstOf(next);
    const bounds = { firstTime: row.captureStart, lastTime: this.store.summary?.lastTime ?? null };
    return this.onReader((reader) => reanalyseConnection(reader, id, this.log.forConnection(id), row.end, bounds, { nodeVerdict: options.nodeVerdict }, successor, row.fallback));
  }

  /** Runs `work` on the shared reader (opened on first use) once the reads before it are done. */
  private onReader<T>(work: (reader: FrameReader) => Promise<T>): Promise<T> {
    const reader = (this.reader ??= FrameReader.open(this.path as string));
    const done = this.turn.then(async () => work(await reader));
    this.turn = done.catch(() => undefined);
    return done;
  }

  body(x: ExchangeModel, which: 'request' | 'response'): string[] | null {
    const m = which === 'request' ? x.request : x.response;
    if (m === null || (m.framing?.actualBodyBytes ?? 0) === 0 || this.path === null) return null;
    const fetched = this.fetch(x);
    if (fetched.state !== 'read') return this.notRead(fetched);
    const stream = fetched.streams[m.direction];
    const view = previewBody(m, stream.bytes, undefined, stream.base);
    return view === null ? null : bodyLines(view);
  }

  raw(connection: number, x: ExchangeModel | null): string[] {
    if (this.path === null) return NOTHING('raw bytes are read again from the capture file: not available for this input');
    if (x === null) return NOTHING('select an exchange');
    const fetched = this.fetch(x);
    if (fetched.state !== 'read') return this.notRead(fetched);
    const lines: string[] = [];
    for (const m of [x.request, ...x.interim, x.response]) {
      if (m === null) continue;
      lines.push(...rawLines(m, fetched.streams[m.direction]), '');
    }
    return lines.length === 0 ? NOTHING(`no bytes of exchange ${x.index} on connection ${connection}`) : lines;
  }

  private notRead(fetched: Exclude<Fetched, { state: 'read' }>): string[] {
    return fetched.state === 'pending' ? NOTHING('reading the frames again from the file…') : [`{red-fg}${wire(fetched.message)}{/red-fg}`];
  }

  /**
   * The exchange's own frames read again from the file, its first to its last (once; `changed` when
   * they arrive): a connection open for hours is not read again from its start.
   */
  private fetch(x: ExchangeModel): Fetched {
    const key = `${x.connection}:${x.index}`;
    if (this.fetched !== null && this.fetched.key === key) return this.fetched.result;
    const rows = this.rows(x.connection);
    if (rows === null) return { state: 'pending' };
    const segments = exchangeSegments(rows, x);
    // Asked for within the frame that ends the exchange, before its segment is logged: not read
    // (nor remembered) yet, the next redraw asks again.
    const { last } = exchangeFrames(x);
    if (!segments.some((r) => r.frame >= last)) return { state: 'pending' };
    const entry = { key, result: { state: 'pending' } as Fetched };
    this.fetched = entry;
    this.onReader((reader) => readWindowStreams(reader, segments)).then(
      (streams) => {
        entry.result = { state: 'read', streams };
        this.changed();
      },
      (error: unknown) => {
        entry.result = { state: 'failed', message: error instanceof Error ? error.message : String(error) };
        this.changed();
      },
    );
    return entry.result;
  }

  /** Closes the file the bytes were read from (the UI is leaving). */
  async close(): Promise<void> {
    const reader = this.reader;
    this.reader = null;
    if (reader !== null) await (await reader.catch(() => null))?.close();
  }

  segments(connection: number, x: ExchangeModel | null, width: number): string[] {
    const all = this.rows(connection);
    if (all === null) return rebuildingLines(connection, this.store.modelsProblem(connection));
    if (all.length === 0) return NOTHING('no segments recorded for this connection');
    const rows = x === null ? all : exchangeSegments(all, x);
    if (rows.length === 0 && x !== null && exchangeFrames(x).last > all[all.length - 1].frame) {
      // Asked for within the frame that ends the exchange, before its segment is logged.
      return NOTHING('its segments are not in the log yet (the capture is still being read)');
    }
    if (rows.length === 0) return NOTHING('no segment carried this exchange');
    const start = all[0].time;
    return [`{bold}${wire(segmentHeader(width))}{/bold}`, ...rows.map((r) => wire(segmentLine(r, start, width)))];
  }

  /**
   * The connection's ladder (renderLadder), its lines escaped; the selected exchange's arrows
   * highlighted. Cached with the rows: a ladder of a long connection is long.
   */
  ladder(connection: number, x: ExchangeModel | null, width: number): string[] {
    const rows = this.rows(connection);
    if (rows === null) return rebuildingLines(connection, this.store.modelsProblem(connection));
    if (rows.length === 0) return NOTHING('no segments recorded for this connection');
    const key = `${connection}:${width}:${x?.index ?? ''}`;
    const drawn = this.drawn;
    // The same rows, or rows that grew a moment ago while the capture streams in: the lines drawn.
    if (drawn !== null && drawn.key === key && (drawn.rows === rows || (!this.store.ended && Date.now() - drawn.at < REDRAW_LADDER_MS))) return drawn.lines;
    const own = x === null ? null : new Set(exchangeSegments(rows, x).filter((r) => r.exchange === x.index));
    const shown = ladderLines(rows, { width }).map((line) => {
      const text = wire(line.text);
      return line.row !== null && own !== null && own.has(rows[line.row]) ? `${LADDER_HIGHLIGHT}${text}{/cyan-fg}` : text;
    });
    this.drawn = { rows, key, lines: shown, at: Date.now() };
    return shown;
  }
}

/** A message's bytes as sent (head and body), hex and ASCII, with a heading. */
function rawLines(m: MessageModel, stream: WindowStream): string[] {
  const start = m.offsets.headStart;
  const bytes = windowBytes(stream.bytes, stream.base, start, m.offsets.bodyEnd ?? m.offsets.headEnd);
  const arrow = m.direction === 'client' ? '→' : '←';
  const heading = `{bold}${arrow} ${m.kind} (${m.direction}), ${bytes.length} B at stream offset ${start}{/bold}`;
  const shown = bytes.subarray(0, RAW_LIMIT);
  const lines = [heading, ...hexDump(shown, start).map(wire)];
  if (bytes.length > shown.length) lines.push(`{gray-fg}… ${bytes.length - shown.length} B more{/gray-fg}`);
  return lines;
}
