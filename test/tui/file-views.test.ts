/**
 * The byte views' re-read of an exchange's bytes (Raw tab, body previews) while the capture is
 * still streaming in: the newest exchange is read from the segment log as it stands, not from the
 * labelled rows, which are rebuilt at most every 500 ms then (live's follow mode selects it at once).
 */
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { FrameReader } from '../../src/capture/frame-reader.js';
import { analyse } from '../../src/analysis/analysis.js';
import type { ExchangeModel } from '../../src/model/types.js';
import { FileByteViews } from '../../src/tui/file-views.js';
import { TuiStore } from '../../src/tui/store.js';

const CAPTURE = resolve(import.meta.dirname, '../../captures/02-keepalive-agent.pcapng');

describe('FileByteViews.raw while the capture streams in', () => {
  it('the newest exchange gets its own bytes even when the labelled rows were built before it came', async () => {
    const store = new TuiStore();
    const views = new FileByteViews(store, CAPTURE);
    const exchanges: ExchangeModel[] = [];
    // Exchange 2 arrives: its rows are labelled (as a redraw would). Exchange 3 arrives within the
    // 500 ms the rows stay cached while the capture is read: its Raw tab is asked for at once.
    const tap = {
      exchange: (x: ExchangeModel) => {
        exchanges.push(x);
        if (x.index === 2) views.rows(x.connection);
        if (x.index === 3) views.raw(x.connection, x);
      },
    };
    await analyse(CAPTURE, {}, store, views.log, tap);
    const third = exchanges[2];
    // Asked for within the frame that ended it, the bytes were not read yet; the next redraw reads them.
    views.raw(third.connection, third);
    await sleep(100);
    const lines = views.raw(third.connection, third);
    // 02-keepalive-agent: GET /3 is 65 B at stream offset 130 (0x82), its 200 138 B at 276.
    expect(lines[0]).toBe('{bold}→ request (client), 65 B at stream offset 130{/bold}');
    expect(lines[1]).toMatch(/^00000082  47 45 54 20 2f 33 20 48 54 54 50 2f 31 2e 31 0d  GET \/3 HTTP\/1\.1\.$/);
    expect(lines).toContain('{bold}← response (server), 138 B at stream offset 276{/bold}');
    await views.close();
  });

  it('the Segments tab of the newest exchange has its segments at once: the rows grow with the capture', async () => {
    const store = new TuiStore();
    const views = new FileByteViews(store, CAPTURE);
    const early = new Map<number, string[]>();
    const tap = {
      exchange: (x: ExchangeModel) => {
        // Asked for the moment each exchange arrives, as live's follow mode selects it.
        early.set(x.index, views.segments(x.connection, x, 120));
      },
    };
    await analyse(CAPTURE, {}, store, views.log, tap);
    for (const index of [1, 2, 3]) {
      const lines = early.get(index)!;
      expect(lines.some((l) => l.includes(`req ${index}`))).toBe(true);
    }
  });

  it('opens the capture once for every exchange it reads again (a pcapng reader keeps the block headers it walked)', async () => {
    const store = new TuiStore();
    const views = new FileByteViews(store, CAPTURE);
    await analyse(CAPTURE, {}, store, views.log);
    const opened = vi.spyOn(FrameReader, 'open');
    const exchanges = store.models(1)!.exchanges;
    const firstLines: string[] = [];
    // One exchange at a time, as a user selects them (the views keep the bytes of one only).
    for (const x of exchanges) {
      views.raw(1, x);
      await sleep(50);
      firstLines.push(views.raw(1, x)[0]);
    }
    expect(opened).toHaveBeenCalledTimes(1);
    opened.mockRestore();
    // 02-keepalive-agent: GET /1, /2, /3 at client offsets 0, 65, 130.
    expect(firstLines).toEqual([0, 65, 130].map((at) => `{bold}→ request (client), 65 B at stream offset ${at}{/bold}`));
    await views.close();
  });
});
