/**
 * The blessed widgets and how the state is drawn on them: connections, exchanges and detail panes,
 * the status bar, and the Findings view, ladder and help overlays. Keys and mouse events become
 * TuiState moves here. Only text from wirelens itself carries tags; wire text goes through wire().
 */
import type { Widgets } from 'blessed';
import blessed from 'blessed';
import type { Finding } from '../lint/types.js';
import { formatBytes } from '../text/units.js';
import type { ExtraKey, TuiControl } from './app.js';
import { DETAIL_TABS, findingLines, messageLines, rebuildingLines, severityTag, tabBar } from './detail.js';
import { fit, wire } from './escape.js';
import { FilterError } from './filter.js';
import { helpLines } from './keys.js';
import { connectionHeader, connectionRow, exchangeHeader, exchangeRow, findingMarks, type Row } from './rows.js';
import { emptyCounts, type TuiStore } from './store.js';
import { scrollTop, type Pane, type TuiState } from './state.js';
import type { ByteViews } from './byte-views.js';
import { LADDER_HIGHLIGHT, noByteViews } from './byte-views.js';

type Overlay = 'none' | 'findings' | 'ladder' | 'help';

export class TuiView {
  private readonly header: Widgets.BoxElement | null;
  private readonly connections: Widgets.BoxElement;
  private readonly exchanges: Widgets.BoxElement;
  private readonly detail: Widgets.BoxElement;
  private readonly status: Widgets.BoxElement;
  private readonly overlayBox: Widgets.BoxElement;
  private readonly helpBox: Widgets.BoxElement;
  private overlay: Overlay = 'none';
  private connectionTop = 0;
  private exchangeTop = 0;
  private findingTop = 0;
  private ladderScroll = 0;
  /** The ladder was just opened: it scrolls to the selected exchange's first arrow (once; then the keys scroll it). */
  private ladderToSelection = false;
  /** The filter being typed (null when not prompting). */
  private prompt: string | null = null;
  private message: string | null = null;
  private control: TuiControl | null = null;
  byteViews: ByteViews = noByteViews;

  constructor(
    private readonly screen: Widgets.Screen,
    private readonly store: TuiStore,
    private readonly state: TuiState,
    private readonly file: string,
    private readonly headerText: (() => string) | null,
    private readonly extraKeys: readonly ExtraKey[],
  ) {
    const pane = (label: string): Widgets.BoxElement =>
      blessed.box({ parent: screen, label, tags: true, border: { type: 'line' }, style: { border: { fg: 'gray' } }, wrap: false, mouse: true });
    this.header = headerText === null ? null : blessed.box({ parent: screen, top: 0, left: 0, height: 1, width: '100%', tags: true, style: { fg: 'black', bg: 'cyan' } });
    this.connections = pane(' Connections ');
    this.exchanges = pane(' Exchanges ');
    this.detail = pane(' Detail ');
    this.status = blessed.box({ parent: screen, bottom: 0, left: 0, height: 1, width: '100%', tags: true, style: { fg: 'white', bg: 'blue' } });
    this.overlayBox = blessed.box({ parent: screen, top: 0, left: 0, width: '100%', tags: true, border: { type: 'line' }, hidden: true, wrap: false, mouse: true });
    this.helpBox = blessed.box({ parent: screen, top: 'center', left: 'center', tags: true, border: { type: 'line' }, label: ' Keys ', hidden: true, style: { border: { fg: 'cyan' } } });
  }

  bind(control: TuiControl): void {
    this.control = control;
    this.screen.on('keypress', (ch: string | undefined, key: Widgets.Events.IKeyEventArg) => {
      this.onKey(ch, key);
    });
    this.screen.on('resize', () => this.render());
    this.bindMouse(this.connections, 'connections');
    this.bindMouse(this.exchanges, 'exchanges');
    this.bindMouse(this.detail, 'detail');
    this.overlayBox.on('mousedown', (data: Widgets.Events.IMouseEventArg) => {
      if (this.overlay !== 'findings') return;
      this.findingCursor(this.findingTop + data.y - (this.overlayBox.atop as number) - 2);
      this.render();
    });
    this.overlayBox.on('wheeldown', () => this.overlayScroll(3));
    this.overlayBox.on('wheelup', () => this.overlayScroll(-3));
  }

