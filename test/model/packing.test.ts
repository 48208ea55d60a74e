/**
 * packing(): which frames carried the header section and which the body, and the verdict. The
 * messages come from the real http stage (HttpConnectionAnalyzer via test/http/helpers.ts), so
 * headerFrames/bodyFrames are what the parser records, not hand-made.
 */
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/http/types.js';
import { packing } from '../../src/model/packing.js';
import { analyze, type ConnEvent } from '../http/helpers.js';

const GET = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';

function response(events: ConnEvent[], end: 'close' | 'capture-end' = 'close'): Message {
  const run = analyze([{ dir: 'client', frame: 4, data: GET }, ...events], end);
  const message = run.result.exchanges[0].response;
  if (!message) throw new Error('no response');
  return message;
}

describe('packing', () => {
  it('packed: header section and body in one segment (Node res.end(body))', () => {
    const m = response([{ dir: 'server', frame: 6, data: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' }]);
    expect(packing(m, null)).toEqual({
      verdict: 'packed',
      headerSplit: false,
      sharedFrame: 6,
      headerFrames: [6],
      bodyFrames: [6],
      note: null,
    });
  });

  it('packed, the body continuing in later segments', () => {
    const m = response([
      { dir: 'server', frame: 6, data: 'HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nab' },
      { dir: 'server', frame: 8, data: 'cd' },
      { dir: 'server', frame: 9, data: 'ef' },
    ]);
    expect(packing(m, null)).toMatchObject({ verdict: 'packed', sharedFrame: 6, headerFrames: [6], bodyFrames: [6, 8, 9], headerSplit: false });
  });

  it('headers-only segment: flushHeaders() then the body in a later segment', () => {
    const m = response([
      { dir: 'server', frame: 6, data: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' },
      { dir: 'server', frame: 8, data: 'c\r\nhello world\n\r\n0\r\n\r\n' },
    ]);
    expect(packing(m, null)).toEqual({
      verdict: 'headers-only-segment',
      headerSplit: false,
      sharedFrame: null,
      headerFrames: [6],
      bodyFrames: [8],
      note: null,
    });
  });

  it('no-body: a GET request, a 204, a Content-Length: 0 response', () => {
    const run = analyze([
      { dir: 'client', frame: 4, data: GET },
      { dir: 'server', frame: 6, data: 'HTTP/1.1 204 No Content\r\n\r\n' },
      { dir: 'client', frame: 7, data: GET },
      { dir: 'server', frame: 8, data: 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' },
    ]);
    const [first, second] = run.result.exchanges;
    expect(packing(first.request as Message, null)).toEqual({ verdict: 'no-body', headerSplit: false, sharedFrame: null, headerFrames: [4], bodyFrames: [], note: null });
    expect(packing(first.response as Message, null)).toMatchObject({ verdict: 'no-body', headerFrames: [6], bodyFrames: [] });
    expect(packing(second.response as Message, null)).toMatchObject({ verdict: 'no-body', headerFrames: [8], bodyFrames: [] });
  });

  it('an empty chunked body (only the last chunk) in the header segment counts as packed: its bytes share the frame', () => {
    // Node's 503 after maxRequestsPerSocket looks like this (captures/11, frame 12).
    const m = response([{ dir: 'server', frame: 6, data: 'HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' }]);
    expect(packing(m, null)).toMatchObject({ verdict: 'packed', sharedFrame: 6, bodyFrames: [6] });
    expect(m.framing).toMatchObject({ kind: 'chunked', actualBodyBytes: 0, chunks: 0, lastChunk: true });
  });

  it('incomplete: the header section never finished', () => {
    const m = response([{ dir: 'server', frame: 6, data: 'HTTP/1.1 200 OK\r\nContent-Le' }]);
    expect(packing(m, null)).toEqual({ verdict: 'incomplete', headerSplit: false, sharedFrame: null, headerFrames: [6], bodyFrames: [], note: null });
  });

  it('incomplete: chunked headers flushed, the body never came (Node flushHeaders() without end())', () => {
    const m = response([{ dir: 'server', frame: 6, data: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' }], 'capture-end');
    expect(packing(m, null)).toMatchObject({ verdict: 'incomplete', headerFrames: [6], bodyFrames: [], sharedFrame: null });
  });

  it('incomplete: a declared Content-Length whose bytes never came is not "no-body"', () => {
    const run = analyze([{ dir: 'client', frame: 4, data: 'POST /u HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n' }]);
    const request = run.result.exchanges[0].request as Message;
    expect(request.complete).toBe(false);
    expect(packing(request, null)).toMatchObject({ verdict: 'incomplete', headerFrames: [4], bodyFrames: [] });
  });

  it('headerSplit: the header section over two segments, the body packed with the second', () => {
    const m = response([
      { dir: 'server', frame: 6, data: 'HTTP/1.1 200 OK\r\nContent-' },
      { dir: 'server', frame: 7, data: 'Length: 2\r\n\r\nok' },
    ]);
    expect(packing(m, null)).toEqual({ verdict: 'packed', headerSplit: true, sharedFrame: 7, headerFrames: [6, 7], bodyFrames: [7], note: null });
  });

  it('headerSplit with the body alone in a third segment', () => {
    const m = response([
      { dir: 'server', frame: 6, data: 'HTTP/1.1 200 OK\r\n' },
      { dir: 'server', frame: 7, data: 'Content-Length: 2\r\n\r\n' },
      { dir: 'server', frame: 9, data: 'ok' },
    ]);
    expect(packing(m, null)).toEqual({ verdict: 'headers-only-segment', headerSplit: true, sharedFrame: null, headerFrames: [6, 7], bodyFrames: [9], note: null });
  });

  it('the empty line ending the header section alone in the next segment still counts as a header frame', () => {
    const m = response([
      { dir: 'server', frame: 6, data: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n' },
      { dir: 'server', frame: 7, data: '\r\nok' },
    ]);
    expect(packing(m, null)).toMatchObject({ verdict: 'packed', headerSplit: true, headerFrames: [6, 7], sharedFrame: 7 });
  });

  it('passes the capture-point note through unchanged', () => {
    const m = response([{ dir: 'server', frame: 6, data: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' }]);
    expect(packing(m, 'loopback capture').note).toBe('loopback capture');
  });
});
