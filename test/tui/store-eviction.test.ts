/**
 * The store's bounds for a live capture that runs for hours: keep(N) (`live --keep N`) and clear()
 * (the dashboard's `c`) let exchanges and closed connections go, while the counters and the
 * findings list stay whole. On a real analysis of captures/tour.pcapng (10 connections, 13
 * exchanges: 3 on connection 4, 2 on connection 10, 1 on each other one; 7 findings).
 */
import { resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analysis.js';
import { setupRules } from '../../src/lint/setup.js';
import { TuiState } from '../../src/tui/state.js';
import { exchangeAt, TuiStore } from '../../src/tui/store.js';

const ROOT = resolve(import.meta.dirname, '../..');
let store: TuiStore;

beforeEach(async () => {
  const { active } = await setupRules({ cwd: ROOT });
  store = new TuiStore();
  await analyse(resolve(ROOT, 'captures/tour.pcapng'), { rules: active }, store);
});

function retained(): string[] {
  return store.connections.flatMap((c) => c.exchanges.map((x) => `${c.id}:${x.index}`));
}

describe('TuiStore.keep', () => {
  it('keep(5): the 8 oldest exchanges leave, then the closed connections left empty while more than 5 remain', () => {
    const gone = store.keep(5);
    expect(retained()).toEqual(['7:1', '8:1', '9:1', '10:1', '10:2']);
    expect(gone).toEqual([1, 2, 3, 4, 5]);
    expect(store.connections.map((c) => c.id)).toEqual([6, 7, 8, 9, 10]);
    expect(store.connection(4)).toBeUndefined();
    // Still counted; the findings list keeps the findings of exchanges that left.
    expect(store.exchangeCount).toBe(13);
    expect(store.counts).toEqual({ error: 3, warning: 3, note: 1 });
    expect(store.findings.length).toBe(7);
    expect(store.exchangeFindings(7, 1).map((f) => f.ruleId)).toEqual(['content-length-overrun']);
    // Already within bounds: nothing more goes.
    expect(store.keep(5)).toEqual([]);
    expect(retained().length).toBe(5);
  });

  it('an exchange leaving the front of a connection: the rest are found by their index (exchangeAt, the selection)', () => {
    expect(store.keep(9)).toEqual([1]);
    const four = store.connection(4)!;
    expect(four.exchanges.map((x) => x.index)).toEqual([2, 3]);
    expect(exchangeAt(four.exchanges, 1)).toBeNull();
    expect(exchangeAt(four.exchanges, 3)?.index).toBe(3);
    // The kept models follow: the first exchange's went with its row.
    expect(store.models(4)?.exchanges.map((x) => x.index)).toEqual([2, 3]);
    const state = new TuiState(store);
    state.select(4, 3);
    expect(state.selectedExchange()?.index).toBe(3);
    expect(state.cursor('exchanges')).toEqual({ index: 1, length: 2 });
  });
});

describe('TuiStore.clear', () => {
  it('empties the tables (every connection of the file is closed: all go) and keeps the counters and findings', () => {
    const version = store.version;
    expect(store.clear()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(store.connections).toEqual([]);
    expect(store.newest).toBeNull();
    expect(store.exchangeCount).toBe(13);
    expect(store.counts).toEqual({ error: 3, warning: 3, note: 1 });
    expect(store.findings.length).toBe(7);
    expect(store.version).toBe(version + 1);
    expect(new TuiState(store).selectedConnection()).toBeNull();
  });
});
