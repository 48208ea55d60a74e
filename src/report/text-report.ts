import type { AnalysisSubscriber } from '../analysis/analysis.js';
import type { CaptureSummary, ConnectionModel, ConnectionOpened, ExchangeModel } from '../model/types.js';
import { formatConnectionHead, formatConnectionTail, formatExchange, formatSummary, type TextOptions } from './text.js';

export interface TextReportOptions extends TextOptions {
  /** Only this connection (report --conn). */
  connection?: number;
  /** Only this exchange of it (report --conn ID --exchange N). */
  exchange?: number;
}

/** What is kept of a connection while it is open: its exchanges, already rendered. */
interface Block {
  midStream: boolean;
  lines: string[];
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
    this.open.set(c.id, { midStream: c.midStream, lines: [] });
  }

  exchange(x: ExchangeModel): void {
    const block = this.open.get(x.connection);
    if (block === undefined) return;
    if (this.options.exchange !== undefined && x.index !== this.options.exchange) return;
    block.lines.push(...formatExchange(x, this.captureStart ?? 0, block.midStream, this.options));
  }

  connectionClosed(c: ConnectionModel): void {
    const block = this.open.get(c.id);
    if (block === undefined) return;
    this.open.delete(c.id);
    this.done.push({ id: c.id, text: [...formatConnectionHead(c), ...block.lines].join('\n') + '\n' });
    // Tail lines need the note decision, made in id order at the end: keep the connection's tail apart.
    this.tails.set(c.id, c);
  }

  private readonly tails = new Map<number, ConnectionModel>();

  captureEnded(summary: CaptureSummary): void {
    if (summary.error !== null && summary.frames === 0) return;
    this.out(formatSummary(summary));
    this.done.sort((a, b) => a.id - b.id);
    for (const { id, text } of this.done) {
      const conn = this.tails.get(id) as ConnectionModel;
      // The capture-point caveat is the same for every connection of a loopback capture: say it once.
      const note = conn.capturePoint.note;
      const tail = formatConnectionTail(conn, note !== null && note !== this.lastNote);
      if (note) this.lastNote = note;
      this.out(`\n${text}${tail.join('\n')}\n`);
    }
    if (this.options.connection !== undefined && this.done.length === 0) {
      this.out(`\n(no connection ${this.options.connection} in this capture)\n`);
    }
  }

  private wanted(id: number): boolean {
    return this.options.connection === undefined || this.options.connection === id;
  }
}
