/**
 * reuse.ts: Keep-Alive parsing and header helpers (unit), and the reuse/timing annotations with
 * exact numbers from synthetic conversations (frames 1 ms apart, plus explicit wait()s).
 */
import { describe, expect, it } from 'vitest';
import type { Exchange, HeaderField, Message } from '../../src/http/types.js';
import { before, hasConnectionClose, headerValue, headerValues, parseKeepAlive, timing } from '../../src/model/reuse.js';
import type { ConnectionRecord, Teardown } from '../../src/tcp/connection.js';
import type { ExchangeModel } from '../../src/model/types.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { reportJson, type NestedReport } from '../helpers/report-json.js';

const fields = (...pairs: Array<[string, string]>): HeaderField[] => pairs.map(([name, value], i) => ({ name, value, offset: i * 10 }));

describe('parseKeepAlive', () => {
  it.each([
    ['timeout=5', { timeout: 5, max: null }],
    ['timeout=5, max=100', { timeout: 5, max: 100 }],
    ['max=3, timeout=5', { timeout: 5, max: 3 }],
    ['timeout="5", max="100"', { timeout: 5, max: 100 }],
    ['Timeout = 7 ; MAX=2', { timeout: 7, max: 2 }],
    ['max=3', { timeout: null, max: 3 }],
    ['xtimeout=9, timeout=4', { timeout: 4, max: null }],
    ['', { timeout: null, max: null }],
    ['timeout=abc', { timeout: null, max: null }],
  ])('%j → %j', (value, expected) => {
    expect(parseKeepAlive(value)).toEqual(expected);
  });

  it('absent header → null', () => {
    expect(parseKeepAlive(null)).toBeNull();
  });
});

describe('header helpers', () => {
  const headers = fields(['Host', 'a'], ['connection', 'keep-alive, Close'], ['X-Dup', '1'], ['x-dup', '2']);

  it('headerValue: first value, case-insensitive; null when absent', () => {
    expect(headerValue(headers, 'HOST')).toBe('a');
    expect(headerValue(headers, 'x-dup')).toBe('1');
    expect(headerValue(headers, 'keep-alive')).toBeNull();
    expect(headerValue(headers, 'hos')).toBeNull(); // a prefix is not the field
    expect(headerValue(headers, 'hOsT')).toBe('a');
  });

  it('headerValues: every value in order', () => {
    expect(headerValues(headers, 'X-DUP')).toEqual(['1', '2']);
    expect(headerValues(headers, 'nope')).toEqual([]);
  });

  it('hasConnectionClose: the close token in any Connection field, case-insensitive, not a substring', () => {
    const msg = (h: HeaderField[]) => ({ headers: h }) as Message;
    expect(hasConnectionClose(msg(headers))).toBe(true);
    expect(hasConnectionClose(msg(fields(['Connection', 'keep-alive'])))).toBe(false);
    expect(hasConnectionClose(msg(fields(['Connection', 'closed, upgrade'])))).toBe(false);
    expect(hasConnectionClose(msg(fields(['Connection', 'upgrade'], ['Connection', ' close '])))).toBe(true);
    expect(hasConnectionClose(null)).toBe(false);
  });
});

/** report --json nested into connections with their exchanges (test/helpers/report-json.ts). */
const model = (cap: SyntheticCapture): Promise<NestedReport> => reportJson(cap.writeTemp());

/** Seconds since the capture's first frame (frames are 1 ms apart unless a wait() intervenes). */
const rel = (m: NestedReport, t: number | null): number | null => (t === null ? null : t - (m.firstTime as number));

function timings(m: NestedReport, x: ExchangeModel) {
  const t = x.timing;
  return {
    requestStart: rel(m, t.requestStart),
    requestEnd: rel(m, t.requestEnd),
    firstResponseByte: rel(m, t.firstResponseByte),
    responseEnd: rel(m, t.responseEnd),
    ttfb: t.ttfb,
    total: t.total,
  };
}

/** toBeCloseTo for every number of an object (timestamps are µs in pcapng; doubles near 1.7e9 keep ~0.2 µs). */
function expectClose(actual: Record<string, number | null>, expected: Record<string, number | null>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [k, v] of Object.entries(expected)) {
    if (v === null) expect(actual[k], k).toBeNull();
    else expect(actual[k], k).toBeCloseTo(v, 6);
  }
}