  notify(message: string): void {
    this.message = message;
    this.render();
  }

  /**
   * The help overlay is modal, as htop's is: any key (Ctrl-C aside) or click closes it and does
   * nothing else — a live key such as c (clear) or w (save) included. True when it was open.
   */
  private closeHelp(): boolean {
    if (this.overlay !== 'help') return false;
    this.overlay = 'none';
    this.render();
    return true;
  }

  private bindMouse(box: Widgets.BoxElement, pane: Pane): void {
    box.on('mousedown', (data: Widgets.Events.IMouseEventArg) => {
      if (this.closeHelp()) return;
      this.state.focus = pane;
      const row = data.y - (box.atop as number);
      if (pane === 'detail') {
        if (row === 1) this.clickTab(data.x - (box.aleft as number) - 1);
      } else if (row >= 2) {
        this.state.moveTo(pane, (pane === 'connections' ? this.connectionTop : this.exchangeTop) + row - 2);
      }
      this.render();
    });
    box.on('wheeldown', () => {
      if (this.overlay === 'help') return;
      this.state.focus = pane;
      this.state.move(pane === 'detail' ? 3 : 1);
      this.render();
    });
    box.on('wheelup', () => {
      if (this.overlay === 'help') return;
      this.state.focus = pane;
      this.state.move(pane === 'detail' ? -3 : -1);
      this.render();
    });
  }

  /** A click on the tab bar at column `x`: the tab whose label is there. */
  private clickTab(x: number): void {
    let start = 0;
    for (const tab of DETAIL_TABS) {
      const end = start + tab.length + 2;
      if (x >= start && x < end) this.state.setTab(tab);
      start = end + 2;
    }
  }

  private onKey(ch: string | undefined, key: Widgets.Events.IKeyEventArg): void {
    const control = this.control!;
    const name = key?.full ?? '';
    if (name === 'C-c') return control.quit(0);
    if (this.prompt !== null) return this.onPromptKey(ch, key);
    this.message = null;
    if (this.closeHelp()) return;
    const extra = this.extraKeys.find((k) => k.names.includes(name));
    if (extra !== undefined) {
      extra.action(control);
      return this.render();
    }
    if (this.overlay === 'findings' && this.onFindingsKey(name)) return this.render();
    if (this.overlay === 'ladder' && this.onLadderKey(name)) return this.render();
    switch (name) {
      case 'q':
        return control.quit(0);
      case '?':
        this.overlay = 'help';
        break;
      case 'f':
        this.overlay = this.overlay === 'findings' ? 'none' : 'findings';
        break;
      case 'l':
        this.overlay = this.overlay === 'ladder' ? 'none' : 'ladder';
        this.ladderScroll = 0;
        this.ladderToSelection = true;
        break;
      case 'escape':
        if (this.overlay !== 'none') this.overlay = 'none';
        else this.state.setFilter('');
        break;
      case '/':
        this.prompt = this.state.filter?.source ?? '';
        break;
      case 'up':
      case 'k':
        this.state.move(-1);
        break;
      case 'down':
      case 'j':
        this.state.move(1);
        break;
      case 'pageup':
        this.state.move(-this.pageSize());
        break;
      case 'pagedown':
        this.state.move(this.pageSize());
        break;
      case 'g':
      case 'home':
        this.state.moveTo(this.state.focus, 0);
        break;
      case 'S-g':
      case 'end':
        this.state.moveToEnd();
        break;
      case 'tab':
        this.state.cycleFocus(1);
        break;
      case 'S-tab':
        this.state.cycleFocus(-1);
        break;
      case 'enter':
        if (this.state.focus !== 'detail') this.state.cycleFocus(1);
        break;
      case 'n':
      case 'S-n':
        if (!this.state.jumpToFinding(name === 'n' ? 1 : -1)) this.message = 'no exchange with a finding';
        else this.state.focus = 'exchanges';
        break;
      default: {
        const tab = ch !== undefined && /^[1-5]$/.test(ch) ? this.state.tabByNumber(Number(ch)) : null;
        if (tab === null) return;
        this.state.setTab(tab);
      }
    }
    this.render();
  }

