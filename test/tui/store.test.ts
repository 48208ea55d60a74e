/**
 * The store's pause (the live dashboard's Space): hold() freezes the tables while the analysis
 * goes on, release() applies what came in between, in order. On a real analysis of
 * captures/tour.pcapng (10 connections, 13 exchanges, 7 findings: E3 W3 N1), replayed event by event.
 */
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyse, type AnalysisSubscriber } from '../../src/analysis/analysis.js';
import { setupRules } from '../../src/lint/setup.js';
import { TuiStore } from '../../src/tui/store.js';

const ROOT = resolve(import.meta.dirname, '../..');
type Event = (store: TuiStore) => void;
let events: Array<{ kind: string; apply: Event }> = [];

beforeAll(async () => {
  const { active } = await setupRules({ cwd: ROOT });
  const log = (kind: string, apply: Event) => events.push({ kind, apply });
  const recorder: AnalysisSubscriber = {
    connectionOpened: (c) => log('opened', (s) => s.connectionOpened(c)),
    exchange: (x) => log('exchange', (s) => s.exchange(x)),
    finding: (f) => log('finding', (s) => s.finding(f)),
    connectionClosed: (c) => log('closed', (s) => s.connectionClosed(c)),
    progress: (p) => log('progress', (s) => s.progress(p)),
    captureEnded: (summary) => log('ended', (s) => s.captureEnded(summary)),
  };
  await analyse(resolve(ROOT, 'captures/tour.pcapng'), { rules: active }, recorder);
});

/** What the tables show. */
const tables = (s: TuiStore) => ({
  connections: s.connections.map((c) => `${c.id}:${c.exchanges.length}${c.closed === null ? ' open' : ''}`),
  exchanges: s.exchangeCount,
  counts: { ...s.counts },
  findings: s.findings.length,
  newest: s.newest === null ? null : `${s.newest.connection}.${s.newest.index}`,
});

describe('TuiStore.hold / release', () => {
  it('holds the tables as they were from the pause on, and applies everything on release as if never paused', () => {
    const direct = new TuiStore();
    for (const e of events) e.apply(direct);
    const paused = new TuiStore();
    // Paused after the third connection closed.
    const third = events.findIndex((e, i) => e.kind === 'closed' && events.slice(0, i + 1).filter((x) => x.kind === 'closed').length === 3);
    events.slice(0, third + 1).forEach((e) => e.apply(paused));
    const before = tables(paused);
    expect(before).toEqual({ connections: ['1:1', '2:1', '3:1'], exchanges: 3, counts: { error: 0, warning: 0, note: 0 }, findings: 0, newest: '3.1' });
    paused.hold();
    const version = paused.version;
    const rest = events.slice(third + 1);
    rest.forEach((e) => e.apply(paused));
    // Nothing in the tables moved; the end of the capture and the progress are not held.
    expect(tables(paused)).toEqual(before);
    expect(paused.heldCount).toBe(rest.filter((e) => e.kind !== 'progress' && e.kind !== 'ended').length);
    expect([paused.ended, paused.version > version]).toEqual([true, true]);
    paused.release();
    expect(paused.heldCount).toBe(0);
    expect(tables(paused)).toEqual(tables(direct));
    expect(tables(direct)).toMatchObject({ exchanges: 13, counts: { error: 3, warning: 3, note: 1 }, findings: 7, newest: '10.2' });
    // Released: the next events apply at once.
    paused.connectionOpened({ id: 11, client: '127.0.0.1:1', server: '127.0.0.1:2', ipVersion: 4, startTime: 0, firstFrame: 118, midStream: false });
    expect(paused.connections.map((c) => c.id).at(-1)).toBe(11);
  });
});
