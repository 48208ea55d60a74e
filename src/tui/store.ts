/**
 * What the UI knows about the capture, filled from analyse() events as they stream in and read by
 * the panes. It keeps a row per exchange and per closed connection (tui/exchange-row.ts: what the
 * tables and the filter show), the findings, and the counters the status bar shows — never payload
 * bytes: the views that need bytes re-read them from the file by offset. The full models (headers,
 * timings, frames, Node's verdicts) are kept as a ModelPolicy says: a capture file keeps those of
 * the connections looked at last, a stream (the live dashboard) those of its open connections and
 * of the closed ones seen last. The others are rebuilt from the file when someone looks at them
 * (models(): the loader analyses the connection's frames again, analysis/reanalyse.ts). Without a
 * loader (no file to read again) every model is kept. `version` grows with every change, so the
 * app redraws only when something changed (and at most a few times a second).
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
import type { ConnectionModels } from '../analysis/reanalyse.js';
import { toConnectionRow, toExchangeRow, type ConnectionRow, type ExchangeRow } from './exchange-row.js';

export type { SeverityCounts };

export interface ConnectionEntry {
  id: number;
  opened: ConnectionOpened;
  /** The final record's row once the connection ended and settled; null while it is open. */
  closed: ConnectionRow | null;
  exchanges: ExchangeRow[];
  /** Findings on the connection or any of its exchanges, by severity. */
  findings: SeverityCounts;
}

export function emptyCounts(): SeverityCounts {
  return countSeverities([]);
}

/** Rebuilds a closed connection's models (from the file: see FileByteViews.loadModels). */
export type ModelLoader = (id: number, row: ConnectionRow) => Promise<ConnectionModels>;

/** Which models the store keeps when it can rebuild the others (rebuildWith). */
export interface ModelPolicy {
  /** Models (exchanges, plus one per connection) kept before the ones used least recently go. */
  budget: number;
  /**
   * Open connections' models may go too (and are rebuilt once the connection closed). For a capture
   * file: a model kept for a while outlives two scavenges and is copied into the old generation, which
   * made loading the 412 MB benchmark capture take 1.4–1.8 s instead of 0.95–1.0 s. Not for a stream
   * (the live dashboard): its open connections are the ones shown.
   */
  dropOpen: boolean;
  /**
   * A capture whose models never weighed more than this keeps them all (nothing is rebuilt); past
   * it, the budget applies. Default: the budget.
   */
  keepAllUpTo?: number;
}

/**
 * A stream's budget: about 5 KB a model, so some 50 MB of closed connections' models, kept for the
 * live dashboard's browsing; its open connections' models are all kept (`--keep N` bounds them).
 */
export const STREAM_MODELS: ModelPolicy = { budget: 10_000, dropOpen: false };

/**
 * A capture file's: one of up to 1 000 models keeps them all; a larger one keeps only the models of
 * the connection looked at, and rebuilds the others in milliseconds (a long connection in tenths of
 * a second) from the file. Even 64 models kept while 100 000 short connections stream by made
 * loading them take 4.4–4.6 s instead of 3.0–3.2 s (every model lived a little too long).
 */
export const FILE_MODELS: ModelPolicy = { budget: 0, dropOpen: true, keepAllUpTo: 1_000 };

/**
 * A connection's models: kept, being rebuilt, why they could not be, or let go while the connection
 * is still open (its next exchanges are not kept either; rebuilt once it closed).
 */