  private onPromptKey(ch: string | undefined, key: Widgets.Events.IKeyEventArg): void {
    const text = this.prompt ?? '';
    switch (key?.name) {
      case 'enter':
        try {
          this.state.setFilter(text);
          this.prompt = null;
          this.message = this.state.filter === null ? 'filter cleared' : null;
        } catch (error) {
          if (!(error instanceof FilterError)) throw error;
          this.message = error.message;
        }
        break;
      case 'return':
        return;
      case 'escape':
        this.prompt = null;
        break;
      case 'backspace':
        this.prompt = text.slice(0, -1);
        break;
      default:
        if (ch !== undefined && ch.length === 1 && ch >= ' ' && ch !== '\x7f') this.prompt = text + ch;
    }
    this.render();
  }

  /** Keys of the Findings view; false for the keys it leaves to the main handler. */
  private onFindingsKey(name: string): boolean {
    const findings = this.state.sortedFindings();
    switch (name) {
      case 'up':
      case 'k':
        this.findingCursor(this.state.findingCursor - 1);
        return true;
      case 'down':
      case 'j':
        this.findingCursor(this.state.findingCursor + 1);
        return true;
      case 'pageup':
        this.findingCursor(this.state.findingCursor - this.overlayRows());
        return true;
      case 'pagedown':
        this.findingCursor(this.state.findingCursor + this.overlayRows());
        return true;
      case 'g':
        this.findingCursor(0);
        return true;
      case 'S-g':
        this.findingCursor(findings.length - 1);
        return true;
      case 's':
        this.state.findingSort = this.state.findingSort === 'severity' ? 'rule' : 'severity';
        return true;
      case 'enter': {
        const finding = findings[this.state.findingCursor];
        if (finding === undefined) return true;
        if (this.state.openFinding(finding)) this.overlay = 'none';
        else this.message = 'a capture-wide finding: no exchange to show';
        return true;
      }
      default:
        return false;
    }
  }

  private onLadderKey(name: string): boolean {
    switch (name) {
      case 'up':
      case 'k':
        this.ladderScroll = Math.max(0, this.ladderScroll - 1);
        return true;
      case 'down':
      case 'j':
        this.ladderScroll++;
        return true;
      case 'pageup':
        this.ladderScroll = Math.max(0, this.ladderScroll - this.overlayRows());
        return true;
      case 'pagedown':
        this.ladderScroll += this.overlayRows();
        return true;
      case 'g':
        this.ladderScroll = 0;
        return true;
      default:
        return false;
    }
  }

  private overlayScroll(delta: number): void {
    if (this.overlay === 'findings') this.findingCursor(this.state.findingCursor + delta);
    else if (this.overlay === 'ladder') this.ladderScroll = Math.max(0, this.ladderScroll + delta);
    this.render();
  }

  private findingCursor(index: number): void {
    const n = this.state.sortedFindings().length;
    this.state.findingCursor = Math.max(0, Math.min(n - 1, index));
  }

  private pageSize(): number {
    const box = this.state.focus === 'connections' ? this.connections : this.state.focus === 'exchanges' ? this.exchanges : this.detail;
    return Math.max(1, (box.height as number) - 3);
  }

  private overlayRows(): number {
    return Math.max(1, (this.overlayBox.height as number) - 3);
  }

  render(): void {
    const width = this.screen.width as number;
    const height = this.screen.height as number;
    const top = this.header === null ? 0 : 1;
    const avail = Math.max(9, height - top - 1);
    // The tables take what their rows need, up to 30% and 25% of the screen; the detail the rest.
    const entry = this.state.selectedConnection();
    const connHeight = Math.max(5, Math.min(Math.floor(avail * 0.3), this.state.visibleConnections().length + 3));
    const exchHeight = Math.max(5, Math.min(Math.floor(avail * 0.25), (entry === null ? 0 : this.state.visibleExchanges(entry).length) + 3));
    place(this.connections, top, connHeight);
    place(this.exchanges, top + connHeight, exchHeight);
    place(this.detail, top + connHeight + exchHeight, Math.max(3, avail - connHeight - exchHeight));
    if (this.header !== null) this.header.setContent(wire(fit(this.headerText!(), width)));
    for (const [box, pane] of [
      [this.connections, 'connections'],
      [this.exchanges, 'exchanges'],
      [this.detail, 'detail'],
    ] as const) {
      box.style.border.fg = this.state.focus === pane ? 'cyan' : 'gray';
    }
    const inner = Math.max(10, width - 2);
    this.renderConnections(inner);
    this.renderExchanges(inner);
    this.renderDetail(inner);
    this.renderStatus(width);
    this.renderOverlay(inner, top, height - top - 1);
    this.screen.render();
  }

