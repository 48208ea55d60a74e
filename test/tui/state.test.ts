/**
 * The store filled by a real analysis of captures/tour.pcapng, and the moves the keys make on it:
 * selection, filter, n/N, the Findings view's order and jump.
 */
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analysis.js';
import { setupRules } from '../../src/lint/setup.js';
import { TuiState } from '../../src/tui/state.js';
import { TuiStore } from '../../src/tui/store.js';
import { connectionRow, exchangeRow, findingMarks } from '../../src/tui/rows.js';

const ROOT = resolve(import.meta.dirname, '../..');
let store: TuiStore;

beforeAll(async () => {
  const { active } = await setupRules({ cwd: ROOT });
  store = new TuiStore();
  await analyse(resolve(ROOT, 'captures/tour.pcapng'), { rules: active }, store);
});

describe('TuiStore on tour.pcapng', () => {
  it('holds every connection, exchange and finding with the capture counters', () => {
    expect(store.connections.map((c) => c.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(store.exchangeCount).toBe(13);
    expect(store.counts).toEqual({ error: 3, warning: 3, note: 1 });
    expect(store.summary?.frames).toBe(117);
    expect(store.connection(4)!.exchanges.map((x) => x.index)).toEqual([1, 2, 3]);
    expect(store.exchangeFindings(7, 1).map((f) => f.ruleId)).toEqual(['content-length-overrun']);
    expect(store.connection(7)!.findings).toEqual({ error: 1, warning: 0, note: 0 });
  });

  it('rows: connection 4 is 3 requests on one connection closed by the client; its exchanges are packed CL 15', () => {
    const row = connectionRow(store.connection(4)!, 100);
    expect(row.body).toMatch(/^4 +127\.0\.0\.1:38444 → 127\.0\.0\.1:5102 +3 reqs \/ 1 conn +1\.416s +FIN client/);
    expect(row.body.length).toBe(89);
    const x = store.connection(4)!.exchanges[1];
    expect(exchangeRow(x, '', 120).body).toMatch(/^2 +GET +\/2 +200 +65 B +138 B +592µs +592µs +packed +CL 15/);
    // Narrow: REQ, TTFB and PACKING are left out.
    expect(exchangeRow(x, '', 78).body).toMatch(/^2 +GET +\/2 +200 +138 B +592µs +CL 15/);
    expect(store.connection(10)!.exchanges[1].statusText).toBe('-');
    expect(findingMarks({ error: 1, warning: 0, note: 2 })).toBe('E1 N2');
  });

  it('rows: the id and # columns widen to the largest number shown (no 999… for connection 99999)', () => {
    const entry = { ...store.connection(4)!, id: 100_000 };
    expect(connectionRow(entry, 100).body).toMatch(/^100… /);
    expect(connectionRow(entry, 100, 6).body).toMatch(/^100000 127\.0\.0\.1:38444 → /);
    const x = { ...store.connection(4)!.exchanges[1], index: 1234 };
    expect(exchangeRow(x, '', 120).body).toMatch(/^12… GET /);
    expect(exchangeRow(x, '', 120, 4).body).toMatch(/^1234 GET +\/2 +200 /);
    // The target column gives way: the row keeps its width.
    expect(exchangeRow(x, '', 120, 4).body.length).toBe(exchangeRow(x, '', 120).body.length);
  });
});

describe('TuiState', () => {
  it('selects the first connection and exchange, and moves within the focused pane', () => {
    const state = new TuiState(store);
    expect(state.selectedExchange()?.connection).toBe(1);
    state.move(3);
    expect(state.connection).toBe(4);
    state.focus = 'exchanges';
    state.moveToEnd();
    expect(state.exchange).toBe(3);
    state.move(-5);
    expect(state.exchange).toBe(1);
  });

  it('a rule: filter keeps the connections with a matching exchange', () => {
    const state = new TuiState(store);
    state.setFilter('rule:content-length-*');
    expect(state.visibleConnections().map((c) => c.id)).toEqual([7, 8]);
    expect(state.connection).toBe(7);
    state.setFilter('method:POST');
    expect(state.visibleConnections().map((c) => c.id)).toEqual([9]);
    state.setFilter('');
    expect(state.visibleConnections()).toHaveLength(10);
  });

  it('n / N go to the next / previous exchange with a finding, wrapping around', () => {
    const state = new TuiState(store);
    const visits: string[] = [];
    for (let i = 0; i < 5; i++) {
      state.jumpToFinding(1);
      visits.push(`${state.connection}:${state.exchange}`);
    }
    expect(visits).toEqual(['5:1', '7:1', '8:1', '9:1', '10:2']);
    state.jumpToFinding(1);
    expect(`${state.connection}:${state.exchange}`).toBe('5:1');
    state.jumpToFinding(-1);
    expect(`${state.connection}:${state.exchange}`).toBe('10:2');
  });

  it('the Findings view sorts by severity or rule; Enter selects the exchange and its Findings tab', () => {
    const state = new TuiState(store);
    expect(state.sortedFindings().map((f) => f.severity)).toEqual(['error', 'error', 'error', 'warning', 'warning', 'warning', 'note']);
    state.findingSort = 'rule';
    expect(state.sortedFindings()[0].ruleId).toBe('connection-per-request');
    const race = state.sortedFindings().find((f) => f.ruleId === 'keepalive-reuse-race')!;
    state.setFilter('conn:1');
    expect(state.openFinding(race)).toBe(true);
    expect([state.connection, state.exchange, state.tab, state.filter]).toEqual([10, 2, 'Findings', null]);
  });
});
