import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analysis.js';
import { SegmentLog } from '../../src/model/segment-log.js';
import { labelSegments, type SegmentRow } from '../../src/model/segments.js';
import { checkTerminal, unicodeBorders } from '../../src/tui/app.js';
import { exchangeSegments, flagNames, segmentLine } from '../../src/tui/segment-rows.js';
import { TuiStore } from '../../src/tui/store.js';

let rows: SegmentRow[];

beforeAll(async () => {
  const store = new TuiStore();
  const log = new SegmentLog();
  await analyse(resolve(import.meta.dirname, '../../captures/tour.pcapng'), {}, store, log);
  rows = labelSegments(log.forConnection(4), store.connection(4)!.exchanges);
});

describe('Segments tab rows (connection 4 of tour.pcapng: three requests on one connection)', () => {
  it('flags are named in a fixed order', () => {
    expect([flagNames(2), flagNames(18), flagNames(24), flagNames(17), flagNames(4)]).toEqual(['SYN', 'SYN,ACK', 'PSH,ACK', 'FIN,ACK', 'RST']);
  });

  it('exchange 1 has the handshake before it; exchange 2 its own segments and the ACKs up to exchange 3', () => {
    expect(exchangeSegments(rows, 1).map((r) => r.frame)).toEqual([31, 32, 33, 34, 35, 36, 37]);
    expect(exchangeSegments(rows, 2).map((r) => r.frame)).toEqual([38, 39, 40, 41, 42]);
    // The last exchange keeps the teardown.
    expect(exchangeSegments(rows, 3).map((r) => r.frame)).toEqual([43, 44, 45, 46, 47, 48]);
    expect(exchangeSegments(rows, 4)).toEqual([]);
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