  private renderConnections(width: number): void {
    const list = this.state.visibleConnections();
    const rows = Math.max(0, (this.connections.height as number) - 3);
    const { index } = this.state.cursor('connections');
    this.connectionTop = scrollTop(this.connectionTop, index, rows, list.length);
    // Ids grow down the table: the last one's digits size the column.
    const idWidth = String(list.at(-1)?.id ?? '').length;
    const lines = [`{bold}${wire(connectionHeader(width, idWidth))}{/bold}`];
    for (const entry of list.slice(this.connectionTop, this.connectionTop + rows)) {
      lines.push(this.rowLine(connectionRow(entry, width, idWidth), entry.id === this.state.connection, this.state.focus === 'connections'));
    }
    const total = this.store.connections.length;
    this.connections.setLabel(` Connections ${list.length === total ? total : `${list.length} of ${total}`} `);
    this.connections.setContent(lines.join('\n'));
  }

  private renderExchanges(width: number): void {
    const entry = this.state.selectedConnection();
    const list = entry === null ? [] : this.state.visibleExchanges(entry);
    const rows = Math.max(0, (this.exchanges.height as number) - 3);
    const { index } = this.state.cursor('exchanges');
    this.exchangeTop = scrollTop(this.exchangeTop, index, rows, list.length);
    const indexWidth = String(list.at(-1)?.index ?? '').length;
    const lines = [`{bold}${wire(exchangeHeader(width, indexWidth))}{/bold}`];
    for (const x of list.slice(this.exchangeTop, this.exchangeTop + rows)) {
      const counts = emptyCounts();
      for (const f of this.store.exchangeFindings(x.connection, x.index)) counts[f.severity]++;
      lines.push(this.rowLine(exchangeRow(x, findingMarks(counts), width, indexWidth), x.index === this.state.exchange, this.state.focus === 'exchanges'));
    }
    if (entry !== null && list.length === 0) lines.push('{gray-fg}(no HTTP exchange on this connection){/gray-fg}');
    this.exchanges.setLabel(entry === null ? ' Exchanges ' : ` Exchanges on connection ${entry.id} (${list.length}) `);
    this.exchanges.setContent(lines.join('\n'));
  }

  private rowLine(row: Row, selected: boolean, focused: boolean): string {
    const body = wire(row.body);
    const marks = colourMarks(row.marks);
    if (!selected) return `${body} ${marks}`;
    return focused ? `{inverse}${body}{/inverse} ${marks}` : `{underline}${body}{/underline} ${marks}`;
  }

  private renderDetail(width: number): void {
    const rows = Math.max(0, (this.detail.height as number) - 3);
    const content = this.detailLines(width);
    this.state.detailScroll = Math.min(this.state.detailScroll, Math.max(0, content.length - rows));
    const shown = content.slice(this.state.detailScroll, this.state.detailScroll + rows);
    this.detail.setLabel(` ${this.detailTitle()} `);
    this.detail.setContent([tabBar(this.state.tab), ...shown].join('\n'));
  }

  private detailTitle(): string {
    const x = this.state.selectedRow();
    if (x === null) return this.state.connection === null ? 'Detail' : `Connection ${this.state.connection}`;
    return `Connection ${x.connection} · exchange ${x.index}`;
  }

  private detailLines(width: number): string[] {
    const x = this.state.selectedExchange();
    const entry = this.state.selectedConnection();
    if (entry === null) return [this.store.ended ? '{gray-fg}(no connections in this capture){/gray-fg}' : '{gray-fg}reading…{/gray-fg}'];
    const row = this.state.selectedRow();
    // A connection whose models went (a large capture): they are rebuilt from the file; the findings are kept.
    if (row !== null && x === null && this.state.tab !== 'Findings') return rebuildingLines(row.connection, this.store.modelsProblem(row.connection));
    switch (this.state.tab) {
      case 'Request':
        return x === null ? this.connectionLines(entry.id) : messageLines(x.request, 'request', this.byteViews.body(x, 'request', width), width, x.lost);
      case 'Response':
        return x === null ? this.connectionLines(entry.id) : messageLines(x.response, 'response', this.byteViews.body(x, 'response', width), width, x.lost);
      case 'Segments':
        return this.byteViews.segments(entry.id, x, width);
      case 'Findings':
        return findingLines(x === null ? this.store.connectionFindings(entry.id) : [...this.store.exchangeFindings(entry.id, x.index), ...this.store.connectionFindings(entry.id)], width);
      case 'Raw':
        return this.byteViews.raw(entry.id, x, width);
    }
  }

