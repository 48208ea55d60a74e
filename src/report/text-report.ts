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
  /** Every wanted connection's block, open or closed: findings may name a closed one (see analysis.ts). */
  private readonly blocks = new Map<number, Block>();
  private readonly closed = new Map<number, ConnectionModel>();
  private readonly captureFindings: Finding[] = [];
  /** One finding per rule seen: its help is printed once, at the end. */
  private readonly explained = new Map<string, Finding>();
  private captureStart: number | null = null;

  constructor(
    private readonly out: (text: string) => void,
    private readonly options: TextReportOptions = {},
  ) {}

  connectionOpened(c: ConnectionOpened): void {
    this.captureStart ??= c.startTime;
    if (!this.wanted(c.id)) return;
    this.blocks.set(c.id, { midStream: c.midStream, exchanges: new Map(), findings: new Map() });
  }

  /** Kept with its connection (capture-wide ones for the top) and printed under what it concerns. */
  finding(f: Finding): void {
    if (f.connection === null) {
      if (this.options.connection !== undefined) return;
      this.captureFindings.push(f);
    } else {
      const block = this.blocks.get(f.connection);
      if (block === undefined) return;
      if (this.options.exchange !== undefined && f.exchange !== this.options.exchange) return;
      const key = f.exchange ?? 0;
      const list = block.findings.get(key);
      if (list) list.push(f);
      else block.findings.set(key, [f]);
    }
    if (!this.explained.has(f.ruleId)) this.explained.set(f.ruleId, f);
  }

  exchange(x: ExchangeModel): void {
    const block = this.blocks.get(x.connection);
    if (block === undefined) return;
    if (this.options.exchange !== undefined && x.index !== this.options.exchange) return;
    block.exchanges.set(x.index, formatExchange(x, this.captureStart ?? 0, block.midStream, this.options));
  }

  connectionClosed(c: ConnectionModel): void {
    if (this.blocks.has(c.id)) this.closed.set(c.id, c);
  }

  captureEnded(summary: CaptureSummary): void {
    if (summary.error !== null && summary.frames === 0) return;
    this.out(formatSummary(summary));
    if (this.captureFindings.length) this.out(['', 'Across connections', ...this.captureFindings.flatMap((f) => formatFinding(f, '  '))].join('\n') + '\n');
    // The capture-point caveat is the same for every connection of a loopback capture: say it once.
    let lastNote: string | null = null;
    for (const id of [...this.closed.keys()].sort((a, b) => a - b)) {
      const conn = this.closed.get(id) as ConnectionModel;
      const note = conn.capturePoint.note;
      this.out(`\n${this.render(conn, this.blocks.get(id) as Block, note !== null && note !== lastNote).join('\n')}\n`);
      if (note) lastNote = note;
    }
    if (this.explained.size > 0) this.out(`\n${formatExplanations([...this.explained.values()])}`);
    if (this.options.connection !== undefined && this.closed.size === 0) {
      this.out(`\n(no connection ${this.options.connection} in this capture)\n`);
    }
  }

  /** A connection: head, each exchange with its findings, the connection's own findings, tail. */
  private render(conn: ConnectionModel, block: Block, showCapturePoint: boolean): string[] {
    const lines = formatConnectionHead(conn);
    for (const [index, rendered] of [...block.exchanges].sort((a, b) => a[0] - b[0])) {
      lines.push(...rendered);
      for (const f of block.findings.get(index) ?? []) lines.push(...formatFinding(f, '      '));
    }
    for (const f of block.findings.get(0) ?? []) lines.push(...formatFinding(f, '  '));
    lines.push(...formatConnectionTail(conn, showCapturePoint));
    return lines;
  }

  private wanted(id: number): boolean {
    return this.options.connection === undefined || this.options.connection === id;
  }
}
