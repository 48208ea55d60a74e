import type { AnalysisSubscriber } from '../analysis/analysis.js';
import type { CaptureSummary, ConnectionModel, ConnectionOpened, ExchangeModel } from '../model/types.js';
import type { Finding } from '../lint/types.js';
import { OrderedSpool } from './ordered-spool.js';
import { capturePointNote, formatConnectionHead, formatConnectionTail, formatExchange, formatExplanations, formatFinding, formatSummary, type TextOptions } from './text.js';

export interface TextReportOptions extends TextOptions {
  /** Only this connection (report --conn). */
  connection?: number;
  /** Only this exchange of it (report --conn ID --exchange N). */
  exchange?: number;
}

/** Where a piece goes within its connection (the spool's second key). */
const HEAD = 0;
const exchangePart = (index: number): number => index * 2;
const exchangeFindingsPart = (index: number): number => index * 2 + 1;
const CONNECTION_FINDINGS = 0xfffffffd;
const TAIL = 0xfffffffe;

/**
 * The human report: a summary at the top, then each connection with its exchanges, in id order.
 * A text report is read by a person, so it is written once the whole capture is known (`--json`
 * streams instead); until then each piece (an exchange as it completes, a finding as it comes, a
 * connection's head and tail when it closes) is rendered at once and only its text is kept, in an
 * OrderedSpool that puts it back in place at the end and moves to a temporary file past its
 * memory budget: memory follows open connections, not the length of the capture.
 */
export class TextReportWriter implements AnalysisSubscriber {
  /** Open connections wanted, and whether each was picked up mid-stream (exchanges render so). */
  private readonly open = new Map<number, boolean>();
  private readonly spool = new OrderedSpool();
  private readonly captureFindings: Finding[] = [];
  /** One finding per rule seen: its help is printed once, at the end. */
  private readonly explained = new Map<string, Finding>();
  /** Capture-point notes, numbered from 1 (the spool keeps a connection's note number with its tail). */
  private readonly notes = new Map<string, number>();
  private closedCount = 0;
  private captureStart: number | null = null;

  constructor(
    private readonly out: (text: string) => void,
    private readonly options: TextReportOptions = {},
  ) {}

  connectionOpened(c: ConnectionOpened): void {
    this.captureStart ??= c.startTime;
    if (this.wanted(c.id)) this.open.set(c.id, c.midStream);
  }

  /** Kept with its connection (capture-wide ones for the top) and printed under what it concerns. */
  finding(f: Finding): void {
    if (f.connection === null) {
      if (this.options.connection !== undefined) return;
      this.captureFindings.push(f);
    } else {
      if (!this.wanted(f.connection)) return;
      if (this.options.exchange !== undefined && f.exchange !== this.options.exchange) return;
      const part = f.exchange === null ? CONNECTION_FINDINGS : exchangeFindingsPart(f.exchange);
      const indent = f.exchange === null ? '  ' : '      ';
      this.spool.add(f.connection, part, lines(formatFinding(f, indent)));
    }
    if (!this.explained.has(f.ruleId)) this.explained.set(f.ruleId, f);
  }

  exchange(x: ExchangeModel): void {
    const midStream = this.open.get(x.connection);
    if (midStream === undefined) return;
    if (this.options.exchange !== undefined && x.index !== this.options.exchange) return;
    this.spool.add(x.connection, exchangePart(x.index), lines(formatExchange(x, this.captureStart ?? 0, midStream, this.options)));
  }

  connectionClosed(c: ConnectionModel): void {
    if (!this.open.delete(c.id)) return;
    this.closedCount++;
    this.spool.add(c.id, HEAD, `\n${lines(formatConnectionHead(c))}`);
    this.spool.add(c.id, TAIL, lines(formatConnectionTail(c, false)), this.noteNumber(capturePointNote(c)));
  }

  captureEnded(summary: CaptureSummary): void {
    if (summary.error !== null && summary.frames === 0) {
      this.spool.dispose();
      return;
    }
    this.out(formatSummary(summary));
    if (this.captureFindings.length) this.out(['', 'Across connections', ...this.captureFindings.flatMap((f) => formatFinding(f, '  '))].join('\n') + '\n');
    this.writeConnections();
    if (this.explained.size > 0) this.out(`\n${formatExplanations([...this.explained.values()])}`);
    if (this.options.connection !== undefined && this.closedCount === 0) {
      this.out(`\n(no connection ${this.options.connection} in this capture)\n`);
    }
  }

  /**
   * Every connection's pieces in id order. The capture-point caveat is the same for every
   * connection of a loopback capture: it is said after a tail only when it differs from the last said.
   */
  private writeConnections(): void {
    const noteText = [...this.notes.keys()];
    let lastNote = 0;
    for (const piece of this.spool.inOrder()) {
      this.out(piece.text);
      if (piece.aux !== 0 && piece.aux !== lastNote) {
        this.out(`  capture    ${noteText[piece.aux - 1]}\n`);
        lastNote = piece.aux;
      }
    }
  }

  private noteNumber(note: string | null): number {
    if (note === null) return 0;
    let n = this.notes.get(note);
    if (n === undefined) this.notes.set(note, (n = this.notes.size + 1));
    return n;
  }

  private wanted(id: number): boolean {
    return this.options.connection === undefined || this.options.connection === id;
  }
}

function lines(rendered: string[]): string {
  return `${rendered.join('\n')}\n`;
}
