import { describe, expect, it } from 'vitest';
import type { Segment } from '../../src/decode/segment.js';
import { HttpConnectionAnalyzer } from '../../src/http/connection.js';
import { TcpTracker } from '../../src/tcp/tracker.js';
import { Flow } from '../tcp/segments.js';
import { analyze, bytes, summary, text, timeOf, type AnalyzerRun, type ConnEvent } from './helpers.js';

const ok = (body = 'ok') => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;

function devs(list: Array<{ code: string; offset: number; frames: number[]; length?: number }>) {
  return list.map((d) => ({ code: d.code, offset: d.offset, frames: d.frames, ...(d.length !== undefined ? { length: d.length } : {}) }));
}

/** Mid-stream: the client's body pieces (one frame each), the response to that upload, then GET /next and its answer. */
function uploadTail(pieces: number[]): ConnEvent[] {
  const n = pieces.length;
  return [
    ...pieces.map((length, i): ConnEvent => ({ dir: 'client', frame: i + 1, data: 'u'.repeat(length) })),
    { dir: 'server', frame: n + 1, data: ok() },
    { dir: 'client', frame: n + 2, data: get('/next') },
    { dir: 'server', frame: n + 3, data: ok('x') },
  ];
}

/** 80 body bytes of a download in three frames before the client says anything. */
const DOWNLOAD_TAIL: ConnEvent[] = [
  { dir: 'server', frame: 1, data: 'q'.repeat(40) },
  { dir: 'server', frame: 2, data: 'q'.repeat(30) },
  { dir: 'server', frame: 3, data: 'q'.repeat(10) },
];

interface Scenario {
  name: string;
  events: ConnEvent[];
  end?: 'close' | 'capture-end' | null;
  options?: ConstructorParameters<typeof HttpConnectionAnalyzer>[0];
  check(run: AnalyzerRun): void;
}

