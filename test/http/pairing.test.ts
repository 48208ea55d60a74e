import { describe, expect, it } from 'vitest';
import { Pairing } from '../../src/http/pairing.js';
import type { Message } from '../../src/http/types.js';
import type { StreamGap } from '../../src/tcp/stream.js';
import { analyze, summary, type ConnEvent } from './helpers.js';

const get = (n: number): string => `GET /${n} HTTP/1.1\r\nHost: h\r\n\r\n`;
const ok = (body: string): string => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const GET = get(1).length; // 32 B each
const OK = ok('ab').length; // 40 B each

/** What each exchange lost, in index order (null: nothing). */
const lostOf = (events: ConnEvent[], end: 'close' | 'capture-end' = 'close') =>
  analyze(events, end).result.exchanges.map((x) => (x.lost === null ? null : { message: x.lost.message, offset: x.lost.gap.offset, length: x.lost.gap.length, frame: x.lost.gap.frameAfter }));

describe('pairing across capture loss', () => {
  // Response 2 lost: the client acknowledged it (the gap comes before request 3's bytes).
  const lostResponse: ConnEvent[] = [
    { dir: 'client', frame: 4, data: get(1) },
    { dir: 'server', frame: 5, data: ok('ab') },
    { dir: 'client', frame: 6, data: get(2) },
    { dir: 'server', frame: 7, gap: OK },
    { dir: 'client', frame: 7, data: get(3) },
    { dir: 'server', frame: 8, data: ok('cd') },
    { dir: 'client', frame: 9, data: get(4) },
    { dir: 'server', frame: 10, data: ok('ef') },
  ];

  it('a response lost whole: its request is answered in the gap, the next ones pair with their own responses and are not pipelined', () => {
    const r = analyze(lostResponse);
    expect(r.result.exchanges.map(summary)).toEqual(['1 GET /1 [] 200', '2 GET /2 [] -', '3 GET /3 [] 200', '4 GET /4 [] 200']);
    expect(r.result.exchanges.map((x) => x.response?.firstFrame ?? null)).toEqual([5, null, 8, 10]);
    expect(lostOf(lostResponse)).toEqual([null, { message: 'response', offset: OK, length: OK, frame: 7 }, null, null]);
  });

  it('the lost exchange is emitted as soon as the next request shows it was answered', () => {
    const events = lostResponse.slice(0, 5);
    const r = analyze(events, null);
    expect(r.emitted.map((x) => x.index)).toEqual([1, 2]);
  });

  it('response 3 (frame 8) pairs with request 3, not with request 2 as a FIFO blind to the gap would', () => {
    const r = analyze(lostResponse);
    expect(r.result.exchanges[2].request?.target).toBe('/3');
    expect(r.result.exchanges[2].response?.firstFrame).toBe(8);
    expect(r.result.exchanges.every((x) => !x.pipelined)).toBe(true);
  });

  it('a request lost whole: the response that answers it is not unmatched but marks the request lost', () => {
    const events: ConnEvent[] = [
      { dir: 'client', frame: 4, data: get(1) },
      { dir: 'server', frame: 5, data: ok('ab') },
      { dir: 'client', frame: 7, gap: GET },
      { dir: 'server', frame: 7, data: ok('cd') },
      { dir: 'client', frame: 8, data: get(3) },
      { dir: 'server', frame: 9, data: ok('ef') },
    ];
    expect(analyze(events).result.exchanges.map(summary)).toEqual(['1 GET /1 [] 200', '2 - [] 200', '3 GET /3 [] 200']);
    expect(lostOf(events)).toEqual([null, { message: 'request', offset: GET, length: GET, frame: 7 }, null]);
  });

  it('several requests lost in one gap: each response until the next visible request answers one of them', () => {
    const events: ConnEvent[] = [
      { dir: 'client', frame: 4, data: get(1) },
      { dir: 'server', frame: 5, data: ok('ab') },
      { dir: 'client', frame: 6, gap: 2 * GET },
      { dir: 'server', frame: 6, data: ok('cd') },
      { dir: 'server', frame: 7, data: ok('ef') },
      { dir: 'client', frame: 8, data: get(4) },
      { dir: 'server', frame: 9, data: ok('gh') },
      // After request 4 was answered, a response with none waiting is unmatched again.
      { dir: 'server', frame: 10, data: ok('ij') },
    ];
    expect(lostOf(events).map((l) => l?.message ?? null)).toEqual([null, 'request', 'request', null, null]);
    expect(analyze(events).result.exchanges.map(summary)).toEqual(['1 GET /1 [] 200', '2 - [] 200', '3 - [] 200', '4 GET /4 [] 200', '5 - [] 200']);
  });

  it.each([
    ['the request gap first (the server acknowledged it in the response)', 'client', 'server'],
    ['the response gap first', 'server', 'client'],
  ] as const)('both directions lost a message after request 1 (%s): response 2 answers the lost request 2, not request 1', (_name, first, second) => {
    const gaps: Record<'client' | 'server', ConnEvent> = { client: { dir: 'client', frame: 7, gap: GET }, server: { dir: 'server', frame: 7, gap: OK } };
    const events: ConnEvent[] = [
      { dir: 'client', frame: 4, data: get(1) },
      gaps[first],
      gaps[second],
      { dir: 'server', frame: 7, data: ok('cd') },
      { dir: 'client', frame: 8, data: get(3) },
      { dir: 'server', frame: 9, data: ok('ef') },
    ];
    expect(analyze(events).result.exchanges.map(summary)).toEqual(['1 GET /1 [] -', '2 - [] 200', '3 GET /3 [] 200']);
    expect(lostOf(events).map((l) => l?.message ?? null)).toEqual(['response', 'request', null]);
  });

  it('a request delivered late (held behind a lost one until the server\'s ACK) claims the response gap revealed after it was sent', () => {
    // On the wire: R1, 200; R2 lost; R3 (frame 7, acking response 2, lost); response 3 lost, revealed
    // by the client's FIN (frame 8). The tcp stage delivers R3 only when the server's ACK fills the
    // hole of R2: after both response gaps, when no request was waiting for them.
    const events: ConnEvent[] = [
      { dir: 'client', frame: 4, data: get(1) },
      { dir: 'server', frame: 5, data: ok('ab') },
      { dir: 'server', frame: 7, gap: OK },
      { dir: 'server', frame: 8, gap: OK },
      { dir: 'client', frame: 7, gap: GET },
      { dir: 'client', frame: 7, data: get(3) },
    ];
    expect(analyze(events).result.exchanges.map(summary)).toEqual(['1 GET /1 [] 200', '2 GET /3 [] -']);
    expect(lostOf(events)).toEqual([null, { message: 'response', offset: 2 * OK, length: OK, frame: 8 }]);
  });

  it('a late request claims its gap even when the gap came while an earlier request still waited', () => {
    // A recording with kernel drops (tcpdump -B 2048): responses 2 and 3 lost (gaps revealed by
    // frames 7 and 9), request 3 lost too; requests 4 (frame 8) and 5 (frame 9) held behind it and
    // delivered when the server's ACK (frame 10) filled the hole, with response 5.
    const events: ConnEvent[] = [
      { dir: 'client', frame: 6, data: get(2) },
      { dir: 'server', frame: 7, gap: OK },
      { dir: 'server', frame: 9, gap: OK },
      { dir: 'client', frame: 8, gap: GET },
      { dir: 'client', frame: 8, data: get(4) },
      { dir: 'client', frame: 9, data: get(5) },
      { dir: 'server', frame: 10, data: ok('ef') },
    ];
    expect(analyze(events).result.exchanges.map(summary)).toEqual(['1 GET /2 [] -', '2 GET /4 [] -', '3 GET /5 [] 200']);
    expect(lostOf(events).map((l) => (l === null ? null : [l.message, l.frame]))).toEqual([['response', 7], ['response', 9], null]);
  });

  it('the last response lost before the close: answered in the gap, not left unanswered', () => {
    const events: ConnEvent[] = [
      { dir: 'client', frame: 4, data: get(1) },
      { dir: 'server', frame: 5, data: ok('ab') },
      { dir: 'client', frame: 6, data: get(2) },
      { dir: 'server', frame: 8, gap: OK },
    ];
    expect(lostOf(events)).toEqual([null, { message: 'response', offset: OK, length: OK, frame: 8 }]);
  });

  it('a gap inside a body (bridged by its framing) loses no message: pairing is untouched', () => {
    const events: ConnEvent[] = [
      { dir: 'client', frame: 4, data: get(1) },
      { dir: 'server', frame: 5, data: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc' },
      { dir: 'server', frame: 7, gap: 4 },
      { dir: 'server', frame: 7, data: 'def' },
      { dir: 'client', frame: 8, data: get(2) },
      { dir: 'server', frame: 9, data: ok('gh') },
    ];
    expect(lostOf(events)).toEqual([null, null]);
    expect(analyze(events).result.exchanges.map(summary)).toEqual(['1 GET /1 [] 200', '2 GET /2 [] 200']);
  });

  it('a gap that ends a body exactly loses no message either', () => {
    const events: ConnEvent[] = [
      { dir: 'client', frame: 4, data: get(1) },
      { dir: 'server', frame: 5, data: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc' },
      { dir: 'server', frame: 8, gap: 7 },
      { dir: 'client', frame: 8, data: get(2) },
      { dir: 'server', frame: 9, data: ok('gh') },
    ];
    expect(lostOf(events)).toEqual([null, null]);
    expect(analyze(events).result.exchanges.map((x) => x.pipelined)).toEqual([false, false]);
  });

  it('a lost 100 Continue is no lost response: the request goes on with its body, the final response pairs with it', () => {
    const head = 'PUT /u HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n';
    const events: ConnEvent[] = [
      { dir: 'client', frame: 4, data: head },
      { dir: 'server', frame: 6, gap: 'HTTP/1.1 100 Continue\r\n\r\n'.length },
      { dir: 'client', frame: 6, data: 'data' },
      { dir: 'server', frame: 7, data: ok('ok') },
    ];
    expect(lostOf(events)).toEqual([null]);
    expect(analyze(events).result.exchanges.map(summary)).toEqual(['1 PUT /u [] 200']);
  });

  it('real pipelining is still pipelining: no gap, three requests in one segment', () => {
    const events: ConnEvent[] = [
      { dir: 'client', frame: 4, data: get(1) + get(2) + get(3) },
      { dir: 'server', frame: 5, data: ok('ab') + ok('cd') + ok('ef') },
    ];
    expect(analyze(events).result.exchanges.map(summary)).toEqual(['1 GET /1 [] 200', '2 GET /2 [] 200 pipelined', '3 GET /3 [] 200 pipelined']);
    expect(lostOf(events)).toEqual([null, null, null]);
  });
});

describe('Pairing: which gaps settle an exchange at the next request', () => {
  const message = (kind: 'request' | 'response', status?: number, firstFrame = 1): Message => ({ kind, status, deviations: [], offsets: { headStart: 0 }, firstFrame }) as unknown as Message;
  const gap = (cause: StreamGap['cause']): StreamGap => ({ direction: 'server', offset: 100, length: 50, frameAfter: 9, time: 1, cause });

  it.each([
    ['acked-unseen', true],
    ['truncated', true],
    ['buffer-limit', false],
  ] as const)('a %s response gap: settled = %s (the client must have received the bytes)', (cause, settled) => {
    const pairing = new Pairing();
    const first = message('request');
    pairing.requestStarted(first);
    pairing.requestEnded(first);
    pairing.responseGap(gap(cause));
    const next = pairing.requestStarted(message('request'));
    expect(pairing.exchanges[0].lost?.message ?? null).toBe(settled ? 'response' : null);
    expect(next.pipelined).toBe(!settled);
  });

  it('at the end of the connection any response gap settles the exchanges it followed', () => {
    const pairing = new Pairing();
    const first = message('request');
    pairing.requestStarted(first);
    pairing.requestEnded(first);
    pairing.responseGap(gap('close'));
    pairing.flush();
    expect(pairing.exchanges[0].lost).toEqual({ message: 'response', gap: { direction: 'server', offset: 100, length: 50, frameAfter: 9, cause: 'close' } });
  });

  it('a response gap met after the final response was paired settles nothing', () => {
    const pairing = new Pairing();
    const first = message('request');
    pairing.requestStarted(first);
    pairing.requestEnded(first);
    const response = message('response', 200);
    pairing.responseHead(response);
    pairing.responseEnded(response);
    pairing.responseGap(gap('acked-unseen'));
    pairing.requestStarted(message('request', undefined, 10));
    pairing.flush();
    // The gap (revealed by frame 9) came after exchange 1 was answered and before request 2 was sent (frame 10): neither lost a message.
    expect(pairing.exchanges.map((x) => x.lost)).toEqual([null, null]);
  });
});
