/**
 * The store keeps a row per exchange and the full models only within a budget: past it, a closed
 * connection's models go (least recently looked at first) and are rebuilt from the file when asked
 * for. On a real analysis of captures/tour.pcapng (10 connections, 13 exchanges: 3 on connection
 * 4, 2 on connection 10, 1 on each other one).
 */
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analysis.js';
import type { ConnectionModels } from '../../src/analysis/reanalyse.js';
import { FileByteViews } from '../../src/tui/file-views.js';
import { TuiState } from '../../src/tui/state.js';
import { FILE_MODELS, TuiStore, type ModelLoader, type ModelPolicy } from '../../src/tui/store.js';
import { SyntheticCapture } from '../helpers/conversation.js';

const TOUR = resolve(import.meta.dirname, '../../captures/tour.pcapng');
const NODE_VERDICT = { maxHeaderSize: null, insecureHTTPParser: false };

/** Ids of the connections whose models the store holds now (asking would load the others: peek via a loader that records). */
function keptIds(store: TuiStore): number[] {
  return store.connections.map((c) => c.id).filter((id) => store.modelsProblem(id) === null && peek(store, id));
}

function peek(store: TuiStore, id: number): boolean {
  // models() marks what it returns as used; the order is not what these tests look at.
  return (store as unknown as { kept: Map<number, { state: string }> }).kept.get(id)?.state === 'kept';
}

async function fullStore(): Promise<TuiStore> {
  const store = new TuiStore();
  await analyse(TOUR, { nodeVerdict: NODE_VERDICT }, store);
  return store;
}

/** A store whose loader hands out `full`'s models (as the file would give them), and the ids it was asked for. */
function rebuildingFrom(full: TuiStore, policy: ModelPolicy): { store: TuiStore; asked: number[] } {
  const store = new TuiStore();
  const asked: number[] = [];
  store.rebuildWith(async (id) => {
    asked.push(id);
    return full.models(id) as ConnectionModels;
  }, policy);
  return { store, asked };
}

