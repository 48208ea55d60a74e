/**
 * What the UI knows about the capture, filled from analyse() events as they stream in and read by
 * the panes. It keeps per-exchange summaries (the model records, analysed with bodies off), the
 * findings, and the counters the status bar shows — never payload bytes: the views that need bytes
 * re-read them from the file by offset. `version` grows with every change, so the app redraws only
 * when something changed (and at most a few times a second).
 */
import type { AnalysisSubscriber, Progress } from '../analysis/analysis.js';
import type { CaptureError } from '../capture/frame.js';
import type { Finding, Severity } from '../lint/types.js';
import type { CaptureSummary, ConnectionModel, ConnectionOpened, ExchangeModel } from '../model/types.js';

export type SeverityCounts = Record<Severity, number>;

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
  return { error: 0, warning: 0, note: 0 };
}

export class TuiStore implements AnalysisSubscriber {
  readonly connections: ConnectionEntry[] = [];
  private readonly byId = new Map<number, ConnectionEntry>();
  /** Every finding, in the order reported. */
  readonly findings: Finding[] = [];
  private readonly findingsByExchange = new Map<string, Finding[]>();
  readonly counts: SeverityCounts = emptyCounts();
  exchangeCount = 0;
  progressed: Progress | null = null;
  /** Size of the input when it is a regular file (for the progress bar before the first progress event). */
  totalBytes: number | null = null;
  /** The damage that stopped reading (shown in the status bar). */
  failure: CaptureError | null = null;
  summary: CaptureSummary | null = null;
  /** Rule failures and other one-line notices for the status bar. */
  notices: string[] = [];
  version = 0;

  connectionOpened(c: ConnectionOpened): void {
    this.entry(c.id, c);
    this.version++;
  }

  exchange(x: ExchangeModel): void {
    const entry = this.byId.get(x.connection);
    if (entry === undefined) return;
    entry.exchanges.push(x);
    this.exchangeCount++;
    this.version++;
  }

  finding(f: Finding): void {
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
    this.notices.push(failure.message);
    this.version++;
  }

  connectionClosed(c: ConnectionModel): void {
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

  get ended(): boolean {
    return this.summary !== null;
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

function exchangeKey(connection: number, index: number): string {
  return `${connection}:${index}`;
}

function opened(c: ConnectionModel): ConnectionOpened {
  return { id: c.id, client: c.client, server: c.server, ipVersion: c.ipVersion, startTime: c.startTime, firstFrame: c.firstFrame, midStream: c.midStream };
}
