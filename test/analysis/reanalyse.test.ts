/**
 * A connection analysed again from its own frames gives the records the first pass gave: the TUI
 * rebuilds the models of a connection it let go from exactly this, so any difference would show
 * the user another exchange than `report` does.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analysis.js';
import { connectionEnd, reanalyseConnection, type ConnectionEnd } from '../../src/analysis/reanalyse.js';
import { FrameReader } from '../../src/capture/frame-reader.js';
import { SegmentLog } from '../../src/model/segment-log.js';
import type { SegmentRecord } from '../../src/model/segments.js';
import type { ConnectionModel, ExchangeModel } from '../../src/model/types.js';
import { capture, CAPTURES_DIR } from '../helpers/captures.js';
import { SyntheticCapture } from '../helpers/conversation.js';

const NODE_VERDICT = { maxHeaderSize: null, insecureHTTPParser: false };

interface FirstPass {
  connections: ConnectionModel[];
  exchanges: Map<number, ExchangeModel[]>;
  log: SegmentLog;
  bounds: { firstTime: number; lastTime: number | null };
}

async function firstPass(file: string): Promise<FirstPass> {
  const connections: ConnectionModel[] = [];
  const exchanges = new Map<number, ExchangeModel[]>();
  const log = new SegmentLog();
  const summary = await analyse(file, { nodeVerdict: NODE_VERDICT }, log, {
    connectionClosed: (c) => connections.push(c),
    exchange: (x) => {
      const list = exchanges.get(x.connection) ?? [];
      list.push(x);
      exchanges.set(x.connection, list);
    },
  });
  return { connections, exchanges, log, bounds: { firstTime: summary.firstTime ?? 0, lastTime: summary.lastTime } };
}

/** Every connection of `file` again, alone: the ends met, and the connections whose records differ (expected: none). */
async function compareAll(file: string): Promise<{ ends: Record<ConnectionEnd, number>; differ: number[] }> {
  const first = await firstPass(file);
  const ends: Record<ConnectionEnd, number> = { settled: 0, replaced: 0, 'capture-end': 0 };
  const differ: number[] = [];
  const reader = await FrameReader.open(file);
  try {
    for (const c of first.connections) {
      const end = connectionEnd(c);
      ends[end]++;
      const again = await reanalyseConnection(reader, c.id, first.log.forConnection(c.id), end, first.bounds, { nodeVerdict: NODE_VERDICT }, successorOf(first, c), c.handshake.fallback);
      if (JSON.stringify(again.connection) !== JSON.stringify(c) || JSON.stringify(again.exchanges) !== JSON.stringify(first.exchanges.get(c.id) ?? [])) differ.push(c.id);
    }
  } finally {
    await reader.close();
  }
  return { ends, differ };
}

/** The first segment of the next connection between the same endpoints (the SYN that may have replaced `c`). */
function successorOf(first: FirstPass, c: ConnectionModel): SegmentRecord | null {
  const next = first.connections.filter((o) => o.id > c.id && ((o.client === c.client && o.server === c.server) || (o.client === c.server && o.server === c.client))).sort((a, b) => a.id - b.id)[0];
  return next === undefined ? null : (first.log.forConnection(next.id)[0] ?? null);
}

describe('reanalyseConnection', () => {
  it('rebuilds every connection of every recording in captures/ exactly (records and exchanges, Node verdicts included)', async () => {
    const files = readdirSync(CAPTURES_DIR).filter((f) => /\.(pcap|pcapng)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(49);
    const ends: Record<ConnectionEnd, number> = { settled: 0, replaced: 0, 'capture-end': 0 };
    for (const name of files) {
      const result = await compareAll(capture(name));
      expect({ name, differ: result.differ }).toEqual({ name, differ: [] });
      for (const k of Object.keys(ends) as ConnectionEnd[]) ends[k] += result.ends[k];
    }
    // Closed and settled (FIN or RST), and still open at the end of the capture, both met.
    expect(ends.settled).toBe(96);
    expect(ends['capture-end']).toBe(5);
  });

  it('ends a connection whose 4-tuple a new SYN took over as the first pass did, and keeps ids past it', async () => {
    const cap = new SyntheticCapture();
    // Left open (no FIN) with its second request unanswered, then the same ports with a new ISN 3 s
    // later: tshark starts a new stream; the request waited until that SYN.
    cap
      .conversation({ clientPort: 41000 })
      .handshake()
      .send('client', 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n')
      .send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
      .send('client', 'GET /a2 HTTP/1.1\r\nHost: x\r\n\r\n')
      .wait(3);
    cap.conversation({ clientPort: 41000, isn: { client: 90_000, server: 70_000 } }).handshake().send('client', 'GET /b HTTP/1.1\r\nHost: x\r\n\r\n').send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nk').fin('client').fin('server').ack('client');
    cap.conversation().handshake().send('client', 'GET /c HTTP/1.1\r\nHost: x\r\n\r\n').wait(0.5).send('server', 'HTTP/1.1 204 No Content\r\n\r\n');
    const file = cap.writeTemp();
    const first = await firstPass(file);
    expect(first.connections.map((c) => [c.id, connectionEnd(c)])).toEqual([
      [1, 'replaced'],
      [2, 'settled'],
      [3, 'capture-end'],
    ]);
    expect(await compareAll(file)).toEqual({ ends: { settled: 1, replaced: 1, 'capture-end': 1 }, differ: [] });
    // Without the SYN the unanswered request would seem to have waited until its own frame.
    const one = first.connections[0];
    const alone = await reanalyseConnection(file, 1, first.log.forConnection(1), 'replaced', first.bounds, { nodeVerdict: NODE_VERDICT });
    const waited = (models: ExchangeModel[]) => models[1].timing.unanswered?.waited;
    expect(waited(first.exchanges.get(1)!)).toBe(3.001);
    expect(waited(alone.exchanges)).toBe(0);
    expect(one.id).toBe(1);
    const third = await reanalyseConnection(file, 3, first.log.forConnection(3), 'capture-end', first.bounds, { nodeVerdict: NODE_VERDICT });
    expect(third.connection?.id).toBe(3);
    expect(third.exchanges.map((x) => [x.connection, x.index, x.request?.target, x.response?.status])).toEqual([[3, 1, '/c', 204]]);
  });
});
