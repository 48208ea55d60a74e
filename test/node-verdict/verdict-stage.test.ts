/**
 * The stage reads each chunk with Node's parser before the model does, so an exchange the model
 * hands on carries its verdict at once: nothing waits for the connection to close.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionModel, ExchangeModel, MessageModel } from '../../src/model/types.js';
import type { ConnectionRecord } from '../../src/tcp/connection.js';
import type { StreamChunk, StreamConsumer } from '../../src/tcp/stream.js';
import { NodeVerdictStage } from '../../src/node-verdict/verdict-stage.js';
import { NODE_DEFAULTS } from '../../src/node-verdict/types.js';

const GET = 'GET /a HTTP/1.1\r\nHost: a\r\n\r\n';
const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

/** The fields of a wirelens message attach.ts reads. */
function message(kind: 'request' | 'response', headEnd: number, bodyEnd: number, fields: Partial<MessageModel>): MessageModel {
  return { kind, headers: [{}], complete: true, offsets: { headStart: 0, headEnd, bodyEnd }, framing: null, method: null, target: null, status: null, node: null, ...fields } as unknown as MessageModel;
}

const exchange = (): ExchangeModel =>
  ({
    connection: 1,
    index: 1,
    request: message('request', GET.length, GET.length, { method: 'GET', target: '/a' }),
    interim: [],
    response: message('response', OK.length - 2, OK.length, { status: 200 }),
  }) as unknown as ExchangeModel;

const chunk = (direction: 'client' | 'server', text: string, frame: number): StreamChunk => ({ direction, offset: 0, bytes: Buffer.from(text), frame, time: 0 });

function run(midStream: boolean): { seen: ExchangeModel[]; consumer: StreamConsumer; model: StreamConsumer } {
  const seen: ExchangeModel[] = [];
  const stage = new NodeVerdictStage(NODE_DEFAULTS, {
    connectionOpened: () => {},
    exchange: (x) => seen.push(x),
    connectionClosed: (_c: ConnectionModel) => {},
  });
  const events = stage.events();
  // The model: it completes the exchange when the response's last byte arrives.
  const model: StreamConsumer = {
    chunk: (c) => {
      if (c.direction === 'server') events.exchange(exchange());
    },
    gap: () => {},
    close: () => {},
  };
  const consumer = stage.consumer({ id: 1, midStream } as ConnectionRecord, model);
  return { seen, consumer, model };
}

describe('NodeVerdictStage', () => {
  it("an exchange carries Node's verdict in its own event, on a connection that never closes", () => {
    const { seen, consumer } = run(false);
    consumer.chunk(chunk('client', GET, 4));
    expect(seen).toEqual([]);
    consumer.chunk(chunk('server', OK, 5));
    expect(seen).toHaveLength(1);
    expect(seen[0].request?.node).toMatchObject({ accepted: true, code: null, method: 'GET', url: '/a', headers: 1, bodyBytes: 0, differs: [] });
    expect(seen[0].response?.node).toMatchObject({ accepted: true, code: null, status: 200, headers: 1, bodyBytes: 2, differs: [] });
  });

  it('a connection picked up mid-stream is not read: the model gets the bytes directly, node stays null', () => {
    const { seen, consumer, model } = run(true);
    expect(consumer).toBe(model);
    consumer.chunk(chunk('server', OK, 5));
    expect([seen[0].request?.node, seen[0].response?.node]).toEqual([null, null]);
  });
});
