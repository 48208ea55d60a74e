import type { AnalysisSubscriber } from '../analysis/analysis.js';
import type { CaptureSummary, ConnectionModel, ConnectionOpened, ExchangeModel } from '../model/types.js';
import type { Finding } from '../lint/types.js';
import { formatConnectionHead, formatConnectionTail, formatExchange, formatExplanations, formatFinding, formatSummary, type TextOptions } from './text.js';

export interface TextReportOptions extends TextOptions {
  /** Only this connection (report --conn). */
  connection?: number;
  /** Only this exchange of it (report --conn ID --exchange N). */
  exchange?: number;
}

/** What is kept of a connection while it is open: its exchanges, already rendered, and its findings. */
interface Block {
  midStream: boolean;
  /** Rendered exchanges by index. */
  exchanges: Map<number, string[]>;
  /** Findings by exchange index (0: the connection's own). */
  findings: Map<number, Finding[]>;
}

/**
 * The human report: a summary at the top, then each connection with its exchanges, in id order.
 * Exchanges are rendered as they complete and only their text is kept (a text report is read by a
 * person, so it is written once the whole capture is known; `--json` streams instead).
 */
export class TextReportWriter implements AnalysisSubscriber {
  private readonly open = new Map<number, Block>();
  private readonly done: Array<{ id: number; text: string }> = [];
  private captureStart: number | null = null;
  private lastNote: string | null = null;

  constructor(
    private readonly out: (text: string) => void,
    private readonly options: TextReportOptions = {},
  ) {}

  connectionOpened(c: ConnectionOpened): void {
    this.captureStart ??= c.startTime;
    if (!this.wanted(c.id)) return;
    this.open.set(c.id, { midStream: c.midStream, exchanges: new Map(), findings: new Map() });
  }

  /** Kept with its connection (or, capture-wide, for the top), and printed under what it concerns. */
  finding(f: Finding): void {
    if (!this.explained.has(f.ruleId)) this.explained.set(f.ruleId, f);
    if (f.connection === null) {
      if (this.options.connection === undefined) this.captureFindings.push(f);
      return;
    }
    const block = this.open.get(f.connection);
    if (block === undefined) return;
    const key = f.exchange ?? 0;
    const list = block.findings.get(key);
    if (list) list.push(f);
    else block.findings.set(key, [f]);
  }

  exchange(x: ExchangeModel): void {
    const block = this.open.get(x.connection);
    if (block === undefined) return;
    if (this.options.exchange !== undefined && x.index !== this.options.exchange) return;
    block.exchanges.set(x.index, formatExchange(x, this.captureStart ?? 0, block.midStream, this.options));
  }

  connectionClosed(c: ConnectionModel): void {
    const block = this.open.get(c.id);
    if (block === undefined) return;
    this.open.delete(c.id);
    const lines = formatConnectionHead(c);
    for (const [index, rendered] of [...block.exchanges].sort((a, b) => a[0] - b[0])) {
      lines.push(...rendered);
      for (const f of block.findings.get(index) ?? []) lines.push(...formatFinding(f, '      '));
    }
    for (const f of block.findings.get(0) ?? []) lines.push(...formatFinding(f, '  '));
    this.done.push({ id: c.id, text: lines.join('\n') + '\n' });
    // Tail lines need the note decision, made in id order at the end: keep the connection's tail apart.
    this.tails.set(c.id, c);
  }

  private readonly tails = new Map<number, ConnectionModel>();
  private readonly captureFindings: Finding[] = [];
  /** One finding per rule seen: its help is printed once, at the end. */
  private readonly explained = new Map<string, Finding>();

  captureEnded(summary: CaptureSummary): void {
    if (summary.error !== null && summary.frames === 0) return;
    this.out(formatSummary(summary));
    if (this.captureFindings.length) this.out(['', 'Across connections', ...this.captureFindings.flatMap((f) => formatFinding(f, '  '))].join('\n') + '\n');
    this.done.sort((a, b) => a.id - b.id);
    for (const { id, text } of this.done) {
      const conn = this.tails.get(id) as ConnectionModel;
      // The capture-point caveat is the same for every connection of a loopback capture: say it once.
      const note = conn.capturePoint.note;
      const tail = formatConnectionTail(conn, note !== null && note !== this.lastNote);
      if (note) this.lastNote = note;
      this.out(`\n${text}${tail.join('\n')}\n`);
    }
    if (this.explained.size > 0) this.out(`\n${formatExplanations([...this.explained.values()])}`);
    if (this.options.connection !== undefined && this.done.length === 0) {
      this.out(`\n(no connection ${this.options.connection} in this capture)\n`);
    }
  }

  private wanted(id: number): boolean {
    return this.options.connection === undefined || this.options.connection === id;
  }
}