describe('reuse and timing from a synthetic keep-alive connection', () => {
  it('idleBefore, ttfb and total are exact', async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation({ clientPort: 40001 })
      .handshake() // frames 1-3 at 0, 1, 2 ms
      .send('client', 'GET /1 HTTP/1.1\r\nHost: x\r\n\r\n') // 4 @ 3 ms
      .wait(0.02)
      .send('server', 'HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: 2\r\n\r\nok') // 5 @ 24 ms
      .ack('client') // 6 @ 25 ms
      .wait(2)
      .send('client', 'GET /2 HTTP/1.1\r\nHost: x\r\n\r\n') // 7 @ 2.026
      .wait(0.1)
      .send('server', 'HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=99\r\nContent-Length: 4\r\n\r\n') // 8 @ 2.127
      .wait(0.05)
      .send('server', 'body') // 9 @ 2.178
      .fin('client') // 10
      .fin('server') // 11
      .ack('client'); // 12
    const m = await model(cap);
    expect(m.frames).toBe(12);
    const [x1, x2] = m.connections[0].exchanges;
    expect(x1.reuse).toEqual({ index: 1, reused: false, idleBefore: null, keepAlive: { timeout: 5, max: 100 }, connectionClose: { request: false, response: false } });
    expectClose(timings(m, x1), { requestStart: 0.003, requestEnd: 0.003, firstResponseByte: 0.024, responseEnd: 0.024, ttfb: 0.021, total: 0.021 });
    expect(x2.reuse).toMatchObject({ index: 2, reused: true, keepAlive: { timeout: 5, max: 99 } });
    expect(x2.reuse.idleBefore).toBeCloseTo(2.026 - 0.024, 6);
    expectClose(timings(m, x2), { requestStart: 2.026, requestEnd: 2.026, firstResponseByte: 2.127, responseEnd: 2.178, ttfb: 0.101, total: 0.152 });
  });

  it('a request body sent after a wait: requestEnd is its last byte, TTFB counts from there', async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation()
      .handshake()
      .send('client', 'POST /u HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n') // 4 @ 3 ms
      .wait(0.3)
      .send('client', 'abc') // 5 @ 304 ms
      .wait(0.01)
      .send('server', 'HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n') // 6 @ 315 ms
      .fin('client')
      .fin('server');
    const m = await model(cap);
    expectClose(timings(m, m.connections[0].exchanges[0]), {
      requestStart: 0.003,
      requestEnd: 0.304,
      firstResponseByte: 0.315,
      responseEnd: 0.315,
      ttfb: 0.011,
      total: 0.312,
    });
  });

  it('Expect: 100-continue: the 100 arrives before the body, TTFB counts from the end of the header section (never negative)', async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation()
      .handshake()
      .send('client', 'PUT /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n') // 4 @ 3 ms
      .wait(0.01)
      .send('server', 'HTTP/1.1 100 Continue\r\n\r\n') // 5 @ 14 ms
      .send('client', 'data') // 6 @ 15 ms
      .wait(0.02)
      .send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n') // 7 @ 36 ms
      .fin('client')
      .fin('server');
    const m = await model(cap);
    const x = m.connections[0].exchanges[0];
    expect(x.interim.map((i) => [i.status, i.frames])).toEqual([[100, [5]]]);
    expect(x.request?.frames).toEqual([4, 6]);
    expectClose(timings(m, x), { requestStart: 0.003, requestEnd: 0.015, firstResponseByte: 0.014, responseEnd: 0.036, ttfb: 0.011, total: 0.033 });
  });

  it('103 Early Hints: the first response byte is the interim response', async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation()
      .handshake()
      .send('client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n') // 4 @ 3 ms
      .send('server', 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n') // 5 @ 4 ms
      .wait(0.2)
      .send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx') // 6 @ 205 ms
      .fin('client')
      .fin('server');
    const m = await model(cap);
    expectClose(timings(m, m.connections[0].exchanges[0]), {
      requestStart: 0.003,
      requestEnd: 0.003,
      firstResponseByte: 0.004,
      responseEnd: 0.205,
      ttfb: 0.001,
      total: 0.202,
    });
  });

  it('pipelined: the second request waited for nothing (idleBefore null); Connection: close on both sides', async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation()
      .handshake()
      .send('client', 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n') // 4
      .send('client', 'GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n') // 5
      .send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na') // 6
      .send('server', 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nb') // 7
      .fin('server')
      .fin('client');
    const m = await model(cap);
    const [a, b] = m.connections[0].exchanges;
    expect([a.pipelined, b.pipelined]).toEqual([false, true]);
    expect(b.reuse).toEqual({ index: 2, reused: true, idleBefore: null, keepAlive: null, connectionClose: { request: true, response: true } });
    expectClose(timings(m, b), { requestStart: 0.004, requestEnd: 0.004, firstResponseByte: 0.006, responseEnd: 0.006, ttfb: 0.002, total: 0.002 });
  });

  it('no response: timing keeps the request times, the rest is null', async () => {
    const cap = new SyntheticCapture();
    cap.conversation().handshake().send('client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n').wait(1).fin('client').fin('server');
    const m = await model(cap);
    const x = m.connections[0].exchanges[0];
    expect(x.response).toBeNull();
    expect(x.reuse.keepAlive).toBeNull();
    expectClose(timings(m, x), { requestStart: 0.003, requestEnd: 0.003, firstResponseByte: null, responseEnd: null, ttfb: null, total: null });
    // The request (frame 4, 3 ms) waited until the client's FIN (frame 5, 1.004 s).
    expect(x.timing.unanswered).toMatchObject({ endedBy: 'client-fin' });
    expect(rel(m, x.timing.unanswered!.since)).toBeCloseTo(0.003, 6);
    expect(rel(m, x.timing.unanswered!.until)).toBeCloseTo(1.004, 6);
    expect(x.timing.unanswered!.waited).toBeCloseTo(1.001, 6);
  });
});

