import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analysis.js';
import { labelSegments, type SegmentRow } from '../../src/model/segments.js';
import { checkTerminal, unicodeBorders } from '../../src/tui/app.js';
import { flagNames, segmentLine } from '../../src/tui/segment-rows.js';
import { FileByteViews } from '../../src/tui/file-views.js';
import { TuiStore } from '../../src/tui/store.js';

let rows: SegmentRow[];
let views: FileByteViews;
let store: TuiStore;

beforeAll(async () => {
  store = new TuiStore();
  views = new FileByteViews(store, null);
  await analyse(resolve(import.meta.dirname, '../../captures/tour.pcapng'), {}, store, views.log);
  rows = labelSegments(views.log.forConnection(4), store.models(4)!.exchanges);
});

describe('Segments tab rows (connection 4 of tour.pcapng: three requests on one connection)', () => {
  it('flags are named in a fixed order', () => {
    expect([flagNames(2), flagNames(18), flagNames(24), flagNames(17), flagNames(4)]).toEqual(['SYN', 'SYN,ACK', 'PSH,ACK', 'FIN,ACK', 'RST']);
  });

  it('the Segments tab of exchange 2: a heading, then its frames from request to response end', () => {
    const lines = views.segments(4, store.models(4)!.exchanges[1], 80);
    expect(lines[0]).toBe(`{bold}${'FRAME  TIME      DIR FLAGS     SEQ        LEN    CARRIED'.padEnd(80)}{/bold}`);
    expect(lines.slice(1).map((l) => Number(l.split(' ')[0]))).toEqual([38, 39]);
    // The whole connection when no exchange is selected: SYN (frame 31) to the last ACK (48).
    const all = views.segments(4, null, 80);
    expect([all.length - 1, all[1].slice(0, 6), all[all.length - 1].slice(0, 6)]).toEqual([18, '31    ', '48    ']);
  });

  it('the ladder of connection 4 has its SYN and labelled arrows; without a file there is no Raw tab', () => {
    const ladder = views.ladder(4, null, 80);
    expect(ladder.some((l) => /^ +0µs +31 │─+ SYN ─+►│$/.test(l))).toBe(true);
    expect(ladder.some((l) => /^ +109\.3ms +38 │─+ req 2 headers ─+►│$/.test(l))).toBe(true);
    expect(views.raw(4, store.models(4)!.exchanges[1])).toEqual(['{gray-fg}(raw bytes are read again from the capture file: not available for this input){/gray-fg}']);
  });

  it('a line: frame, time since the first segment, direction, flags, seq, length, label', () => {
    const line = segmentLine(rows.find((r) => r.frame === 39)!, rows[0].time, 80);
    expect(line.trimEnd()).toBe('39     +109.9ms  ←   PSH,ACK   139        138    resp 2 headers+body 15 B');
  });
});

describe('checkTerminal', () => {
  it('refuses an unset or dumb TERM with one line, accepts the rest', () => {
    expect(checkTerminal({})).toBe('the terminal (TERM=unset) cannot show the UI; use `wirelens report FILE` for text');
    expect(checkTerminal({ TERM: 'dumb' })).toMatch(/^the terminal \(TERM=dumb\)/);
    expect(checkTerminal({ TERM: 'xterm-256color' })).toBeNull();
  });
});

describe('unicodeBorders', () => {
  it('under tmux or screen, with NCURSES_NO_UTF8_ACS=1, or in a UTF-8 locale', () => {
    expect(unicodeBorders({ TMUX: '/tmp/tmux-0/default,1,0' })).toBe(true);
    expect(unicodeBorders({ NCURSES_NO_UTF8_ACS: '1' })).toBe(true);
    expect(unicodeBorders({ LANG: 'en_US.UTF-8' })).toBe(true);
    expect(unicodeBorders({ LANG: 'C' })).toBe(false);
    expect(unicodeBorders({})).toBe(false);
  });
});
