/**
 * What the UI knows about the capture, filled from analyse() events as they stream in and read by
 * the panes. It keeps per-exchange summaries (the model records, analysed with bodies off), the
 * findings, and the counters the status bar shows — never payload bytes: the views that need bytes
 * re-read them from the file by offset. `version` grows with every change, so the app redraws only
 * when something changed (and at most a few times a second).
 *
 * A live capture runs for hours: clear() (the dashboard's `c`) and keep(N) (`--keep N`) let
 * exchanges and closed connections go while the counters (exchangeCount, counts) and the findings
 * list stay whole. An entry's `exchanges` then starts later than index 1: look up by exchangeAt().
 */
import type { AnalysisSubscriber, Progress } from '../analysis/analysis.js';
import type { CaptureError } from '../capture/frame.js';
import type { Finding, Severity } from '../lint/types.js';
import { exchangeKey } from '../report/export-common.js';
import { countSeverities, type SeverityCounts } from '../report/lint-format.js';
import type { CaptureSummary, ConnectionModel, ConnectionOpened, ExchangeModel } from '../model/types.js';

export type { SeverityCounts };

export interface ConnectionEntry {
  id: number;
  opened: ConnectionOpened;
  /** The final record once the connection ended and settled; null while it is open. */
  closed: ConnectionModel | null;
  exchanges: ExchangeModel[];
  /** Findings on the connection or any of its exchanges, by severity. */
  findings: SeverityCounts;
}

export function emptyCounts(): SeverityCounts {
  return countSeverities([]);
}

export class TuiStore implements AnalysisSubscriber {
  readonly connections: ConnectionEntry[] = [];
  private readonly byId = new Map<number, ConnectionEntry>();
  /** Every finding, in the order reported. */
  readonly findings: Finding[] = [];
  private readonly findingsByExchange = new Map<string, Finding[]>();
  readonly counts: SeverityCounts = emptyCounts();
  /** Exchanges seen, including those clear() or keep() let go. */
  exchangeCount = 0;
  /** The exchange reported last (the live dashboard's follow mode selects it), null before the first or after clear(). */
  newest: ExchangeModel | null = null;
  /** Exchanges still in the tables. */
  private retained = 0;
  progressed: Progress | null = null;
  /** Size of the input when it is a regular file (for the progress bar before the first progress event). */
  totalBytes: number | null = null;
  /** The damage that stopped reading (shown in the status bar). */
  failure: CaptureError | null = null;
  summary: CaptureSummary | null = null;
  /** Rule failures and other one-line notices for the status bar. */
  notices: string[] = [];
  version = 0;
  /**
   * What the analysis reported while the display is paused (hold()), in order: the tables stay as
   * they were when the user paused, keys browse them, and release() applies it all. Progress, a
   * read error and the end of the capture are not held (the status says at once). Each event
   * handler checks this field first: the closure that holds an event is made only while paused.
   */
  private held: Array<() => void> | null = null;

  /** Freezes the tables: events are held until release() (the live dashboard's pause). */
  hold(): void {
    this.held ??= [];
  }

  /** Applies the held events in the order they came, and lets the next ones through. */
  release(): void {
    const held = this.held;
    this.held = null;
    if (held !== null) for (const apply of held) apply();
  }

  /** Events held since hold(). */
  get heldCount(): number {
    return this.held?.length ?? 0;
  }

  connectionOpened(c: ConnectionOpened): void {
    if (this.held !== null) return void this.held.push(() => this.connectionOpened(c));
    this.entry(c.id, c);
    this.version++;
  }

  exchange(x: ExchangeModel): void {
    if (this.held !== null) return void this.held.push(() => this.exchange(x));
    const entry = this.byId.get(x.connection);
    if (entry === undefined) return;
    entry.exchanges.push(x);
    this.exchangeCount++;
    this.retained++;
    this.newest = x;
    this.version++;
  }

  finding(f: Finding): void {
    if (this.held !== null) return void this.held.push(() => this.finding(f));
    this.findings.push(f);
    this.counts[f.severity]++;
    if (f.connection !== null) {
      const entry = this.byId.get(f.connection);
      if (entry !== undefined) entry.findings[f.severity]++;
      if (f.exchange !== null) {
        const key = exchangeKey(f.connection, f.exchange);
        const list = this.findingsByExchange.get(key);
        if (list === undefined) this.findingsByExchange.set(key, [f]);
        else list.push(f);
      }
    }
    this.version++;
  }