  private connectionLines(id: number): string[] {
    const entry = this.store.connection(id)!;
    const c = entry.closed;
    const lines = [`{bold}connection ${id}{/bold}  ${wire(entry.opened.client)} → ${wire(entry.opened.server)}`];
    if (c === null) return [...lines, '{gray-fg}(still open while the capture is read){/gray-fg}'];
    lines.push(`frames ${c.firstFrame}–${c.lastFrame} (${c.frames}), bytes ${formatBytes(c.clientBytes)} → / ← ${formatBytes(c.serverBytes)}, protocol ${c.protocol}`);
    lines.push(`teardown ${c.teardown}${c.closedFirstBy ? ` by ${c.closedFirstBy}` : ''}; history ${wire(c.history)}`);
    return lines;
  }

  private renderStatus(width: number): void {
    if (this.prompt !== null) {
      this.status.setContent(`/${wire(this.prompt)}█  {gray-fg}Enter apply · Esc cancel · status:4xx method:POST rule:ID conn:N severity:S text{/gray-fg}`);
      return;
    }
    const s = this.store;
    const frames = s.summary?.frames ?? s.progressed?.frames ?? 0;
    const parts = [wire(this.file)];
    // The damage comes right after the file name: what the reader must not miss on a narrow screen.
    if (s.failure !== null) parts.push(`{red-fg}{bold}${wire(withoutPrefix(s.failure.message, `${this.file}: `))}{/bold}{/red-fg}`);
    parts.push(`${frames} frames`, `${s.connections.length} conns`, `${s.exchangeCount} exch`, colourCounts(s.counts));
    if (this.state.filter !== null) parts.push(`filter: ${wire(this.state.filter.source)}`);
    let line = parts.join(' │ ');
    if (!s.ended) line += ` │ ${progressBar(s.progressed?.bytes ?? 0, s.progressed?.totalBytes ?? s.totalBytes, 20)}`;
    if (this.message !== null) line += ` │ {yellow-fg}${wire(this.message)}{/yellow-fg}`;
    else if (s.failure === null) line += ` │ {gray-fg}? help · q quit{/gray-fg}`;
    void width;
    this.status.setContent(line);
  }

  private renderOverlay(width: number, top: number, height: number): void {
    this.helpBox.hidden = this.overlay !== 'help';
    this.overlayBox.hidden = this.overlay !== 'findings' && this.overlay !== 'ladder';
    if (this.overlay === 'help') {
      const lines = helpLines(this.extraKeys);
      this.helpBox.width = Math.min(width, Math.max(...lines.map((l) => l.length)) + 4);
      this.helpBox.height = Math.min(height, lines.length + 3);
      this.helpBox.setContent(lines.map(wire).join('\n') + '\n{gray-fg}any key closes{/gray-fg}');
      this.helpBox.setFront();
      return;
    }
    if (this.overlayBox.hidden) return;
    // The ladder's server lifeline is its right edge: a border beside it would draw a second bar.
    (this.overlayBox.border as SidedBorder).right = this.overlay !== 'ladder';
    this.overlayBox.top = top;
    this.overlayBox.height = height;
    this.overlayBox.setFront();
    if (this.overlay === 'findings') this.renderFindings(width);
    else this.renderLadder(width);
  }

