/**
 * The stage's hold: a connection's records wait for its verdict and then go on in order, exchanges
 * before the connection; past the limit they go on at once without a verdict.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionModel, ExchangeModel } from '../../src/model/types.js';
import type { ConnectionRecord } from '../../src/tcp/connection.js';
import { NodeVerdictStage } from '../../src/node-verdict/verdict-stage.js';

const SETTINGS = { maxHeaderSize: null, insecureHTTPParser: false };
const exchange = (index: number) => ({ connection: 1, index, request: null, interim: [], response: null }) as unknown as ExchangeModel;
const connection = { id: 1 } as ConnectionModel;
const record = (midStream: boolean) => ({ id: 1, midStream }) as ConnectionRecord;

function collector() {
  const seen: string[] = [];
  return {
    seen,
    events: {
      connectionOpened: () => seen.push('opened'),
      exchange: (x: ExchangeModel) => seen.push(`exchange ${x.index}`),
      connectionClosed: (c: ConnectionModel) => seen.push(`closed ${c.id}`),
    },
  };
}

describe('NodeVerdictStage', () => {
  it("holds a connection's records until its verdict, then hands them on in order", async () => {
    const { seen, events } = collector();
    const stage = new NodeVerdictStage(SETTINGS, events);
    const model = stage.events();
    stage.tap(record(false))?.chunk({ direction: 'client', offset: 0, bytes: Buffer.from('GET / HTTP/1.1\r\n\r\n'), frame: 4, time: 0 });
    model.exchange(exchange(1));
    model.connectionClosed(connection);
    expect(seen).toEqual([]);
    await stage.drain();
    expect(seen).toEqual(['exchange 1', 'closed 1']);
  });

  it('past the limit, the held exchanges and all later records go on at once, without a verdict', async () => {
    const { seen, events } = collector();
    const stage = new NodeVerdictStage(SETTINGS, events, 2);
    const model = stage.events();
    stage.tap(record(false));
    const xs = [1, 2, 3, 4].map(exchange);
    model.exchange(xs[0]);
    model.exchange(xs[1]);
    expect(seen).toEqual([]);
    model.exchange(xs[2]);
    expect(seen).toEqual(['exchange 1', 'exchange 2', 'exchange 3']);
    model.exchange(xs[3]);
    model.connectionClosed(connection);
    expect(seen).toEqual(['exchange 1', 'exchange 2', 'exchange 3', 'exchange 4', 'closed 1']);
    await stage.drain();
    expect(seen).toHaveLength(5);
  });

  it('a connection picked up mid-stream is not replayed: its records pass straight on', async () => {
    const { seen, events } = collector();
    const stage = new NodeVerdictStage(SETTINGS, events);
    expect(stage.tap(record(true))).toBeUndefined();
    stage.events().exchange(exchange(1));
    expect(seen).toEqual(['exchange 1']);
    await stage.drain();
  });
});
