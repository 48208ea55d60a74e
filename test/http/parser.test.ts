import { describe, expect, it } from 'vitest';
import { HttpParser } from '../../src/http/parser.js';
import { cutVariants, parse, streamLength, text, timeOf, type ParseOptions, type ParsedDirection, type Seg } from './helpers.js';

/** Strip the free-text messages so the tables compare codes, offsets, lengths and frames. */
function devs(list: Array<{ code: string; offset: number; frames: number[]; length?: number; count?: number }>) {
  return list.map((d) => {
    const out: Record<string, unknown> = { code: d.code, offset: d.offset, frames: d.frames };
    if (d.length !== undefined) out.length = d.length;
    if (d.count !== undefined) out.count = d.count;
    return out;
  });
}

interface Fixture {
  name: string;
  kind: 'request' | 'response';
  segs: Seg[];
  options?: ParseOptions;
  check(r: ParsedDirection): void;
}

const fixtures: Fixture[] = [
  {
    name: 'Content-Length request, headers and body in separate frames',
    kind: 'request',
    segs: [
      { frame: 1, data: 'POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n' },
      { frame: 2, data: 'hello' },
    ],
    check({ messages, deviations }) {
      expect(deviations).toEqual([]);
      expect(messages).toHaveLength(1);
      const m = messages[0];
      expect({ ...m, bodyPrefix: text(m.bodyPrefix) }).toEqual({
        kind: 'request',
        direction: 'client',
        index: 1,
        startLine: 'POST /a HTTP/1.1',
        method: 'POST',
        target: '/a',
        version: 'HTTP/1.1',
        headers: [
          { name: 'Host', value: 'x', offset: 18 },
          { name: 'Content-Length', value: '5', offset: 27 },
        ],
        headSize: 48,
        framing: { kind: 'content-length', reason: 'content-length', declared: 5, actualBodyBytes: 5, missingBytes: 0 },
        bodyPrefix: 'hello',
        offsets: { headStart: 0, headEnd: 48, bodyEnd: 53 },
        headerFrames: [1],
        bodyFrames: [2],
        firstFrame: 1,
        lastFrame: 2,
        times: { start: timeOf(1), headersEnd: timeOf(1), end: timeOf(2) },
        complete: true,
        bodyCaptured: 'all',
        deviations: [],
      });
    },
  },
  {
    name: 'chunked response with extensions and trailers',
    kind: 'response',
    segs: [
      { frame: 3, data: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;foo=bar\r\nhello\r\n' },
      { frame: 4, data: '6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n' },
    ],
    check({ messages, deviations }) {
      expect(deviations).toEqual([]);
      expect(messages).toHaveLength(1);
      const m = messages[0];
      expect(m.status).toBe(200);
      expect(m.reason).toBe('OK');
      expect(m.framing).toEqual({
        kind: 'chunked',
        reason: 'chunked',
        actualBodyBytes: 11,
        missingBytes: 0,
        chunks: 2,
        chunkSizes: [5, 6],
        chunkExtensions: [';foo=bar'],
        lastChunk: true,
        trailers: [{ name: 'X-Trailer', value: 't', offset: 79 }],
      });
      expect(text(m.bodyPrefix)).toBe('hello world');
      expect(m.offsets).toEqual({ headStart: 0, headEnd: 47, bodyEnd: 95 });
      expect(m.headerFrames).toEqual([3]);
      expect(m.bodyFrames).toEqual([3, 4]);
      expect(m.complete).toBe(true);
    },
  },
  {
    name: 'HTTP/1.0 close-delimited response ends at close',
    kind: 'response',
    segs: [
      { frame: 5, data: 'HTTP/1.0 200 OK\r\nServer: x\r\n\r\n' },
      { frame: 6, data: 'abc' },
    ],
    check({ messages }) {
      const m = messages[0];
      expect(m.version).toBe('HTTP/1.0');
      expect(m.framing).toEqual({ kind: 'close', reason: 'response-without-length', actualBodyBytes: 3, missingBytes: 0 });
      expect(m.offsets).toEqual({ headStart: 0, headEnd: 30, bodyEnd: 33 });
      expect(m.complete).toBe(true);
      expect(m.deviations).toEqual([]);
    },
  },
  {
    name: 'close-delimited response cut by the capture end',
    kind: 'response',
    options: { end: 'capture-end' },
    segs: [
      { frame: 5, data: 'HTTP/1.0 200 OK\r\nServer: x\r\n\r\n' },
      { frame: 6, data: 'abc' },
    ],
    check({ messages }) {
      expect(messages[0].complete).toBe(false);
      expect(devs(messages[0].deviations)).toEqual([{ code: 'truncated-by-capture-end', offset: 33, frames: [6] }]);
    },
  },
  {
    name: 'response to HEAD has Content-Length but no body',
    kind: 'response',
    options: { methods: ['HEAD', 'GET'] },
    segs: [
      { frame: 7, data: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n' },
      { frame: 8, data: 'HTTP/1.1 204 No Content\r\n\r\n' },
    ],
    check({ messages, deviations }) {
      expect(deviations).toEqual([]);
      expect(messages.map((m) => [m.status, m.framing, m.offsets])).toEqual([
        [200, { kind: 'none', reason: 'head-response', actualBodyBytes: 0, missingBytes: 0 }, { headStart: 0, headEnd: 39, bodyEnd: 39 }],
        [204, { kind: 'none', reason: 'no-content', actualBodyBytes: 0, missingBytes: 0 }, { headStart: 39, headEnd: 66, bodyEnd: 66 }],
      ]);
      expect(messages[0].bodyFrames).toEqual([]);
    },
  },
  {
    name: '1xx, 204 (even with Content-Length) and 304 have no body',
    kind: 'response',
    segs: [
      {
        frame: 1,
        data:
          'HTTP/1.1 100 Continue\r\n\r\n' +
          'HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n' +
          'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n' +
          'HTTP/1.1 304 Not Modified\r\n\r\n',
      },
    ],
    check({ messages, deviations }) {
      expect(deviations).toEqual([]);
      expect(messages.map((m) => [m.status, m.framing?.kind, m.framing?.reason, m.offsets.headStart, m.complete])).toEqual([
        [100, 'none', 'informational', 0, true],
        [103, 'none', 'informational', 25, true],
        [204, 'none', 'no-content', 69, true],
        [304, 'none', 'not-modified', 115, true],
      ]);
    },
  },
  {
    name: '2xx to CONNECT makes a tunnel: the rest is not parsed',
    kind: 'response',
    options: { methods: ['CONNECT'] },
    segs: [{ frame: 9, data: 'HTTP/1.1 200 Connection established\r\n\r\n\x16\x03\x01\x00\x05hello' }],
    check({ messages, unconsumed, deviations }) {
      expect(messages).toHaveLength(1);
      expect(messages[0].framing).toEqual({ kind: 'tunnel', reason: 'connect-tunnel', actualBodyBytes: 0, missingBytes: 0 });
      expect(messages[0].offsets.bodyEnd).toBe(39);
      expect(unconsumed).toBe(10);
      expect(deviations).toEqual([]);
    },
  },
  {
    name: '101 Switching Protocols makes a tunnel',
    kind: 'response',
    options: { methods: ['GET'] },
    segs: [{ frame: 9, data: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello' }],
    check({ messages, unconsumed }) {
      expect(messages[0].framing).toEqual({ kind: 'tunnel', reason: 'switching-protocols', actualBodyBytes: 0, missingBytes: 0 });
      expect(unconsumed).toBe(7);
    },
  },
  {
    name: 'a request with Upgrade pauses the parser after it',
    kind: 'request',
    options: { end: null },
    segs: [{ frame: 1, data: 'GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello' }],
    check({ messages, unconsumed }) {
      expect(messages).toHaveLength(1);
      expect(messages[0].complete).toBe(true);
      expect(unconsumed).toBe(7);
    },
  },
  // ------------------------------------------------------------ deviations
  {
    name: 'bare LF line ends are accepted, recorded once and counted',
    kind: 'request',
    segs: [{ frame: 1, data: 'GET / HTTP/1.1\nHost: x\n\n' }],
    check({ messages }) {
      const m = messages[0];
      expect(devs(m.deviations)).toEqual([{ code: 'bare-lf', offset: 14, frames: [1], count: 3 }]);
      expect(m.headers).toEqual([{ name: 'Host', value: 'x', offset: 15 }]);
      expect(m.headSize).toBe(24);
      expect(m.complete).toBe(true);
    },
  },
  {
    name: 'space before colon',
    kind: 'request',
    segs: [{ frame: 1, data: 'GET / HTTP/1.1\r\nHost : x\r\n\r\n' }],
    check({ messages }) {
      expect(devs(messages[0].deviations)).toEqual([{ code: 'space-before-colon', offset: 20, frames: [1] }]);
      expect(messages[0].headers).toEqual([{ name: 'Host', value: 'x', offset: 16 }]);
    },
  },
  {
    name: 'obs-fold is unfolded into the previous value',
    kind: 'request',
    segs: [
      { frame: 1, data: 'GET / HTTP/1.1\r\nX-A: 1\r\n' },
      { frame: 2, data: '  2\r\n\r\n' },
    ],
    check({ messages }) {
      expect(devs(messages[0].deviations)).toEqual([{ code: 'obs-fold', offset: 24, frames: [2] }]);
      expect(messages[0].headers).toEqual([{ name: 'X-A', value: '1 2', offset: 16 }]);
      expect(messages[0].headerFrames).toEqual([1, 2]);
    },
  },
  {
    name: 'invalid method token (first request of a stream is parsed leniently)',
    kind: 'request',
    segs: [{ frame: 1, data: 'G@T / HTTP/1.1\r\n\r\n' }],
    check({ messages }) {
      expect(messages[0].method).toBe('G@T');
      expect(devs(messages[0].deviations)).toEqual([{ code: 'invalid-token', offset: 0, frames: [1] }]);
    },
  },
  {
    name: 'invalid field name token and a line without colon',
    kind: 'request',
    segs: [{ frame: 1, data: 'GET / HTTP/1.1\r\nBad[: x\r\nNoColonHere\r\n\r\n' }],
    check({ messages }) {
      expect(devs(messages[0].deviations)).toEqual([
        { code: 'invalid-token', offset: 16, frames: [1] },
        { code: 'missing-colon', offset: 25, frames: [1] },
      ]);
      expect(messages[0].headers).toEqual([{ name: 'Bad[', value: 'x', offset: 16 }]);
    },
  },
  {
    name: 'garbage request line is an invalid start line',
    kind: 'request',
    segs: [{ frame: 1, data: 'GARBAGE\r\n\r\n' }],
    check({ messages, deviations }) {
      expect(deviations).toEqual([]);
      const m = messages[0];
      expect(m.startLine).toBe('GARBAGE');
      expect(m.method).toBeUndefined();
      expect(devs(m.deviations)).toEqual([{ code: 'invalid-start-line', offset: 0, frames: [1] }]);
      expect(m.framing?.kind).toBe('none');
      expect(m.complete).toBe(true);
    },
  },
  {
    name: 'invalid version',
    kind: 'request',
    segs: [{ frame: 1, data: 'GET / HTTP/2.0\r\n\r\n' }],
    check({ messages }) {
      expect(devs(messages[0].deviations)).toEqual([{ code: 'invalid-version', offset: 6, frames: [1] }]);
    },
  },
  {
    name: 'multiple equal Content-Length values are accepted',
    kind: 'request',
    segs: [{ frame: 1, data: 'POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc' }],
    check({ messages, deviations }) {
      expect(deviations).toEqual([]);
      expect(devs(messages[0].deviations)).toEqual([{ code: 'multiple-content-length', offset: 36, frames: [1] }]);
      expect(messages[0].framing).toEqual({ kind: 'content-length', reason: 'content-length', declared: 3, actualBodyBytes: 3, missingBytes: 0 });
    },
  },
  {
    name: 'conflicting Content-Length: framing invalid, body skipped, next request found',
    kind: 'request',
    segs: [
      { frame: 1, data: 'POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabc' },
      { frame: 2, data: 'GET /next HTTP/1.1\r\n\r\n' },
    ],
    check({ messages, deviations }) {
      expect(devs(messages[0].deviations)).toEqual([{ code: 'conflicting-content-length', offset: 36, frames: [1] }]);
      expect(messages[0].framing).toEqual({ kind: 'invalid', reason: 'invalid-content-length', actualBodyBytes: 0, missingBytes: 0 });
      expect(devs(deviations)).toEqual([{ code: 'skipped-bytes', offset: 57, frames: [1], length: 3 }]);
      expect(deviations[0].afterMessage).toBe(1);
      expect(messages[1].target).toBe('/next');
      expect(messages[1].offsets.headStart).toBe(60);
    },
  },
  {
    name: 'invalid Content-Length',
    kind: 'request',
    segs: [{ frame: 1, data: 'POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n' }],
    check({ messages }) {
      expect(devs(messages[0].deviations)).toEqual([{ code: 'invalid-content-length', offset: 17, frames: [1] }]);
      expect(messages[0].framing?.kind).toBe('invalid');
    },
  },
  {
    name: 'Content-Length with Transfer-Encoding: chunked wins',
    kind: 'request',
    segs: [{ frame: 1, data: 'POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' }],
    check({ messages, deviations }) {
      expect(deviations).toEqual([]);
      expect(devs(messages[0].deviations)).toEqual([{ code: 'content-length-with-transfer-encoding', offset: 36, frames: [1] }]);
      expect(messages[0].framing?.kind).toBe('chunked');
      expect(messages[0].framing?.chunks).toBe(0);
      expect(messages[0].complete).toBe(true);
    },
  },
  {
    name: 'request Transfer-Encoding not ending in chunked is invalid',
    kind: 'request',
    segs: [{ frame: 1, data: 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n' }],
    check({ messages }) {
      expect(devs(messages[0].deviations)).toEqual([{ code: 'invalid-transfer-encoding', offset: 17, frames: [1] }]);
      expect(messages[0].framing?.reason).toBe('invalid-transfer-encoding');
    },
  },
  {
    name: 'response Transfer-Encoding not ending in chunked is close-delimited',
    kind: 'response',
    segs: [{ frame: 1, data: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzzzz' }],
    check({ messages }) {
      expect(messages[0].deviations).toEqual([]);
      expect(messages[0].framing).toEqual({ kind: 'close', reason: 'transfer-encoding-not-chunked', actualBodyBytes: 4, missingBytes: 0 });
    },
  },
  {
    name: 'invalid chunk size abandons the message; the next response is found',
    kind: 'response',
    segs: [
      { frame: 1, data: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n' },
      { frame: 2, data: 'HTTP/1.1 204 No Content\r\n\r\n' },
    ],
    check({ messages, deviations }) {
      expect(devs(messages[0].deviations)).toEqual([{ code: 'invalid-chunk-size', offset: 47, frames: [1] }]);
      expect(messages[0].complete).toBe(false);
      expect(deviations).toEqual([]);
      expect(messages[1].status).toBe(204);
      expect(messages[1].offsets.headStart).toBe(51);
    },
  },
  {
    name: 'missing CRLF after chunk data',
    kind: 'response',
    segs: [{ frame: 1, data: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello0\r\n\r\n' }],
    check({ messages }) {
      expect(devs(messages[0].deviations)).toEqual([{ code: 'missing-chunk-crlf', offset: 55, frames: [1] }]);
      expect(messages[0].framing?.chunks).toBe(1);
      expect(messages[0].complete).toBe(true);
    },
  },
  {
    name: 'chunk extensions overflow',
    kind: 'response',
    options: { maxChunkLineSize: 32 },
    segs: [{ frame: 1, data: `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;${'a'.repeat(40)}\r\nhello\r\n0\r\n\r\n` }],
    check({ messages, deviations }) {
      expect(devs(messages[0].deviations)).toEqual([{ code: 'chunk-extensions-overflow', offset: 47, frames: [1] }]);
      expect(messages[0].complete).toBe(false);
      expect(devs(deviations)).toEqual([{ code: 'skipped-bytes', offset: 79, frames: [1], length: 24 }]);
    },
  },
  {
    name: 'Content-Length 3 with body 1234: excess 1 byte, next response still parsed',
    kind: 'response',
    segs: [
      { frame: 1, data: 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n1234' },
      { frame: 2, data: 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' },
    ],
    check({ messages, deviations }) {
      expect(messages[0].framing).toEqual({ kind: 'content-length', reason: 'content-length', declared: 3, actualBodyBytes: 3, missingBytes: 0 });
      expect(messages[0].complete).toBe(true);
      expect(devs(deviations)).toEqual([{ code: 'excess-after-body', offset: 41, frames: [1], length: 1 }]);
      expect(deviations[0].afterMessage).toBe(1);
      expect(messages).toHaveLength(2);
      expect(messages[1].offsets.headStart).toBe(42);
    },
  },
  {
    name: 'request Content-Length 3 with body 1234 then the next request in the same frame',
    kind: 'request',
    segs: [{ frame: 1, data: 'POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n1234GET /next HTTP/1.1\r\n\r\n' }],
    check({ messages, deviations }) {
      expect(devs(deviations)).toEqual([{ code: 'excess-after-body', offset: 41, frames: [1], length: 1 }]);
      expect(messages.map((m) => [m.method, m.target, m.offsets.headStart])).toEqual([
        ['POST', '/', 0],
        ['GET', '/next', 42],
      ]);
    },
  },
  {
    name: 'excess bytes then close',
    kind: 'response',
    segs: [
      { frame: 1, data: 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n123' },
      { frame: 2, data: '4' },
    ],
    check({ deviations }) {
      expect(devs(deviations)).toEqual([{ code: 'excess-after-body', offset: 41, frames: [2], length: 1 }]);
    },
  },
  {
    name: 'bytes after a 204 are a body that is not allowed',
    kind: 'response',
    segs: [{ frame: 1, data: 'HTTP/1.1 204 No Content\r\n\r\nxyzHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' }],
    check({ messages, deviations }) {
      expect(devs(deviations)).toEqual([{ code: 'body-not-allowed', offset: 27, frames: [1], length: 3 }]);
      expect(messages.map((m) => m.status)).toEqual([204, 200]);
    },
  },
  {
    name: 'Content-Length 3 with body 12 then close: truncated by close',
    kind: 'response',
    segs: [
      { frame: 1, data: 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n' },
      { frame: 2, data: '12' },
    ],
    check({ messages }) {
      const m = messages[0];
      expect(m.complete).toBe(false);
      expect(m.framing).toEqual({ kind: 'content-length', reason: 'content-length', declared: 3, actualBodyBytes: 2, missingBytes: 0 });
      expect(devs(m.deviations)).toEqual([{ code: 'truncated-by-close', offset: 40, frames: [2], length: 1 }]);
      expect(m.offsets.bodyEnd).toBe(40);
    },
  },
  {
    name: 'Content-Length 3 with body 12: truncated by the capture end',
    kind: 'response',
    options: { end: 'capture-end' },
    segs: [{ frame: 1, data: 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n12' }],
    check({ messages }) {
      expect(devs(messages[0].deviations)).toEqual([{ code: 'truncated-by-capture-end', offset: 40, frames: [1], length: 1 }]);
    },
  },
  {
    name: 'header section cut by close',
    kind: 'request',
    segs: [{ frame: 1, data: 'GET / HT' }],
    check({ messages }) {
      const m = messages[0];
      expect(m.startLine).toBe('GET / HT');
      expect(m.framing).toBeNull();
      expect(m.offsets).toEqual({ headStart: 0, headEnd: null, bodyEnd: null });
      expect(m.headSize).toBe(8);
      expect(devs(m.deviations)).toEqual([{ code: 'truncated-by-close', offset: 8, frames: [1] }]);
    },
  },
  {
    name: 'a gap of known size inside a Content-Length body is bridged',
    kind: 'response',
    segs: [
      { frame: 1, data: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n' },
      { frame: 2, data: 'abc' },
      { frame: 4, gap: 4 },
      { frame: 4, data: 'wxy' },
      { frame: 5, data: 'HTTP/1.1 204 No Content\r\n\r\n' },
    ],
    check({ messages, deviations }) {
      expect(deviations).toEqual([]);
      const m = messages[0];
      expect(devs(m.deviations)).toEqual([{ code: 'gap-in-message', offset: 42, frames: [4], length: 4 }]);
      expect(m.framing).toEqual({ kind: 'content-length', reason: 'content-length', declared: 10, actualBodyBytes: 10, missingBytes: 4 });
      expect(m.complete).toBe(true);
      expect(m.bodyCaptured).toBe('partial');
      expect(m.bodyFrames).toEqual([2, 4]);
      // The kept prefix stops at the hole: 'abcwxy' would be bytes 0-2 and 6-8 glued together.
      expect(text(m.bodyPrefix)).toBe('abc');
      expect(messages[1].offsets.headStart).toBe(49);
      expect(messages[1].bodyCaptured).toBe('all');
    },
  },
  {
    name: "a hole one byte longer than the body's rest (the sender's FIN lost with the tail, ACKed too): bridged, complete",
    kind: 'request',
    segs: [
      { frame: 4, data: 'PUT /up HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc' },
      { frame: 9, gap: 8 },
    ],
    check({ messages, deviations }) {
      expect(deviations).toEqual([]);
      const [m] = messages;
      expect(devs(m.deviations)).toEqual([{ code: 'gap-in-message', offset: 52, frames: [9], length: 7 }]);
      expect([m.complete, m.framing?.actualBodyBytes, m.framing?.missingBytes, m.offsets.bodyEnd]).toEqual([true, 10, 7, 59]);
    },
  },
  {
    name: 'a Content-Length body lost entirely (acked, never captured): complete, bodyCaptured none, missingBytes = body',
    kind: 'response',
    segs: [
      { frame: 5, data: 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 733\r\n\r\n' },
      { frame: 6, gap: 733 },
      { frame: 8, data: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok' },
    ],
    check({ messages, deviations }) {
      expect(deviations).toEqual([]);
      const [lost, next] = messages;
      expect(devs(lost.deviations)).toEqual([{ code: 'gap-in-message', offset: 66, frames: [6], length: 733 }]);
      expect(lost.framing).toEqual({ kind: 'content-length', reason: 'content-length', declared: 733, actualBodyBytes: 733, missingBytes: 733 });
      expect([lost.complete, lost.bodyCaptured, lost.bodyPrefix, lost.bodyFrames, lost.offsets.bodyEnd]).toEqual([true, 'none', undefined, [], 799]);
      expect([next.offsets.headStart, next.bodyCaptured, next.framing?.missingBytes, text(next.bodyPrefix)]).toEqual([799, 'all', 0, 'ok']);
    },
  },
  {
    name: 'a gap inside chunk data is bridged and counted; bytes after it are not kept',
    kind: 'response',
    segs: [
      { frame: 1, data: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n01' },
      { frame: 3, gap: 5 },
      { frame: 3, data: '789\r\n3\r\nabc\r\n0\r\n\r\n' },
    ],
    check({ messages }) {
      const m = messages[0];
      expect(devs(m.deviations)).toEqual([{ code: 'gap-in-message', offset: 52, frames: [3], length: 5 }]);
      expect(m.framing).toMatchObject({ kind: 'chunked', chunks: 2, chunkSizes: [10, 3], lastChunk: true, actualBodyBytes: 13, missingBytes: 5 });
      expect([m.complete, m.bodyCaptured, text(m.bodyPrefix)]).toEqual([true, 'partial', '01']);
    },
  },
  {
    name: 'a gap inside a close-delimited body is counted; a gap the framing cannot bridge ends the message uncounted',
    kind: 'response',
    options: { end: 'close' },
    segs: [
      { frame: 1, data: 'HTTP/1.0 200 OK\r\n\r\nab' },
      { frame: 3, gap: 7 },
      { frame: 3, data: 'cd' },
    ],
    check({ messages }) {
      const m = messages[0];
      expect(m.framing).toEqual({ kind: 'close', reason: 'response-without-length', actualBodyBytes: 11, missingBytes: 7 });
      expect([m.complete, m.bodyCaptured, text(m.bodyPrefix)]).toEqual([true, 'partial', 'ab']);
    },
  },
  {
    name: 'a gap longer than the rest of a Content-Length body is not bridged: incomplete, nothing counted as missing',
    kind: 'response',
    segs: [
      { frame: 1, data: 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab' },
      { frame: 3, gap: 9 },
      { frame: 3, data: 'HTTP/1.1 204 No Content\r\n\r\n' },
    ],
    check({ messages }) {
      const m = messages[0];
      expect(devs(m.deviations)).toEqual([{ code: 'gap-in-message', offset: 40, frames: [3], length: 9 }]);
      expect(m.framing).toEqual({ kind: 'content-length', reason: 'content-length', declared: 4, actualBodyBytes: 2, missingBytes: 0 });
      expect([m.complete, m.bodyCaptured, text(m.bodyPrefix)]).toEqual([false, 'all', 'ab']);
      expect(messages[1].status).toBe(204);
    },
  },
  {
    name: 'a gap in the header section abandons the message and resyncs after it',
    kind: 'request',
    segs: [
      { frame: 1, data: 'GET /a HTTP/1.1\r\nHo' },
      { frame: 3, gap: 10 },
      { frame: 3, data: 'x\r\n\r\nGET /b HTTP/1.1\r\n\r\n' },
    ],
    check({ messages, deviations }) {
      expect(devs(messages[0].deviations)).toEqual([{ code: 'gap-in-message', offset: 19, frames: [3], length: 10 }]);
      expect(messages[0].complete).toBe(false);
      expect(devs(deviations)).toEqual([{ code: 'skipped-bytes', offset: 29, frames: [3], length: 5 }]);
      expect(messages[1].target).toBe('/b');
      expect(messages[1].offsets.headStart).toBe(34);
    },
  },
  {
    name: 'header section too large',
    kind: 'request',
    options: { maxHeaderSectionSize: 64 },
    segs: [{ frame: 1, data: `GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(100)}\r\n\r\n` }],
    check({ messages, deviations }) {
      const m = messages[0];
      expect(devs(m.deviations)).toEqual([{ code: 'header-section-too-large', offset: 64, frames: [1] }]);
      expect(m.complete).toBe(false);
      expect(m.headSize).toBe(64);
      expect(devs(deviations)).toEqual([{ code: 'skipped-bytes', offset: 64, frames: [1], length: 63 }]);
    },
  },
  {
    name: 'resync after garbage at the start of a response stream',
    kind: 'response',
    segs: [
      { frame: 1, data: 'garbage!!' },
      { frame: 2, data: 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n' },
    ],
    check({ messages, deviations }) {
      expect(devs(deviations)).toEqual([{ code: 'skipped-bytes', offset: 0, frames: [1], length: 9 }]);
      expect(deviations[0].afterMessage).toBe(0);
      expect(messages[0].offsets.headStart).toBe(9);
      expect(messages[0].firstFrame).toBe(2);
    },
  },
  {
    name: 'resync after binary garbage at the start of a request stream',
    kind: 'request',
    segs: [{ frame: 1, data: '\x00\x01\x02GET / HTTP/1.1\r\n\r\n' }],
    check({ messages, deviations }) {
      expect(devs(deviations)).toEqual([{ code: 'skipped-bytes', offset: 0, frames: [1], length: 3 }]);
      expect(messages.map((m) => [m.method, m.offsets.headStart, m.deviations.length])).toEqual([['GET', 3, 0]]);
    },
  },
  {
    name: 'mid-stream pickup: an unknown gap, then the tail of a body, then a request',
    kind: 'request',
    segs: [
      { frame: 7, gap: 'unknown' },
      { frame: 7, data: 'e":1}\r\n' },
      { frame: 8, data: 'PUT /x HTTP/1.1\r\nContent-Length: 2\r\n\r\nok' },
    ],
    check({ messages, deviations }) {
      expect(devs(deviations)).toEqual([{ code: 'skipped-bytes', offset: 0, frames: [7], length: 7 }]);
      expect(messages.map((m) => [m.method, m.offsets.headStart, m.complete, text(m.bodyPrefix)])).toEqual([['PUT', 7, true, 'ok']]);
    },
  },
  {
    name: 'empty lines between messages are ignored',
    kind: 'request',
    segs: [{ frame: 1, data: 'POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\na\r\nGET / HTTP/1.1\r\n\r\n' }],
    check({ messages, deviations }) {
      expect(deviations).toEqual([]);
      expect(messages.map((m) => [m.method, m.offsets.headStart])).toEqual([
        ['POST', 0],
        ['GET', 41],
      ]);
    },
  },
  {
    name: 'two Host headers are kept in order',
    kind: 'request',
    segs: [{ frame: 1, data: 'GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n' }],
    check({ messages }) {
      expect(messages[0].headers).toEqual([
        { name: 'Host', value: 'a.example', offset: 16 },
        { name: 'Host', value: 'b.example', offset: 33 },
      ]);
      expect(messages[0].deviations).toEqual([]);
    },
  },
  {
    name: 'bodyLimit keeps only the first bytes',
    kind: 'request',
    options: { bodyLimit: 4 },
    segs: [
      { frame: 1, data: 'POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n012' },
      { frame: 2, data: '3456789' },
    ],
    check({ messages }) {
      expect(text(messages[0].bodyPrefix)).toBe('0123');
      expect(messages[0].framing?.actualBodyBytes).toBe(10);
    },
  },
];

describe('HttpParser fixtures', () => {
  for (const f of fixtures) {
    it(f.name, () => {
      f.check(parse(f.kind, f.segs, f.options));
    });
  }
});

describe('HttpParser: results do not depend on chunking', () => {
  for (const f of fixtures) {
    it(`${f.name} — split at every byte boundary and byte by byte`, () => {
      const whole = parse(f.kind, f.segs, f.options);
      for (const cuts of cutVariants(streamLength(f.segs))) {
        const split = parse(f.kind, f.segs, f.options, cuts);
        expect(split).toEqual(whole);
      }
    });
  }
});

describe('HttpParser API', () => {
  it('push after finish is a bug and throws', () => {
    const p = new HttpParser({ kind: 'request' });
    p.finish('close');
    expect(() => p.push({ offset: 0, bytes: new Uint8Array(1), frame: 1, time: 0 })).toThrow(/after finish/);
  });

  it('a paused request parser resumes and parses what follows', () => {
    const messages: string[] = [];
    const p = new HttpParser({ kind: 'request', hooks: { onMessage: (m) => messages.push(`${m.method} ${m.target}`) } });
    const data = Buffer.from('CONNECT a:443 HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n', 'latin1');
    const used = p.push({ offset: 0, bytes: data, frame: 1, time: 0 });
    expect(used).toBe(26);
    expect(p.state).toBe('paused');
    p.resume();
    expect(p.push({ offset: 26, bytes: data.subarray(26), frame: 1, time: 0 })).toBe(data.length - 26);
    expect(messages).toEqual(['CONNECT a:443', 'GET /']);
  });

  it('skips large Content-Length bodies by arithmetic', () => {
    const count: number[] = [];
    const p = new HttpParser({ kind: 'response', bodyLimit: 0, hooks: { onMessage: (m) => count.push(m.framing?.actualBodyBytes ?? -1) } });
    const head = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n', 'latin1');
    let off = 0;
    p.push({ offset: off, bytes: head, frame: 1, time: 0 });
    off += head.length;
    const seg = new Uint8Array(1448);
    let frame = 2;
    let left = 100000;
    while (left > 0) {
      const n = Math.min(left, seg.length);
      p.push({ offset: off, bytes: seg.subarray(0, n), frame: frame++, time: 0 });
      off += n;
      left -= n;
    }
    expect(count).toEqual([100000]);
  });
});
