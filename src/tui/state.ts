/**
 * What the user is looking at, apart from how it is drawn: the filter, the selected connection
 * and exchange (kept by id, so rows streaming in do not move the selection), the focused pane,
 * the detail tab, and the moves the keys make. Pure: the app turns keys into these calls and
 * draws the result.
 */
import type { Finding } from '../lint/types.js';
import type { ExchangeModel } from '../model/types.js';
import { DETAIL_TABS, type DetailTab } from './detail.js';
import { matchesFilter, parseFilter, type Filter } from './filter.js';
import { exchangeAt, type ConnectionEntry, type TuiStore } from './store.js';
import type { ExchangeRow } from './exchange-row.js';

export type Pane = 'connections' | 'exchanges' | 'detail';
export const PANES: readonly Pane[] = ['connections', 'exchanges', 'detail'];
export type FindingSort = 'severity' | 'rule';

const SEVERITY_ORDER = { error: 0, warning: 1, note: 2 } as const;

export class TuiState {
  filter: Filter | null = null;
  focus: Pane = 'connections';
  tab: DetailTab = 'Request';
  detailScroll = 0;
  /** Selected connection id and exchange index (null: none yet). */
  connection: number | null = null;
  exchange: number | null = null;
  findingSort: FindingSort = 'severity';
  findingCursor = 0;
  private cache: { version: number; filter: Filter | null; connections: ConnectionEntry[] } | null = null;

  constructor(private readonly store: TuiStore) {}

  setFilter(text: string): void {
    const filter = parseFilter(text);
    this.filter = filter.terms.length === 0 ? null : filter;
    this.cache = null;
    this.ensureSelection();
  }

  /** Connections with at least one exchange the filter lets through (all of them without a filter). */
  visibleConnections(): ConnectionEntry[] {
    const c = this.cache;
    if (c !== null && c.version === this.store.version && c.filter === this.filter) return c.connections;
    const connections = this.filter === null ? this.store.connections : this.store.connections.filter((e) => this.visibleExchanges(e).length > 0);
    this.cache = { version: this.store.version, filter: this.filter, connections };
    return connections;
  }

  visibleExchanges(entry: ConnectionEntry): ExchangeRow[] {
    const filter = this.filter;
    if (filter === null) return entry.exchanges;
    return entry.exchanges.filter((x) => matchesFilter(filter, { exchange: x, findings: this.store.exchangeFindings(x.connection, x.index) }));
  }

  selectedConnection(): ConnectionEntry | null {
    this.ensureSelection();
    return this.connection === null ? null : (this.store.connection(this.connection) ?? null);
  }

  /** The selected exchange's row (always at hand). */
  selectedRow(): ExchangeRow | null {
    const entry = this.selectedConnection();
    if (entry === null || this.exchange === null) return null;
    return exchangeAt(entry.exchanges, this.exchange);
  }

  /**
   * The selected exchange's model: null when none is selected, or while its connection's models are
   * rebuilt from the file (selectedRow() tells them apart; the store's version grows when they come).
   */
  selectedExchange(): ExchangeModel | null {
    const row = this.selectedRow();
    if (row === null) return null;
    const models = this.store.models(row.connection);
    return models === null ? null : exchangeAt(models.exchanges, row.index);
  }

  /** Selects the first visible connection/exchange when nothing (or something filtered out) is selected. */
  ensureSelection(): void {
    const connections = this.visibleConnections();
    if (connections.length === 0) {
      this.connection = null;
      this.exchange = null;
      return;
    }
    if (this.connection === null || !connections.some((e) => e.id === this.connection)) {
      this.connection = connections[0].id;
      this.exchange = null;
    }
    const exchanges = this.visibleExchanges(this.store.connection(this.connection)!);
    if (exchanges.length === 0) this.exchange = null;
    else if (this.exchange === null || !exchanges.some((x) => x.index === this.exchange)) this.exchange = exchanges[0].index;
  }

  /** Position of the selection in the focused list, and the list's length. */
  cursor(pane: 'connections' | 'exchanges'): { index: number; length: number } {
    this.ensureSelection();
    if (pane === 'connections') {
      const list = this.visibleConnections();
      return { index: Math.max(0, list.findIndex((e) => e.id === this.connection)), length: list.length };
    }
    const entry = this.selectedConnection();
    const list = entry === null ? [] : this.visibleExchanges(entry);
    return { index: Math.max(0, list.findIndex((x) => x.index === this.exchange)), length: list.length };
  }