  ruleError(failure: { message: string }): void {
    if (this.held !== null) return void this.held.push(() => this.ruleError(failure));
    this.notices.push(failure.message);
    this.version++;
  }

  connectionClosed(c: ConnectionModel): void {
    if (this.held !== null) return void this.held.push(() => this.connectionClosed(c));
    const entry = this.byId.get(c.id) ?? this.entry(c.id, opened(c));
    entry.closed = c;
    this.version++;
  }

  progress(p: Progress): void {
    this.progressed = p;
    this.version++;
  }

  error(e: CaptureError): void {
    this.failure = e;
    this.version++;
  }

  captureEnded(summary: CaptureSummary): void {
    this.summary = summary;
    this.version++;
  }

  connection(id: number): ConnectionEntry | undefined {
    return this.byId.get(id);
  }

  /** The findings on one exchange (connection id, 1-based index). */
  exchangeFindings(connection: number, index: number): readonly Finding[] {
    return this.findingsByExchange.get(exchangeKey(connection, index)) ?? [];
  }

  /** Findings on the connection itself (not on one of its exchanges). */
  connectionFindings(connection: number): Finding[] {
    return this.findings.filter((f) => f.connection === connection && f.exchange === null);
  }

  /**
   * Empties the tables (the live dashboard's clear): closed connections go, open ones keep only
   * what comes next. Counters and the findings list stay. Returns the ids of the connections gone.
   */
  clear(): number[] {
    const gone: number[] = [];
    for (const entry of [...this.connections]) {
      if (entry.closed !== null) {
        this.remove(entry);
        gone.push(entry.id);
      } else {
        entry.exchanges = [];
      }
    }
    this.findingsByExchange.clear();
    this.retained = 0;
    this.newest = null;
    this.version++;
    return gone;
  }

  /**
   * Bounds the history (`live --keep N`): the oldest exchanges beyond `limit` leave (still counted,
   * their findings still in the findings list), then closed connections with no exchange left, the
   * oldest first, while there are more than `limit` connections. Returns the ids of the connections gone.
   */
  keep(limit: number): number[] {
    const gone: number[] = [];
    for (const entry of this.connections) {
      if (this.retained <= limit) break;
      const n = Math.min(entry.exchanges.length, this.retained - limit);
      for (const x of entry.exchanges.splice(0, n)) this.findingsByExchange.delete(exchangeKey(x.connection, x.index));
      this.retained -= n;
    }
    let excess = this.connections.length - limit;
    for (const entry of [...this.connections]) {
      if (excess <= 0) break;
      if (entry.closed === null || entry.exchanges.length > 0) continue;
      this.remove(entry);
      gone.push(entry.id);
      excess--;
    }
    if (gone.length > 0) this.version++;
    return gone;
  }

  get ended(): boolean {
    return this.summary !== null;
  }

  private remove(entry: ConnectionEntry): void {
    this.byId.delete(entry.id);
    this.connections.splice(this.connections.indexOf(entry), 1);
    for (const x of entry.exchanges) this.findingsByExchange.delete(exchangeKey(x.connection, x.index));
  }

  private entry(id: number, c: ConnectionOpened): ConnectionEntry {
    const existing = this.byId.get(id);
    if (existing !== undefined) return existing;
    const entry: ConnectionEntry = { id, opened: c, closed: null, exchanges: [], findings: emptyCounts() };
    this.byId.set(id, entry);
    // Connections are opened in id order; a record for an unseen id is inserted in place anyway.
    let i = this.connections.length;
    while (i > 0 && this.connections[i - 1].id > id) i--;
    this.connections.splice(i, 0, entry);
    return entry;
  }
}

/** The exchange with 1-based `index` on the connection, or null when it is not (or no longer) in the store. */
export function exchangeAt(entry: ConnectionEntry, index: number): ExchangeModel | null {
  const first = entry.exchanges[0]?.index ?? 1;
  const x = entry.exchanges[index - first];
  return x !== undefined && x.index === index ? x : (entry.exchanges.find((e) => e.index === index) ?? null);
}

function opened(c: ConnectionModel): ConnectionOpened {
  return { id: c.id, client: c.client, server: c.server, ipVersion: c.ipVersion, startTime: c.startTime, firstFrame: c.firstFrame, midStream: c.midStream };
}
