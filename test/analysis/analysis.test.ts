/**
 * The engine itself (src/analysis/analysis.ts): the order events arrive in, exchanges handed on
 * while their connection is still open, progress, stream sources, and the wall-clock tick that
 * lets a quiet pipe settle its closed connections.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { analyse, type AnalysisSubscriber, type Progress } from '../../src/analysis/analysis.js';
import { parseCaptureBuffer } from '../../src/capture/source.js';
import type { CaptureSummary, ConnectionModel, ExchangeModel } from '../../src/model/types.js';
import { capture } from '../helpers/captures.js';

/** A subscriber that logs every event as a short line, and keeps the records. */
function recorder() {
  const log: string[] = [];
  const exchanges: ExchangeModel[] = [];
  const connections: ConnectionModel[] = [];
  const progress: Progress[] = [];
  let summary: CaptureSummary | null = null;
  const subscriber: AnalysisSubscriber = {
    connectionOpened: (c) => log.push(`opened ${c.id}`),
    exchange: (x) => {
      log.push(`exchange ${x.connection}.${x.index}`);
      exchanges.push(x);
    },
    connectionClosed: (c) => {
      log.push(`closed ${c.id}`);
      connections.push(c);
    },
    progress: (p) => progress.push(p),
    error: (e) => log.push(`error ${e.code}`),
    captureEnded: (s) => {
      log.push('ended');
      summary = s;
    },
  };
  return { subscriber, log, exchanges, connections, progress, summary: () => summary as CaptureSummary | null };
}

describe('event order', () => {
  it('tour.pcapng: each connection opens first, its exchanges come between its open and its close, captureEnded last', async () => {
    const r = recorder();
    const summary = await analyse(capture('tour.pcapng'), {}, r.subscriber);
    expect(summary).toMatchObject({ frames: 117, connections: 10, exchanges: 13, error: null });
    expect(r.summary()).toBe(summary);
    expect(r.log.at(-1)).toBe('ended');
    expect(r.log.filter((l) => l === 'ended')).toHaveLength(1);
    for (let id = 1; id <= 10; id++) {
      const opened = r.log.indexOf(`opened ${id}`);
      const closed = r.log.indexOf(`closed ${id}`);
      expect(r.log.filter((l) => l === `opened ${id}` || l === `closed ${id}`)).toEqual([`opened ${id}`, `closed ${id}`]);
      expect(opened).toBeLessThan(closed);
      const mine = r.log.map((l, i) => [l, i] as const).filter(([l]) => l.startsWith(`exchange ${id}.`));
      for (const [, i] of mine) expect(i > opened && i < closed, `exchange of connection ${id} at ${i}, open ${opened}–${closed}`).toBe(true);
      // The connection record counts what was handed on for it.
      expect(r.connections.find((c) => c.id === id)?.exchanges).toBe(mine.length);
    }
    expect(r.exchanges).toHaveLength(13);
  });

  it('02-keepalive-agent: exchange 1 is handed on while the connection is still open, before request 2 is even read', async () => {
    // tshark: request 1 in frame 4, its response in frame 6; request 2 in frame 8; FINs 16 and 17.
    const r = recorder();
    const tapped: AnalysisSubscriber = {
      ...r.subscriber,
      stream: () => ({ chunk: (c) => r.log.push(`bytes ${c.direction} frame ${c.frame}`), gap: () => undefined }),
    };
    await analyse(capture('02-keepalive-agent.pcapng'), {}, tapped);
    // The model gets each chunk before the taps do: an exchange is logged just before the tap sees
    // the bytes that completed it (its response's last frame).
    expect(r.log).toEqual([
      'opened 1',
      'bytes client frame 4',
      'exchange 1.1',
      'bytes server frame 6',
      'bytes client frame 8',
      'exchange 1.2',
      'bytes server frame 9',
      'bytes client frame 13',
      'exchange 1.3',
      'bytes server frame 14',
      'closed 1',
      'ended',
    ]);
  });
});

describe('progress', () => {
  it('several progress events with growing counts, the last one at the file size and the frame count', async () => {
    const file = capture('02-keepalive-agent.pcapng');
    const r = recorder();
    await analyse(file, { progressEvery: 5 }, r.subscriber);
    const size = statSync(file).size;
    // Frames 5, 10 and 15 (18 frames), then the end.
    expect(r.progress.map((p) => p.frames)).toEqual([5, 10, 15, 18]);
    expect(r.progress.every((p) => p.totalBytes === size)).toBe(true);
    const bytes = r.progress.map((p) => p.bytes);
    expect([...bytes].sort((a, b) => a - b)).toEqual(bytes);
    expect(r.progress.at(-1)).toEqual({ bytes: size, frames: 18, totalBytes: size });
  });

  it('a stream source has no total', async () => {
    const file = capture('06-res-end.pcapng');
    const r = recorder();
    await analyse({ name: 'piped', stream: createReadStream(file) }, { tickMs: 0 }, r.subscriber);
    expect(r.progress.at(-1)).toEqual({ bytes: statSync(file).size, frames: 10, totalBytes: null });
  });
});