  /** Moves the selection of the focused list by `delta` rows (clamped); in the detail pane, scrolls. */
  move(delta: number): void {
    if (this.focus === 'detail') {
      this.detailScroll = Math.max(0, this.detailScroll + delta);
      return;
    }
    const { index, length } = this.cursor(this.focus);
    if (length === 0) return;
    this.moveTo(this.focus, Math.min(length - 1, Math.max(0, index + delta)));
  }

  /** Selects row `index` of a list (a click, g, G). */
  moveTo(pane: Pane, index: number): void {
    if (pane === 'detail') {
      this.detailScroll = Math.max(0, index);
      return;
    }
    if (pane === 'connections') {
      const list = this.visibleConnections();
      const entry = list[Math.min(list.length - 1, Math.max(0, index))];
      if (entry === undefined || entry.id === this.connection) return;
      this.connection = entry.id;
      this.exchange = null;
    } else {
      const entry = this.selectedConnection();
      const list = entry === null ? [] : this.visibleExchanges(entry);
      const x = list[Math.min(list.length - 1, Math.max(0, index))];
      if (x === undefined) return;
      this.exchange = x.index;
    }
    this.detailScroll = 0;
    this.ensureSelection();
  }

  /** End of the focused list (G); start is moveTo(focus, 0). */
  moveToEnd(): void {
    if (this.focus === 'detail') return;
    this.moveTo(this.focus, this.cursor(this.focus).length - 1);
  }

  cycleFocus(delta: 1 | -1): void {
    const i = PANES.indexOf(this.focus);
    this.focus = PANES[(i + delta + PANES.length) % PANES.length];
  }

  setTab(tab: DetailTab): void {
    if (tab !== this.tab) this.detailScroll = 0;
    this.tab = tab;
  }

  tabByNumber(n: number): DetailTab | null {
    return DETAIL_TABS[n - 1] ?? null;
  }

  /**
   * n / N: the next (previous) visible exchange with a finding, in table order across
   * connections, wrapping around. False when there is none.
   */
  jumpToFinding(direction: 1 | -1): boolean {
    const order: ExchangeRow[] = [];
    for (const entry of this.visibleConnections()) order.push(...this.visibleExchanges(entry));
    if (order.length === 0) return false;
    const here = order.findIndex((x) => x.connection === this.connection && x.index === this.exchange);
    for (let step = 1; step <= order.length; step++) {
      const x = order[(((here + direction * step) % order.length) + order.length) % order.length];
      if (this.store.exchangeFindings(x.connection, x.index).length > 0) {
        this.select(x.connection, x.index);
        return true;
      }
    }
    return false;
  }

  /** Selects an exchange (clearing a filter that hides it). */
  select(connection: number, exchange: number | null): void {
    this.connection = connection;
    this.exchange = exchange;
    this.detailScroll = 0;
    const entry = this.store.connection(connection);
    if (entry !== undefined && !this.visibleConnections().includes(entry)) this.filter = null;
    const x = exchange === null || entry === undefined ? undefined : (exchangeAt(entry.exchanges, exchange) ?? undefined);
    if (x !== undefined && this.filter !== null && !this.visibleExchanges(entry!).includes(x)) this.filter = null;
    this.cache = null;
    this.ensureSelection();
  }

  /** Every finding, sorted for the Findings view: by severity (then rule) or by rule (then severity); ties in capture order. */
  sortedFindings(): Finding[] {
    const list = this.store.findings.map((f, i) => ({ f, i }));
    const bySeverity = (a: Finding, b: Finding) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
    const byRule = (a: Finding, b: Finding) => a.ruleId.localeCompare(b.ruleId);
    const [first, second] = this.findingSort === 'severity' ? [bySeverity, byRule] : [byRule, bySeverity];
    list.sort((a, b) => first(a.f, b.f) || second(a.f, b.f) || a.i - b.i);
    return list.map((e) => e.f);
  }

  /** Enter in the Findings view: select the finding's exchange (or connection) and show its Findings tab. */
  openFinding(finding: Finding): boolean {
    if (finding.connection === null) return false;
    this.select(finding.connection, finding.exchange);
    this.setTab('Findings');
    this.focus = finding.exchange === null ? 'connections' : 'exchanges';
    return true;
  }
}

/** The first row to show so that `index` is visible in a window of `height` rows (scrolling as little as possible from `top`). */
export function scrollTop(top: number, index: number, height: number, length: number): number {
  if (height <= 0) return 0;
  let t = Math.min(top, Math.max(0, length - height));
  if (index < t) t = index;
  if (index >= t + height) t = index - height + 1;
  return Math.max(0, t);
}