type Kept = { state: 'kept'; models: ConnectionModels } | { state: 'loading' } | { state: 'failed'; message: string } | { state: 'dropped' };

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
  newest: ExchangeRow | null = null;
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
  /** Models per connection id, least recently used first. */
  private readonly kept = new Map<number, Kept>();
  /** The weight of the models kept (see ModelPolicy.budget). */
  private keptWeight = 0;
  /** The weight of every model the analysis handed on (see ModelPolicy.keepAllUpTo). */
  private seenWeight = 0;
  private loader: ModelLoader | null = null;
  private policy: ModelPolicy = STREAM_MODELS;
  /** Called when rebuilt models arrive (the app redraws at once: a short connection takes milliseconds). */
  private rebuilt: () => void = () => {};
  /**
   * The connection whose models were asked for last (the selection: the panes ask at every redraw).
   * Never let go: a connection over the budget by itself would otherwise be rebuilt again and again
   * while the capture loads.
   */
  private lastAsked: number | null = null;

  /** Lets the store drop models beyond the policy's budget, rebuilding them with `loader` when asked for. */
  rebuildWith(loader: ModelLoader, policy: ModelPolicy = STREAM_MODELS, rebuilt: () => void = () => {}): void {
    this.loader = loader;
    this.policy = policy;
    this.rebuilt = rebuilt;
    this.trimModels();
  }

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
    const row = toExchangeRow(x);
    // Most connections carry one exchange: a literal holds it in one slot, push would make room for 16.
    if (entry.exchanges.length === 0) entry.exchanges = [row];
    else entry.exchanges.push(row);
    const models = this.modelsOf(x.connection);
    if (models !== null) {
      models.exchanges.push(x);
      this.keptWeight++;
      this.seenWeight++;
      this.trimModels();
    }
    this.exchangeCount++;
    this.retained++;
    this.newest = row;
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
    entry.closed = toConnectionRow(c);
    const models = this.modelsOf(c.id);
    if (models === null) {
      // Let go while open: rebuilt from the file when asked for, now that it is over.
      this.kept.delete(c.id);
    } else {
      models.connection = c;
      this.touch(c.id);
      this.trimModels();
    }
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

  /**
   * The connection that took `id`'s 4-tuple over, when a SYN replaced it while it was open: the next
   * one between the same two endpoints (either way round). Null when there is none in the store.
   */
  successor(id: number): number | null {
    const entry = this.byId.get(id);
    if (entry === undefined) return null;
    const { client, server } = entry.opened;
    for (let i = this.connections.indexOf(entry) + 1; i < this.connections.length; i++) {
      const o = this.connections[i].opened;
      if ((o.client === client && o.server === server) || (o.client === server && o.server === client)) return o.id;
    }
    return null;
  }

  /**
   * The connection's full models, or null while they are being rebuilt (the store's version grows
   * when they arrive) or when they cannot be (see modelsProblem). Asking marks them used last.
   */
  models(id: number): ConnectionModels | null {
    this.lastAsked = id;
    const kept = this.kept.get(id);
    if (kept?.state === 'kept') {
      this.touch(id);
      return kept.models;
    }
    if (kept === undefined) this.load(id);
    return null;
  }

  /** Why the connection's models are not there (null: they are kept, or on their way). */
  modelsProblem(id: number): string | null {
    const kept = this.kept.get(id);
    if (kept?.state === 'failed') return kept.message;
    if (kept?.state === 'dropped') return `connection ${id} is still being read: its details are rebuilt from the file once it closes`;
    return null;
  }

  /** Marks the connection's entry used last (the end of the map's order). */
  private touch(id: number): void {
    const kept = this.kept.get(id);
    if (kept === undefined) return;
    this.kept.delete(id);
    this.kept.set(id, kept);
  }

  private load(id: number): void {
    const entry = this.byId.get(id);
    const loader = this.loader;
    if (entry === undefined || entry.closed === null || loader === null) return;
    const row = entry.closed;
    this.kept.set(id, { state: 'loading' });
    const arrived = (kept: Kept): void => {
      // Let go meanwhile (keep(), clear()): nothing to do.
      if (this.kept.get(id)?.state !== 'loading') return;
      this.kept.set(id, kept);
      if (kept.state === 'kept') {
        this.keptWeight += weight(kept.models);
        this.trimModels(id);
      }
      this.version++;
      this.rebuilt();
    };
    loader(id, row).then(
      (models) => {
        // The first pass's counts: frames it read alone that did not make the same connection (IP fragments) say so.
        if (models.connection === null || models.connection.frames.total !== row.frames || models.exchanges.length !== (models.connection.exchanges ?? 0)) {
          return arrived({ state: 'failed', message: `connection ${id} could not be rebuilt from its frames alone (IP fragments?)` });
        }
        // What keep() or clear() let go stays gone.
        const first = entry.exchanges[0]?.index ?? Number.POSITIVE_INFINITY;
        models.exchanges = models.exchanges.filter((x) => x.index >= first);
        arrived({ state: 'kept', models });
      },
      (error: Error) => arrived({ state: 'failed', message: `connection ${id} could not be read again: ${error.message}` }),
    );
  }

  /** An open connection's models (created at its first event; they weigh 1), or null when they were let go. */
  private modelsOf(id: number): ConnectionModels | null {
    const kept = this.kept.get(id);
    if (kept?.state === 'kept') return kept.models;
    if (kept?.state === 'dropped') return null;
    const models: ConnectionModels = { connection: null, exchanges: [] };
    this.kept.set(id, { state: 'kept', models });
    this.keptWeight++;
    this.seenWeight++;
    return models;
  }

  /**
   * Past the budget, models go, least recently used first: never those asked for last (nor `spare`'s,
   * just rebuilt), open ones only as the policy says.
   */
  private trimModels(spare: number | null = null): void {
    if (this.loader === null || this.keptWeight <= this.policy.budget || this.seenWeight <= (this.policy.keepAllUpTo ?? this.policy.budget)) return;
    for (const [id, kept] of this.kept) {
      if (this.keptWeight <= this.policy.budget) return;
      if (id === spare || id === this.lastAsked || kept.state !== 'kept') continue;
      const open = kept.models.connection === null;
      if (open && !this.policy.dropOpen) continue;
      if (open) this.kept.set(id, { state: 'dropped' });
      else this.kept.delete(id);
      this.keptWeight -= weight(kept.models);
    }
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
        this.dropModels(entry.id, Number.POSITIVE_INFINITY);
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
      this.dropModels(entry.id, entry.exchanges[0]?.index ?? Number.POSITIVE_INFINITY);
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

  /** The connection's kept models before exchange `first` go (keep()); all of them with no `first`. */
  private dropModels(id: number, first: number | null = null): void {
    const kept = this.kept.get(id);
    if (kept?.state !== 'kept') {
      if (first === null) this.kept.delete(id);
      return;
    }
    this.keptWeight -= weight(kept.models);
    if (first === null) {
      this.kept.delete(id);
      return;
    }
    kept.models.exchanges = kept.models.exchanges.filter((x) => x.index >= first);
    this.keptWeight += weight(kept.models);
  }

  private remove(entry: ConnectionEntry): void {
    this.dropModels(entry.id);
    this.byId.delete(entry.id);
    this.connections.splice(this.connections.indexOf(entry), 1);
    for (const x of entry.exchanges) this.findingsByExchange.delete(exchangeKey(x.connection, x.index));
  }

  private entry(id: number, c: ConnectionOpened): ConnectionEntry {
    const existing = this.byId.get(id);
    if (existing !== undefined) return existing;
    const entry: ConnectionEntry = { id, opened: c, closed: null, exchanges: [], findings: emptyCounts() };
    this.byId.set(id, entry);
    // Connections are opened in id order (push: a splice moves the 100 000th element with a write
    // barrier each, and every later scavenge visits them); a record for an unseen id goes in place.
    const last = this.connections.at(-1);
    if (last === undefined || last.id < id) {
      this.connections.push(entry);
    } else {
      let i = this.connections.length;
      while (i > 0 && this.connections[i - 1].id > id) i--;
      this.connections.splice(i, 0, entry);
    }
    return entry;
  }
}

/** The exchange with 1-based `index` in a connection's list (rows or models), or null when it is not (or no longer) there. */
export function exchangeAt<T extends { index: number }>(exchanges: readonly T[], index: number): T | null {
  const first = exchanges[0]?.index ?? 1;
  const x = exchanges[index - first];
  return x !== undefined && x.index === index ? x : (exchanges.find((e) => e.index === index) ?? null);
}

/** What a connection's models count against MODEL_BUDGET. */
function weight(models: ConnectionModels): number {
  return models.exchanges.length + 1;
}

function opened(c: ConnectionModel): ConnectionOpened {
  return { id: c.id, client: c.client, server: c.server, ipVersion: c.ipVersion, startTime: c.startTime, firstFrame: c.firstFrame, midStream: c.midStream };
}
