/**
 * reuse.ts: Keep-Alive parsing and header helpers (unit), and the reuse/timing annotations with
 * exact numbers from synthetic conversations (frames 1 ms apart, plus explicit wait()s).
 */
import { describe, expect, it } from 'vitest';
import type { HeaderField, Message } from '../../src/http/types.js';
import { hasConnectionClose, headerValue, headerValues, parseKeepAlive } from '../../src/model/reuse.js';
import type { CaptureModel, ExchangeModel } from '../../src/model/types.js';
import { runCli } from '../helpers/cli.js';
import { SyntheticCapture } from '../helpers/conversation.js';

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

async function model(cap: SyntheticCapture): Promise<CaptureModel> {
  const r = await runCli(['report', cap.writeTemp(), '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as CaptureModel;
}

/** Seconds since the capture's first frame (frames are 1 ms apart unless a wait() intervenes). */
const rel = (m: CaptureModel, t: number | null): number | null => (t === null ? null : t - (m.firstTime as number));

function timings(m: CaptureModel, x: ExchangeModel) {
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
  });
});