describe('TuiStore models within a budget', () => {
  it('without a loader every model is kept', async () => {
    const store = await fullStore();
    expect(keptIds(store)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(store.models(4)?.exchanges.map((x) => x.request?.target)).toEqual(['/1', '/2', '/3']);
  });

  it('a capture file\'s policy: every model while they weigh up to keepAllUpTo, then only the connection asked for', async () => {
    const full = await fullStore();
    // tour: 10 connections and 13 exchanges weigh 23.
    const small = rebuildingFrom(full, FILE_MODELS).store;
    await analyse(TOUR, { nodeVerdict: NODE_VERDICT }, small);
    expect(keptIds(small)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const { store, asked } = rebuildingFrom(full, { ...FILE_MODELS, keepAllUpTo: 20 });
    await analyse(TOUR, { nodeVerdict: NODE_VERDICT }, store);
    expect(keptIds(store)).toEqual([]);
    expect(store.models(4)).toBeNull();
    await sleep(0);
    expect(store.models(6)).toBeNull();
    await sleep(0);
    // The one asked for last stays; the one before went when it came.
    expect(asked).toEqual([4, 6]);
    expect(keptIds(store)).toEqual([6]);
  });

  it('past the budget the oldest closed connections go; rows and findings stay; asking loads them again', async () => {
    const asked: number[] = [];
    const full = await fullStore();
    const loader: ModelLoader = async (id, row) => {
      asked.push(id);
      expect(row.frames).toBe(full.connection(id)!.closed!.frames);
      return full.models(id) as ConnectionModels;
    };
    const store = new TuiStore();
    // Budget 4: an exchange and its connection count 1 each: 9 (one exchange) and 10 (two) weigh 5, so 9 went too.
    store.rebuildWith(loader, { budget: 4, dropOpen: false });
    await analyse(TOUR, { nodeVerdict: NODE_VERDICT }, store);
    expect(keptIds(store)).toEqual([10]);
    expect(store.connection(4)!.exchanges.map((x) => [x.index, x.target, x.statusText])).toEqual([
      [1, '/1', '200'],
      [2, '/2', '200'],
      [3, '/3', '200'],
    ]);
    const version = store.version;
    expect(store.models(4)).toBeNull();
    expect(store.models(4)).toBeNull();
    expect(asked).toEqual([4]);
    await sleep(0);
    expect(store.version).toBe(version + 1);
    expect(store.models(4)?.exchanges.map((x) => x.index)).toEqual([1, 2, 3]);
    // 4 came back (weight 4) and 10 went to make room: the one asked for stays, even alone over the budget.
    expect(keptIds(store)).toEqual([4]);
  });

  it('the selection shows its exchange once the models are back (TuiState.selectedExchange)', async () => {
    const full = await fullStore();
    const store = new TuiStore();
    store.rebuildWith(async (id) => full.models(id) as ConnectionModels, { budget: 0, dropOpen: false });
    await analyse(TOUR, { nodeVerdict: NODE_VERDICT }, store);
    const state = new TuiState(store);
    state.select(4, 2);
    expect(state.selectedRow()?.target).toBe('/2');
    expect(state.selectedExchange()).toBeNull();
    await sleep(0);
    expect(state.selectedExchange()?.request?.startLine).toBe('GET /2 HTTP/1.1');
  });

  it('says why when the models cannot be rebuilt: a failed read, or frames that do not make the same connection', async () => {
    const full = await fullStore();
    const store = new TuiStore();
    store.rebuildWith(async (id) => {
      if (id === 1) throw new Error('EACCES: permission denied');
      const models = full.models(id) as ConnectionModels;
      // As if an IP-fragmented frame had not reassembled read alone: one frame short.
      return { ...models, connection: { ...models.connection!, frames: { ...models.connection!.frames, total: models.connection!.frames.total - 1 } } };
    }, { budget: 0, dropOpen: false });
    await analyse(TOUR, { nodeVerdict: NODE_VERDICT }, store);
    expect(store.models(1)).toBeNull();
    expect(store.models(2)).toBeNull();
    await sleep(0);
    expect(store.modelsProblem(1)).toBe('connection 1 could not be read again: EACCES: permission denied');
    expect(store.modelsProblem(2)).toBe('connection 2 could not be rebuilt from its frames alone (IP fragments?)');
    expect(store.models(2)).toBeNull();
  });

  it('a capture file (dropOpen): an open connection past the budget lets its models go, says so while open, and is rebuilt once closed', async () => {
    const full = await fullStore();
    const { store, asked } = rebuildingFrom(full, { budget: 2, dropOpen: true });
    let whileOpen: [string | null, boolean] | null = null;
    const tap = {
      exchange: (x: { connection: number; index: number }) => {
        // Connection 4's third exchange: the first two and the connection weigh 3, over 2.
        if (x.connection === 4 && x.index === 3) whileOpen = [store.modelsProblem(4), store.models(4) === null];
      },
    };
    await analyse(TOUR, { nodeVerdict: NODE_VERDICT }, store, tap);
    expect(whileOpen).toEqual(['connection 4 is still being read: its details are rebuilt from the file once it closes', true]);
    // Asking while it was open loaded nothing; closed, it is rebuilt.
    expect(asked).toEqual([]);
    expect(store.connection(4)!.exchanges.map((x) => x.index)).toEqual([1, 2, 3]);
    expect(store.models(4)).toBeNull();
    await sleep(0);
    expect(asked).toEqual([4]);
    expect(store.models(4)?.exchanges.map((x) => x.request?.target)).toEqual(['/1', '/2', '/3']);
  });

  it('never lets go of the connection asked for last, even over the budget by itself, while more of the capture comes', async () => {
    const full = await fullStore();
    const events: Array<(s: TuiStore) => void> = [];
    await analyse(TOUR, { nodeVerdict: NODE_VERDICT }, {
      connectionOpened: (c) => void events.push((s) => s.connectionOpened(c)),
      exchange: (x) => void events.push((s) => s.exchange(x)),
      connectionClosed: (c) => void events.push((s) => s.connectionClosed(c)),
    });
    const { store, asked } = rebuildingFrom(full, { budget: 2, dropOpen: true });
    // Up to connection 4's close: it went (weight 4, budget 2); the user selects it and it is rebuilt.
    const fourClosed = events.findIndex((apply) => {
      apply(store);
      return store.connection(4)?.closed != null;
    });
    expect(store.models(4)).toBeNull();
    await sleep(0);
    expect(store.models(4)?.exchanges.length).toBe(3);
    // The rest of the capture streams in: connection 4 stays, however far over the budget.
    for (const apply of events.slice(fourClosed + 1)) apply(store);
    expect(peek(store, 4)).toBe(true);
    expect(asked).toEqual([4]);
  });

  it('a connection a new SYN replaced is rebuilt with that SYN\'s time: its unanswered request waited until then', async () => {
    const cap = new SyntheticCapture();
    cap.conversation({ clientPort: 41000 }).handshake().send('client', 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n').wait(2);
    cap.conversation({ clientPort: 41000, isn: { client: 90_000, server: 70_000 } }).handshake().send('client', 'GET /b HTTP/1.1\r\nHost: x\r\n\r\n').send('server', 'HTTP/1.1 204 No Content\r\n\r\n').fin('client').fin('server').ack('client');
    const file = cap.writeTemp();
    const store = new TuiStore();
    const views = new FileByteViews(store, file);
    store.rebuildWith((id, row) => views.loadModels(id, row, { nodeVerdict: NODE_VERDICT }), { budget: 0, dropOpen: true });
    await analyse(file, { nodeVerdict: NODE_VERDICT }, store, views.log);
    expect([store.connection(1)!.closed!.end, store.successor(1), store.successor(2)]).toEqual(['replaced', 2, null]);
    expect(store.models(1)).toBeNull();
    for (let i = 0; i < 100 && !peek(store, 1); i++) await sleep(5);
    // The request at 0.003 s (after the handshake), the SYN 2.001 s later.
    expect(store.models(1)!.exchanges[0].timing.unanswered?.waited).toBe(2.001);
    await views.close();
  });

  it('FileByteViews.loadModels rebuilds from the file exactly what the first pass made, Segments tab and ladder included', async () => {
    const full = await fullStore();
    const store = new TuiStore();
    const views = new FileByteViews(store, TOUR);
    store.rebuildWith((id, row) => views.loadModels(id, row, { nodeVerdict: NODE_VERDICT }), { budget: 0, dropOpen: false });
    await analyse(TOUR, { nodeVerdict: NODE_VERDICT }, store, views.log);
    expect(keptIds(store)).toEqual([]);
    expect(views.segments(4, null, 80)).toEqual(['{gray-fg}(reading connection 4 again from the file…){/gray-fg}']);
    // One at a time, as a user selects them: with a budget of 0 the one loaded last is the one kept.
    for (const c of store.connections) {
      expect(store.models(c.id)).toBeNull();
      for (let i = 0; i < 100 && !peek(store, c.id); i++) await sleep(5);
      expect({ id: c.id, models: JSON.stringify(store.models(c.id)) }).toEqual({ id: c.id, models: JSON.stringify(full.models(c.id)) });
    }
    expect(keptIds(store)).toEqual([10]);
    store.models(4);
    for (let i = 0; i < 100 && !peek(store, 4); i++) await sleep(5);
    // The exchange 2 of connection 4: request in frame 38, response in 39 (as with every model kept).
    const lines = views.segments(4, store.models(4)!.exchanges[1], 80);
    expect(lines.slice(1).map((l) => Number(l.split(' ')[0]))).toEqual([38, 39]);
    await views.close();
  });
});