  private renderFindings(width: number): void {
    const findings = this.state.sortedFindings();
    const rows = this.overlayRows();
    this.findingCursor(this.state.findingCursor);
    this.findingTop = scrollTop(this.findingTop, this.state.findingCursor, rows, findings.length);
    this.overlayBox.setLabel(` Findings (${findings.length}) — sorted by ${this.state.findingSort} · s sort · Enter jump · Esc close `);
    const lines = [`{bold}${fit(`${'SEVERITY'.padEnd(SEVERITY_COLUMN)}${findingColumns('RULE', 'WHERE', 'MESSAGE', width - SEVERITY_COLUMN)}`, width)}{/bold}`];
    findings.slice(this.findingTop, this.findingTop + rows).forEach((f, i) => {
      const text = findingRow(f, width - SEVERITY_COLUMN);
      const selected = this.findingTop + i === this.state.findingCursor;
      // severityTag is 7 columns ("warning"): padded to the header's "SEVERITY" and its space.
      lines.push(`${severityTag(f.severity)}${' '.repeat(SEVERITY_COLUMN - 7)}${selected ? `{inverse}${wire(text)}{/inverse}` : wire(text)}`);
    });
    if (findings.length === 0) lines.push(this.store.ended ? '{gray-fg}(no findings){/gray-fg}' : '{gray-fg}(none yet){/gray-fg}');
    this.overlayBox.setContent(lines.join('\n'));
  }

  private renderLadder(width: number): void {
    const entry = this.state.selectedConnection();
    const x = this.state.selectedExchange();
    this.overlayBox.setLabel(` Ladder — connection ${entry?.id ?? '-'} · ↑↓ scroll · Esc close `);
    const lines = entry === null ? ['(no connection selected)'] : this.byteViews.ladder(entry.id, x, width);
    const rows = this.overlayRows() + 1;
    if (this.ladderToSelection) {
      this.ladderToSelection = false;
      // The selected exchange's arrows are the highlighted lines: show the first with a little of what came before.
      const first = lines.findIndex((line) => line.startsWith(LADDER_HIGHLIGHT));
      if (first > LADDER_CONTEXT) this.ladderScroll = first - LADDER_CONTEXT;
    }
    this.ladderScroll = Math.min(this.ladderScroll, Math.max(0, lines.length - rows));
    this.overlayBox.setContent(lines.slice(this.ladderScroll, this.ladderScroll + rows).join('\n'));
  }
}

/** blessed draws each side of a line border unless it is false (@types/blessed leaves the sides out). */
type SidedBorder = Widgets.Border & { right?: boolean };

function withoutPrefix(text: string, prefix: string): string {
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

function place(box: Widgets.BoxElement, top: number, height: number): void {
  box.top = top;
  box.left = 0;
  box.width = '100%';
  box.height = height;
}

/** `E1 W2 N3` in the severities' colours (the marks are wirelens' own text). */
function colourMarks(marks: string): string {
  return marks.replace(/\b([EWN])(\d+)/g, (_m, s: string, n: string) => `{${s === 'E' ? 'red' : s === 'W' ? 'yellow' : 'cyan'}-fg}${s}${n}{/}`);
}

function colourCounts(c: { error: number; warning: number; note: number }): string {
  return `{red-fg}E${c.error}{/red-fg} {yellow-fg}W${c.warning}{/yellow-fg} {cyan-fg}N${c.note}{/cyan-fg}`;
}

/** `[#####·····]  45% of 400.0 MiB`, or the bytes read when the size is unknown (a pipe). */
export function progressBar(bytes: number, total: number | null, cells: number): string {
  if (total === null || total <= 0) return `reading ${formatBytes(bytes)}`;
  const ratio = Math.min(1, bytes / total);
  const full = Math.round(ratio * cells);
  return `[${'#'.repeat(full)}${'·'.repeat(cells - full)}] ${Math.floor(ratio * 100)}% of ${formatBytes(total)}`;
}

/** Where a Findings view row's rule starts: "SEVERITY" and a space. */
const SEVERITY_COLUMN = 9;

/** A Findings view row (after the severity): rule, where, message. */
export function findingRow(f: Finding, width: number): string {
  const where = f.connection === null ? 'capture' : f.exchange === null ? `conn ${f.connection}` : `${f.connection}:${f.exchange}`;
  return findingColumns(f.ruleId, where, f.message, width);
}

/** The Findings view's columns after the severity, for its header and its rows alike. */
function findingColumns(rule: string, where: string, message: string, width: number): string {
  return fit(`${fit(rule, 34)} ${fit(where, 10)} ${message}`, width);
}

/** Lines of the ladder shown above the selected exchange's first arrow when it opens. */
const LADDER_CONTEXT = 3;