describe('sources', () => {
  it('a stream ({name, stream}) gives the same records and summary as the path (tour.pcapng)', async () => {
    const file = capture('tour.pcapng');
    const byPath = recorder();
    const byStream = recorder();
    const a = await analyse(file, {}, byPath.subscriber);
    const b = await analyse({ name: 'tour via stream', stream: createReadStream(file) }, {}, byStream.subscriber);
    expect(b.file).toBe('tour via stream');
    expect({ ...b, file: a.file }).toEqual(a);
    expect(byStream.exchanges).toEqual(byPath.exchanges);
    expect(byStream.connections).toEqual(byPath.connections);
    expect(byStream.log).toEqual(byPath.log);
  });
});

describe('wall-clock tick on a pipe', () => {
  /** Frames of `name` written to a pipe that then stays open and quiet: only wall time passes. */
  function quietPipe(name: string, frames: number) {
    const file = capture(name);
    const bytes = readFileSync(file);
    const offsets: number[] = [];
    parseCaptureBuffer(file, bytes, (f) => offsets.push(f.fileOffset));
    expect(offsets).toHaveLength(frames);
    const pipe = new PassThrough();
    const r = recorder();
    const done = analyse({ name: 'pipe', stream: pipe }, { tickMs: 50 }, r.subscriber);
    pipe.write(bytes);
    return { pipe, r, done };
  }

  it('a connection closed with a RST is handed on ~2 s after its last frame while the pipe stays open and quiet', async () => {
    // 36-connection-reset: the server's RST in frame 8 ends the connection; late segments may follow a RST.
    const { pipe, r, done } = quietPipe('36-connection-reset.pcapng', 8);
    await sleep(1000);
    // Not yet: the tcp stage keeps a closed connection 2 s (capture time, here moved on by the wall
    // clock) after its last frame, for late segments.
    expect(r.log).toEqual(['opened 1', 'exchange 1.1']);
    // ~2.05 s after the frames went in (a 50 ms tick notices them), plus margin for a busy machine.
    await sleep(1800);
    expect(r.log).toEqual(['opened 1', 'exchange 1.1', 'closed 1']);
    expect(r.connections[0]).toMatchObject({ id: 1, lastFrame: 8, frames: { total: 8 }, teardown: { kind: 'rst', serverRst: { frame: 8 } }, end: 'close' });
    pipe.end();
    expect(await done).toMatchObject({ frames: 8, connections: 1, exchanges: 1, error: null });
    // The end of the input hands on nothing twice.
    expect(r.log).toEqual(['opened 1', 'exchange 1.1', 'closed 1', 'ended']);
  }, 5000);

  it("a quiet stream's progress comes at the next tick, not only every progressEvery frames", async () => {
    // 06-res-end: 10 frames, the last at byte offset 1244 (its block's start) of 1344; the pipe stays open.
    const { pipe, r, done } = quietPipe('06-res-end.pcapng', 10);
    await sleep(300);
    expect(r.progress).toEqual([{ bytes: 1244, frames: 10, totalBytes: null }]);
    pipe.end();
    await done;
    // The end's own progress event follows, at the bytes read.
    expect(r.progress.at(-1)).toEqual({ bytes: 1344, frames: 10, totalBytes: null });
  }, 5000);

  it('a connection closed and acknowledged both ways is handed on at the next tick', async () => {
    // 06-res-end: client FIN in frame 8, server FIN in frame 9, the last ACK (of the server's FIN) in
    // frame 10: nothing is outstanding, the connection waits 10 ms of capture time, not 2 s.
    const { pipe, r, done } = quietPipe('06-res-end.pcapng', 10);
    await sleep(500);
    expect(r.log).toEqual(['opened 1', 'exchange 1.1', 'closed 1']);
    // Settled from the last frame, so the final ACK counts in the connection (as in tshark's stream).
    expect(r.connections[0]).toMatchObject({
      id: 1,
      lastFrame: 10,
      frames: { client: 6, server: 4, total: 10 },
      teardown: { kind: 'fin', clientFin: { frame: 8 }, serverFin: { frame: 9 } },
      end: 'close',
    });
    pipe.end();
    expect(await done).toMatchObject({ frames: 10, connections: 1, exchanges: 1, error: null });
    expect(r.log).toEqual(['opened 1', 'exchange 1.1', 'closed 1', 'ended']);
  }, 5000);
});