// ------------------------------------------------------------------ before() and timing(), unit

const at = (frame: number, time: number) => ({ frame, time });
const OPEN: Teardown = { kind: 'open', closedFirstBy: null, clientFin: null, serverFin: null, clientRst: null, serverRst: null, halfClosed: false };
const record = (teardown: Partial<Teardown>) => ({ teardown: { ...OPEN, ...teardown } }) as ConnectionRecord;
/** A request from `direction` whose first byte is frame `frame` at `time`, complete at `end`. */
const request = (frame: number, time: number, end = time, direction: 'client' | 'server' = 'client') =>
  ({ kind: 'request', direction, firstFrame: frame, lastFrame: frame, times: { start: time, headersEnd: end, end }, headers: [] }) as unknown as Message;
const exchange = (req: Message | null, res: Message | null = null): Exchange => ({ index: 2, request: req, interim: [], response: res, pipelined: false, lost: null });

describe('before(): what had happened when the request left', () => {
  it('a server FIN in an earlier frame: the reuse race, with the delay since the FIN', () => {
    const b = before(record({ serverFin: at(8, 10.0), serverRst: at(11, 10.2) }), exchange(request(10, 10.1)), null);
    expect(b.serverFin).toEqual(at(8, 10.0));
    // The RST came after the request: not "before" it.
    expect(b.serverRst).toBeNull();
    expect(b.requestAfterServerFin).toBeCloseTo(0.1, 9);
    expect(b.connectionClose).toBeNull();
  });

  it('a FIN after the request, or none: nothing before it; an earlier Connection: close response is named', () => {
    expect(before(record({ serverFin: at(12, 11) }), exchange(request(10, 10)), { exchange: 1, frame: 6 })).toEqual({
      serverFin: null,
      serverRst: null,
      requestAfterServerFin: null,
      connectionClose: { exchange: 1, frame: 6 },
    });
  });

  it('roles reversed (a mid-stream pickup guessed the request side as server): the peer is the client side', () => {
    const b = before(record({ clientFin: at(3, 1.0), serverFin: at(2, 0.5) }), exchange(request(5, 1.5, 1.5, 'server')), null);
    expect(b.serverFin).toEqual(at(3, 1.0));
    expect(b.requestAfterServerFin).toBeCloseTo(0.5, 9);
  });
});

describe('timing().unanswered', () => {
  const req = request(4, 1.0);
  const model = { times: { start: 1.0, headersEnd: 1.0, lastByte: 1.0, end: 1.0 } } as never;

  it('a complete request without a response byte waited until the close that ended it', () => {
    const t = timing(exchange(req), model, null, { frame: 8, time: 2.5, endedBy: 'client-fin' }, 9);
    expect(t.unanswered).toEqual({ since: 1.0, until: 2.5, waited: 1.5, endedBy: 'client-fin', frame: 8 });
    expect(t).toMatchObject({ firstResponseByte: null, responseEnd: null, ttfb: null, total: null });
  });

  it('no close: until the end of the capture', () => {
    expect(timing(exchange(req), model, null, null, 4).unanswered).toEqual({ since: 1.0, until: 4, waited: 3, endedBy: 'capture-end', frame: null });
  });

  it('a close before the request ended does not end its wait', () => {
    expect(timing(exchange(req), model, null, { frame: 3, time: 0.5, endedBy: 'server-fin' }, 2).unanswered).toEqual({ since: 1.0, until: 2, waited: 1, endedBy: 'capture-end', frame: null });
  });

  it('an answered request, or one that never completed, has no unanswered wait', () => {
    const res = { kind: 'response', times: { start: 1.2, headersEnd: 1.2, end: 1.2 } } as unknown as Message;
    const resModel = { times: { start: 1.2, headersEnd: 1.2, lastByte: 1.2, end: 1.2 } } as never;
    expect(timing(exchange(req, res), model, resModel, null, 3).unanswered).toBeNull();
    const incomplete = { times: { start: 1.0, headersEnd: null, lastByte: 1.0, end: null } } as never;
    expect(timing(exchange(req), incomplete, null, null, 3).unanswered).toBeNull();
  });
});