const scenarios: Scenario[] = [
  {
    name: 'keep-alive: three exchanges in turn',
    events: [
      { dir: 'client', frame: 4, data: get('/1') },
      { dir: 'server', frame: 6, data: ok() },
      { dir: 'client', frame: 8, data: get('/2') },
      { dir: 'server', frame: 10, data: ok() },
      { dir: 'client', frame: 12, data: get('/3') },
      { dir: 'server', frame: 14, data: ok() },
    ],
    check({ result, emitted }) {
      expect(result.protocol).toBe('http');
      expect(result.exchanges.map(summary)).toEqual(['1 GET /1 [] 200', '2 GET /2 [] 200', '3 GET /3 [] 200']);
      expect(emitted.map((e) => e.index)).toEqual([1, 2, 3]);
      const [e1, e2] = result.exchanges;
      expect(e1.request?.headerFrames).toEqual([4]);
      expect(e1.response?.headerFrames).toEqual([6]);
      expect(e1.response?.bodyFrames).toEqual([6]);
      expect(e2.request?.offsets.headStart).toBe(get('/1').length);
      expect(e2.response?.offsets.headStart).toBe(ok().length);
      expect(result.deviations).toEqual([]);
      expect(result.end).toBe('close');
    },
  },
  {
    name: 'pipelining: three requests, then three responses',
    events: [
      { dir: 'client', frame: 4, data: get('/1') + get('/2') + get('/3') },
      { dir: 'server', frame: 6, data: ok('a') },
      { dir: 'server', frame: 7, data: ok('b') + ok('c') },
    ],
    check({ result, emitted }) {
      expect(result.exchanges.map(summary)).toEqual(['1 GET /1 [] 200', '2 GET /2 [] 200 pipelined', '3 GET /3 [] 200 pipelined']);
      expect(result.exchanges.map((e) => text(e.response?.bodyPrefix))).toEqual(['a', 'b', 'c']);
      expect(emitted.map((e) => e.index)).toEqual([1, 2, 3]);
    },
  },
  {
    name: 'Expect: 100-continue — interim 100, then the body, then 200',
    events: [
      { dir: 'client', frame: 4, data: 'POST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n' },
      { dir: 'server', frame: 5, data: 'HTTP/1.1 100 Continue\r\n\r\n' },
      { dir: 'client', frame: 6, data: 'hello' },
      { dir: 'server', frame: 8, data: 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' },
    ],
    check({ result }) {
      expect(result.exchanges.map(summary)).toEqual(['1 POST /up [100] 200']);
      const e = result.exchanges[0];
      expect(e.request?.headerFrames).toEqual([4]);
      expect(e.request?.bodyFrames).toEqual([6]);
      expect(e.request?.complete).toBe(true);
      expect(e.interim[0].times.start).toBe(timeOf(5));
      expect(e.response?.offsets.headStart).toBe(25);
    },
  },
  {
    name: '103 Early Hints before the 200',
    events: [
      { dir: 'client', frame: 4, data: get('/') },
      { dir: 'server', frame: 5, data: 'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n' },
      { dir: 'server', frame: 6, data: ok() },
    ],
    check({ result }) {
      expect(result.exchanges.map(summary)).toEqual(['1 GET / [103] 200']);
      expect(result.exchanges[0].interim[0].headers).toEqual([{ name: 'Link', value: '</style.css>; rel=preload', offset: 26 }]);
    },
  },
  {
    name: 'unmatched response: its own exchange with request null',
    events: [
      { dir: 'client', frame: 4, data: get('/') },
      { dir: 'server', frame: 5, data: ok() },
      { dir: 'server', frame: 6, data: ok('again') },
    ],
    check({ result }) {
      expect(result.exchanges.map(summary)).toEqual(['1 GET / [] 200', '2 - [] 200']);
      expect(result.exchanges[1].request).toBeNull();
    },
  },
  {
    name: 'request with no response at close',
    events: [{ dir: 'client', frame: 4, data: get('/slow') }],
    check({ result, emitted }) {
      expect(result.exchanges.map(summary)).toEqual(['1 GET /slow [] -']);
      expect(result.exchanges[0].request?.complete).toBe(true);
      expect(emitted).toHaveLength(1);
    },
  },
  {
    name: 'response truncated by close',
    events: [
      { dir: 'client', frame: 4, data: get('/') },
      { dir: 'server', frame: 5, data: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345' },
    ],
    check({ result }) {
      const r = result.exchanges[0].response;
      expect(r?.complete).toBe(false);
      expect(devs(r?.deviations ?? [])).toEqual([{ code: 'truncated-by-close', offset: 44, frames: [5], length: 5 }]);
    },
  },
  {
    name: 'response truncated by the end of the capture',
    end: 'capture-end',
    events: [
      { dir: 'client', frame: 4, data: get('/') },
      { dir: 'server', frame: 5, data: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345' },
    ],
    check({ result }) {
      expect(devs(result.exchanges[0].response?.deviations ?? [])).toEqual([{ code: 'truncated-by-capture-end', offset: 44, frames: [5], length: 5 }]);
      expect(result.end).toBe('capture-end');
    },
  },
  {
    name: 'Content-Length 3, body 1234: excess 1 byte; the next exchange is still parsed',
    events: [
      { dir: 'client', frame: 4, data: get('/a') },
      { dir: 'server', frame: 5, data: 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n1234' },
      { dir: 'client', frame: 6, data: get('/b') },
      { dir: 'server', frame: 7, data: ok() },
    ],
    check({ result, deviations }) {
      expect(result.exchanges.map(summary)).toEqual(['1 GET /a [] 200', '2 GET /b [] 200']);
      expect(result.exchanges[0].response?.framing).toEqual({ kind: 'content-length', reason: 'content-length', declared: 3, actualBodyBytes: 3, missingBytes: 0 });
      expect(result.deviations).toEqual([
        { code: 'excess-after-body', offset: 41, length: 1, frames: [5], direction: 'server', afterMessage: 1, exchange: 1, message: expect.any(String) },
      ]);
      expect(deviations).toEqual(result.deviations);
      expect(result.exchanges[1].response?.offsets.headStart).toBe(42);
    },
  },
  {
    name: 'Content-Length 3, body 12, then close: truncated (actual 2 of 3)',
    events: [
      { dir: 'client', frame: 4, data: get('/') },
      { dir: 'server', frame: 5, data: 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n12' },
    ],
    check({ result }) {
      const r = result.exchanges[0].response;
      expect(r?.framing).toEqual({ kind: 'content-length', reason: 'content-length', declared: 3, actualBodyBytes: 2, missingBytes: 0 });
      expect(devs(r?.deviations ?? [])).toEqual([{ code: 'truncated-by-close', offset: 40, frames: [5], length: 1 }]);
    },
  },
  {
    name: 'two Host headers kept in order',
    events: [
      { dir: 'client', frame: 4, data: 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n' },
      { dir: 'server', frame: 5, data: ok() },
    ],
    check({ result }) {
      expect(result.exchanges[0].request?.headers.map((h) => `${h.name}: ${h.value}`)).toEqual(['Host: a', 'Host: b']);
    },
  },
  {
    name: 'HTTP/1.0 close-delimited response',
    events: [
      { dir: 'client', frame: 4, data: 'GET / HTTP/1.0\r\n\r\n' },
      { dir: 'server', frame: 5, data: 'HTTP/1.0 200 OK\r\n\r\nbody ' },
      { dir: 'server', frame: 6, data: 'ends at close' },
    ],
    check({ result }) {
      const r = result.exchanges[0].response;
      expect(r?.framing).toEqual({ kind: 'close', reason: 'response-without-length', actualBodyBytes: 18, missingBytes: 0 });
      expect(r?.complete).toBe(true);
      expect(r?.bodyFrames).toEqual([5, 6]);
      expect(text(r?.bodyPrefix)).toBe('body ends at close');
    },
  },
  {
    name: 'resync after garbage: skipped byte count, then the response pairs',
    events: [
      { dir: 'client', frame: 4, data: get('/') },
      { dir: 'server', frame: 5, data: '\x00\x00junk' },
      { dir: 'server', frame: 6, data: ok() },
    ],
    check({ result }) {
      expect(devs(result.deviations)).toEqual([{ code: 'skipped-bytes', offset: 0, frames: [5], length: 6 }]);
      expect(result.deviations[0].exchange).toBeNull();
      expect(result.exchanges.map(summary)).toEqual(['1 GET / [] 200']);
    },
  },
  {
    name: 'CONNECT 200 → tunnel: bytes after it are counted, not parsed',
    events: [
      { dir: 'client', frame: 4, data: 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n\x16\x03\x01\x00\x02hi' },
      { dir: 'server', frame: 5, data: 'HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x03\x00\x01!' },
      { dir: 'client', frame: 6, data: 'GET / HTTP/1.1\r\n\r\n' },
      { dir: 'server', frame: 7, data: 'HTTP/1.1 200 OK\r\n\r\n' },
    ],
    check({ result }) {
      expect(result.exchanges.map(summary)).toEqual(['1 CONNECT example.com:443 [] 200']);
      expect(result.exchanges[0].response?.framing?.kind).toBe('tunnel');
      expect(result.protocolSwitch).toEqual({
        kind: 'connect',
        exchange: 1,
        upgradeTo: null,
        frame: 5,
        time: timeOf(5),
        offsets: { client: 59, server: 39 },
      });
      expect(result.uninspectedBytes).toEqual({ client: 7 + 18, server: 6 + 19 });
      expect(result.deviations).toEqual([]);
    },
  },
  {
    name: '101 upgrade → opaque in both directions',
    events: [
      { dir: 'client', frame: 4, data: 'GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n' },
      { dir: 'server', frame: 5, data: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n' },
      { dir: 'client', frame: 6, data: '\x81\x85abcdHELLO' },
      { dir: 'server', frame: 7, data: '\x81\x05HELLO' },
    ],
    check({ result }) {
      expect(result.exchanges.map(summary)).toEqual(['1 GET /chat [] 101']);
      expect(result.protocolSwitch?.kind).toBe('upgrade');
      expect(result.protocolSwitch?.upgradeTo).toBe('websocket');
      expect(result.protocolSwitch?.offsets).toEqual({ client: 72, server: 77 });
      expect(result.uninspectedBytes).toEqual({ client: 11, server: 7 });
    },
  },
  {
    name: 'upgrade declined: the bytes held after the request are parsed',
    events: [
      { dir: 'client', frame: 4, data: 'GET /chat HTTP/1.1\r\nUpgrade: h2c\r\n\r\n' + get('/next') },
      { dir: 'server', frame: 5, data: ok() + ok() },
    ],
    check({ result }) {
      expect(result.exchanges.map(summary)).toEqual(['1 GET /chat [] 200', '2 GET /next [] 200 pipelined']);
      expect(result.protocolSwitch).toBeNull();
    },
  },
  {
    name: 'CONNECT refused with 407: parsing continues',
    events: [
      { dir: 'client', frame: 4, data: 'CONNECT a:443 HTTP/1.1\r\n\r\n' },
      { dir: 'server', frame: 5, data: 'HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n' },
      { dir: 'client', frame: 6, data: 'CONNECT a:443 HTTP/1.1\r\nProxy-Authorization: x\r\n\r\n' },
      { dir: 'server', frame: 7, data: 'HTTP/1.1 200 OK\r\n\r\n' },
    ],
    check({ result }) {
      expect(result.exchanges.map(summary)).toEqual(['1 CONNECT a:443 [] 407', '2 CONNECT a:443 [] 200']);
      expect(result.protocolSwitch?.exchange).toBe(2);
    },
  },
  {
    name: '408 while the request header section is incomplete',
    events: [
      { dir: 'client', frame: 4, data: 'GET / HTTP/1.1\r\nHost: x\r\n' },
      { dir: 'server', frame: 9, data: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n' },
    ],
    check({ result, emitted }) {
      expect(result.exchanges.map(summary)).toEqual(['1 GET / [] 408']);
      const req = result.exchanges[0].request;
      expect(req?.complete).toBe(false);
      expect(devs(req?.deviations ?? [])).toEqual([{ code: 'truncated-by-close', offset: 25, frames: [4] }]);
      expect(result.exchanges[0].response?.framing?.kind).toBe('close');
      expect(emitted).toHaveLength(1);
    },
  },
  {
    name: 'garbage request line answered by 400',
    events: [
      { dir: 'client', frame: 4, data: 'GARBAGE\r\n\r\n' },
      { dir: 'server', frame: 5, data: 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n' },
    ],
    check({ result }) {
      expect(result.protocol).toBe('http');
      const e = result.exchanges[0];
      expect(e.request?.deviations.map((d) => d.code)).toEqual(['invalid-start-line']);
      expect(e.response?.status).toBe(400);
    },
  },
  {
    name: 'pending queue overflow',
    options: { maxPending: 2 },
    events: [
      { dir: 'client', frame: 4, data: get('/1') + get('/2') + get('/3') },
      { dir: 'server', frame: 5, data: ok() + ok() + ok() },
    ],
    check({ result }) {
      expect(result.exchanges.map(summary)).toEqual(['1 GET /1 [] 200', '2 GET /2 [] 200 pipelined', '3 GET /3 [] - pipelined', '4 - [] 200']);
      expect(devs(result.exchanges[2].request?.deviations ?? [])).toEqual([{ code: 'pending-overflow', offset: 56, frames: [4] }]);
    },
  },
  {
    name: 'roles reversed (mid-stream pickup): the client direction carries responses',
    events: [
      { dir: 'client', frame: 4, data: ok() },
      { dir: 'server', frame: 5, data: get('/') },
      { dir: 'client', frame: 6, data: ok('x') },
    ],
    check({ result }) {
      expect(result.requestDirection).toBe('server');
      expect(result.exchanges.map(summary)).toEqual(['1 - [] 200', '2 GET / [] 200']);
      expect(result.exchanges[1].request?.direction).toBe('server');
    },
  },
  {
    name: 'mid-stream, a download under way (80 body bytes before the client speaks, buffer 64): HTTP from the next request, the rest skipped',
    options: { midStream: true, bufferLimit: 64 },
    events: [...DOWNLOAD_TAIL, { dir: 'client', frame: 4, data: get('/next') }, { dir: 'server', frame: 5, data: ok() }],
    check({ result, deviations }) {
      expect(result.protocol).toBe('http');
      expect(result.exchanges.map(summary)).toEqual(['1 GET /next [] 200']);
      expect(result.exchanges[0].response?.offsets.headStart).toBe(80);
      expect(devs(deviations)).toEqual([{ code: 'skipped-bytes', offset: 0, frames: [1, 2, 3], length: 80 }]);
      expect(result.uninspectedBytes).toEqual({ client: 0, server: 0 });
    },
  },
  {
    name: 'mid-stream, an upload under way (80 body bytes from the client, buffer 64): its response has no request, the next GET is parsed',
    options: { midStream: true, bufferLimit: 64 },
    events: uploadTail([40, 30, 10]),
    check({ result, deviations }) {
      expect(result.protocol).toBe('http');
      expect(result.exchanges.map(summary)).toEqual(['1 - [] 200', '2 GET /next [] 200']);
      expect(result.exchanges[1].request?.offsets.headStart).toBe(80);
      expect(devs(deviations)).toEqual([{ code: 'skipped-bytes', offset: 0, frames: [1, 2, 3], length: 80 }]);
    },
  },
  {
    name: 'mid-stream, the tail of an upload (30 bytes, under the buffer) then its response: the tail is skipped, not read as a request line',
    options: { midStream: true, bufferLimit: 64 },
    events: uploadTail([30]),
    check({ result, deviations }) {
      expect(result.protocol).toBe('http');
      expect(result.exchanges.map(summary)).toEqual(['1 - [] 200', '2 GET /next [] 200']);
      expect(devs(deviations)).toEqual([{ code: 'skipped-bytes', offset: 0, frames: [1], length: 30 }]);
    },
  },
  {
    name: 'the same bytes on a connection with its handshake: a server that talks first is not HTTP',
    options: { bufferLimit: 64 },
    events: [...DOWNLOAD_TAIL, { dir: 'client', frame: 4, data: get('/next') }, { dir: 'server', frame: 5, data: ok() }],
    check({ result }) {
      expect(result.protocol).toBe('unknown');
      expect(result.uninspectedBytes).toEqual({ client: get('/next').length, server: 80 + ok().length });
    },
  },
  {
    name: 'mid-stream, the client never speaks: unknown, every server byte counted as uninspected',
    options: { midStream: true, bufferLimit: 64 },
    end: 'capture-end',
    events: DOWNLOAD_TAIL,
    check({ result }) {
      expect(result.protocol).toBe('unknown');
      expect(result.uninspectedBytes).toEqual({ client: 0, server: 80 });
    },
  },
  {
    name: 'TLS is labelled and counted, not parsed',
    events: [
      { dir: 'client', frame: 4, data: '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03' },
      { dir: 'server', frame: 5, data: '\x16\x03\x03\x00\x7a\x02' },
    ],
    check({ result }) {
      expect(result.protocol).toBe('tls');
      expect(result.exchanges).toEqual([]);
      expect(result.uninspectedBytes).toEqual({ client: 11, server: 6 });
    },
  },
  {
    name: 'HTTP/2 prior knowledge is labelled h2',
    events: [{ dir: 'client', frame: 4, data: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00' }],
    check({ result }) {
      expect(result.protocol).toBe('h2');
      expect(result.uninspectedBytes).toEqual({ client: 33, server: 0 });
    },
  },
  {
    name: 'a gap inside a response body is bridged and recorded',
    events: [
      { dir: 'client', frame: 4, data: get('/') },
      { dir: 'server', frame: 5, data: 'HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nab' },
      { dir: 'server', frame: 7, gap: 2 },
      { dir: 'server', frame: 7, data: 'ef' },
    ],
    check({ result }) {
      const r = result.exchanges[0].response;
      expect(r?.complete).toBe(true);
      expect(devs(r?.deviations ?? [])).toEqual([{ code: 'gap-in-message', offset: 40, frames: [7], length: 2 }]);
    },
  },
];

describe('HttpConnectionAnalyzer scenarios', () => {
  for (const s of scenarios) {
    it(s.name, () => {
      s.check(analyze(s.events, s.end ?? 'close', s.options));
    });
  }
});

describe('HttpConnectionAnalyzer: results do not depend on chunking', () => {
  for (const s of scenarios) {
    it(`${s.name} — every piece size`, () => {
      const whole = analyze(s.events, s.end ?? 'close', s.options);
      const longest = Math.max(...s.events.map((e) => ('data' in e ? e.data.length : 0)));
      for (let size = 1; size < longest; size++) {
        const split = analyze(s.events, s.end ?? 'close', s.options, size);
        expect(split.result).toEqual(whole.result);
        expect(split.emitted.map((e) => e.index)).toEqual(whole.emitted.map((e) => e.index));
      }
    });
  }
});

describe('HttpConnectionAnalyzer driven by TcpTracker', () => {
  const cut = 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345';

  function run(...build: Array<(f: Flow) => Segment[]>) {
    const analyzers: HttpConnectionAnalyzer[] = [];
    const tracker = new TcpTracker({
      onConnection: () => {
        const a = new HttpConnectionAnalyzer();
        analyzers.push(a);
        return a;
      },
    });
    let frame = 0;
    build.forEach((segments, i) => {
      for (const seg of segments(new Flow({ ip: '10.0.0.1', port: 50000 + i }))) {
        seg.frame = ++frame;
        seg.time = timeOf(frame);
        tracker.push(seg);
      }
    });
    tracker.finish();
    return analyzers.map((a) => a.result());
  }

  it('a connection still open at the end of the capture ends as capture-end (endOfCapture), a closed one as close', () => {
    const [open, closed] = run(
      (f) => [...f.handshake(), f.send('client', get('/')), f.send('server', cut)],
      (f) => [...f.handshake(), f.send('client', get('/')), f.send('server', cut), f.fin('server'), f.fin('client')],
    );
    expect(open.end).toBe('capture-end');
    expect(open.exchanges[0].response?.deviations.map((d) => d.code)).toEqual(['truncated-by-capture-end']);
    expect(closed.end).toBe('close');
    expect(closed.exchanges[0].response?.deviations.map((d) => d.code)).toEqual(['truncated-by-close']);
  });

  it('a connection whose 4-tuple a new SYN reuses is closed, not cut by the capture', () => {
    const [replaced, next] = run((f) => {
      const again = new Flow(f.client, f.server, 900000, 7000);
      return [...f.handshake(), f.send('client', get('/')), f.send('server', cut), again.syn(), again.synAck()];
    });
    expect(replaced.end).toBe('close');
    expect(replaced.exchanges[0].response?.deviations.map((d) => d.code)).toEqual(['truncated-by-close']);
    expect(next.end).toBe('capture-end');
  });
});

describe('HttpConnectionAnalyzer API', () => {
  it('emits exchanges as they complete, before the close', () => {
    const seen: number[] = [];
    const a = new HttpConnectionAnalyzer({ onExchange: (e) => seen.push(e.index) });
    a.chunk({ direction: 'client', offset: 0, bytes: bytes(get('/')), frame: 1, time: 1 });
    expect(a.protocol).toBe('http');
    a.chunk({ direction: 'server', offset: 0, bytes: bytes(ok()), frame: 2, time: 2 });
    expect(seen).toEqual([1]);
    a.close(3);
    a.endOfCapture(4); // no-op after close
    expect(a.result().end).toBe('close');
    expect(seen).toEqual([1]);
  });

  it("a close-delimited response is whole only at the server's FIN; a close without it (the client's RST) cut it", () => {
    const closeDelimited = (finished?: { client: boolean; server: boolean }) => {
      const a = new HttpConnectionAnalyzer();
      a.chunk({ direction: 'client', offset: 0, bytes: bytes(get('/')), frame: 1, time: 1 });
      a.chunk({ direction: 'server', offset: 0, bytes: bytes('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'), frame: 2, time: 2 });
      a.close(3, finished);
      const response = a.result().exchanges[0].response!;
      return [response.complete, response.deviations.map((d) => `${d.code}: ${d.message}`)];
    };
    expect(closeDelimited({ client: true, server: true })).toEqual([true, []]);
    expect(closeDelimited({ client: false, server: true })).toEqual([true, []]);
    expect(closeDelimited({ client: true, server: false })).toEqual([false, ["truncated-by-close: the connection closed without the sender's FIN that ends the body"]]);
    // Told nothing (a consumer of the tcp stage's plain close()): as before, the close ends it.
    expect(closeDelimited()).toEqual([true, []]);
  });

  it('a connection without payload has no label', () => {
    const a = new HttpConnectionAnalyzer();
    a.close(1);
    expect(a.result()).toEqual({
      protocol: null,
      requestDirection: 'client',
      exchanges: [],
      deviations: [],
      protocolSwitch: null,
      uninspectedBytes: { client: 0, server: 0 },
      end: 'close',
    });
  });

  it('retainExchanges: false keeps no list but still emits', () => {
    const seen: number[] = [];
    const a = new HttpConnectionAnalyzer({ retainExchanges: false, onExchange: (e) => seen.push(e.index) });
    a.chunk({ direction: 'client', offset: 0, bytes: bytes(get('/')), frame: 1, time: 1 });
    a.chunk({ direction: 'server', offset: 0, bytes: bytes(ok()), frame: 2, time: 2 });
    a.close(3);
    expect(seen).toEqual([1]);
    expect(a.result().exchanges).toEqual([]);
  });
});
