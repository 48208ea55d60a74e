/**
 * Chunked bodies of keep-alive messages (src/node-verdict/reader.ts, chunkedUnparsed): walked, not
 * parsed, while their framing is canonical; handed to a primed parser at the first byte that is
 * not. Each verdict below is the one the reader gave when it fed every chunked byte to llhttp
 * (the same test passed on the commit before this path), offsets and frames included.
 * Frames: handshake 1–3, then one frame per step.
 */
import { describe, expect, it } from 'vitest';
import { conversationCapture, type Step } from '../rules/synthetic.js';
import { accepted, verdictsOf } from './helpers.js';

const GET = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';
/** 47 bytes: the body starts at stream offset 47 of the server side. */
const CHUNKED = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
const capture = (...steps: Step[]) => conversationCapture([...steps, ['fin', 'server']]);
const getSlash = accepted({ method: 'GET', url: '/', headers: 1, bodyBytes: 0 });
const got = (bodyBytes: number, headers = 1) => accepted({ status: 200, headers, bodyBytes });
const clientError = (code: string) => `the request emits 'error' (${code}) and the socket is destroyed`;

describe('a keep-alive chunked body', () => {
  it('with chunk extensions: accepted, 8 data bytes counted, and the next response read', async () => {
    const file = capture(['client', GET + GET], ['server', `${CHUNKED}5;ext=a\r\nhello\r\n3;x;y="z"\r\nabc\r\n0\r\n\r\n`], ['server', OK]);
    expect((await verdictsOf(file)).byMessage).toEqual({ 'request 1': getSlash, 'response 1': got(8), 'request 2': getSlash, 'response 2': got(2) });
  });

  it('with a trailer section: accepted, and the next response read', async () => {
    const file = capture(['client', GET + GET], ['server', `${CHUNKED}3\r\nabc\r\n0\r\nX-T: 1\r\nY: 2\r\n\r\n`], ['server', OK]);
    expect((await verdictsOf(file)).byMessage).toEqual({ 'request 1': getSlash, 'response 1': got(3), 'request 2': getSlash, 'response 2': got(2) });
  });

  it('a trailer past --node-max-header-size 50: HPE_HEADER_OVERFLOW at offset 125 (frame 5), the head alone fits', async () => {
    const file = capture(['client', GET], ['server', `${CHUNKED}2\r\nok\r\n0\r\nX-Big: ${'v'.repeat(60)}\r\n\r\n`]);
    expect((await verdictsOf(file, { maxHeaderSize: 50, insecureHTTPParser: false })).byMessage['response 1']).toEqual(
      accepted({ code: 'HPE_HEADER_OVERFLOW', reason: 'Header overflow', offset: 125, frame: 5, status: 200, headers: 1, bodyBytes: 2, next: clientError('HPE_HEADER_OVERFLOW') }),
    );
  });

  it('bad hex in the 2nd chunk size, in the 2nd segment: HPE_INVALID_CHUNK_SIZE at offset 58 (frame 6), the 1st chunk counted', async () => {
    const file = capture(['client', GET], ['server', `${CHUNKED}5\r\nhel`], ['server', 'lo\r\n1g\r\nx\r\n0\r\n\r\n']);
    expect((await verdictsOf(file)).byMessage['response 1']).toEqual(
      accepted({ code: 'HPE_INVALID_CHUNK_SIZE', reason: 'Invalid character in chunk size', offset: 58, frame: 6, status: 200, headers: 1, bodyBytes: 5, next: clientError('HPE_INVALID_CHUNK_SIZE') }),
    );
  });

  it('no CRLF after the data, at the start of a segment: HPE_STRICT at offset 53 (frame 6)', async () => {
    const file = capture(['client', GET], ['server', `${CHUNKED}3\r\nabc`], ['server', 'X\r\n0\r\n\r\n']);
    expect((await verdictsOf(file)).byMessage['response 1']).toEqual(
      accepted({ code: 'HPE_STRICT', reason: 'Expected LF after chunk data', offset: 53, frame: 6, status: 200, headers: 1, bodyBytes: 3, next: clientError('HPE_STRICT') }),
    );
  });

  it('a chunk extension of more than 16 KiB over 13 segments: HPE_CHUNK_EXTENSIONS_OVERFLOW at offset 17377 (frame 16)', async () => {
    const spread: Step[] = Array.from({ length: 12 }, () => ['server', 'e'.repeat(1448)]);
    const file = capture(['client', GET], ['server', `${CHUNKED}1;${'e'.repeat(1400)}`], ...spread, ['server', '\r\nx\r\n0\r\n\r\n']);
    expect((await verdictsOf(file)).byMessage['response 1']).toEqual(
      accepted({ code: 'HPE_CHUNK_EXTENSIONS_OVERFLOW', reason: 'Chunk extensions overflow', offset: 17377, frame: 16, status: 200, headers: 1, bodyBytes: 0, next: clientError('HPE_CHUNK_EXTENSIONS_OVERFLOW') }),
    );
  });

  it('a chunked request, then a keep-alive request in the same segment: both read (4 B, then GET /2)', async () => {
    const file = capture(
      ['client', 'POST /1 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n'],
      ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
      ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
    );
    const { byMessage } = await verdictsOf(file);
    expect(byMessage['request 1']).toEqual(accepted({ method: 'POST', url: '/1', headers: 2, bodyBytes: 4 }));
    expect(byMessage['request 2']).toEqual(accepted({ method: 'GET', url: '/2', headers: 1, bodyBytes: 0 }));
  });

  it('an HTTP/1.0 keep-alive chunked request whose trailer says Connection: close: HTTP/1.0 ignores it, the next request is read', async () => {
    const file = capture(
      ['client', 'POST /1 HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nConnection: close\r\n\r\n'],
      ['client', 'GET /2 HTTP/1.1\r\nHost: a\r\n\r\n'],
      ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
      ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
    );
    const { byMessage } = await verdictsOf(file);
    expect(byMessage['request 1']).toEqual(accepted({ method: 'POST', url: '/1', headers: 3, bodyBytes: 2 }));
    // Read, not HPE_CLOSED_CONNECTION; the URL and trailer field the binding flushed at the first
    // request's end are its own (req.trailers), not the next head's. Node 20.20's http.Server,
    // sent these bytes (answering with Content-Length: 0), gave req.url '/2', req.rawHeaders ['Host', 'a'].
    expect(byMessage['request 2']).toEqual(accepted({ method: 'GET', url: '/2', headers: 1, bodyBytes: 0 }));
  });

  it('an HTTP/1.1 chunked request with a trailer, then two keep-alive requests: each read with its own URL and fields', async () => {
    // After a trailer the binding passes every later head in flushes (kOnHeaders), as it does a long one.
    const file = capture(
      ['client', 'POST /1 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\nX-T: 1\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n'],
      ['client', 'GET /3 HTTP/1.1\r\nHost: b\r\nX: y\r\n\r\n'],
      ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
      ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
      ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'],
    );
    const { byMessage } = await verdictsOf(file);
    expect(byMessage['request 1']).toEqual(accepted({ method: 'POST', url: '/1', headers: 2, bodyBytes: 4 }));
    expect(byMessage['request 2']).toEqual(accepted({ method: 'GET', url: '/2', headers: 1, bodyBytes: 0 }));
    expect(byMessage['request 3']).toEqual(accepted({ method: 'GET', url: '/3', headers: 2, bodyBytes: 0 }));
  });

  it('the last chunk ends a segment, its final CRLF in the next: complete, the next response read', async () => {
    const file = capture(['client', GET + GET], ['server', `${CHUNKED}3\r\nabc\r\n0\r\n`], ['server', '\r\n'], ['server', `${CHUNKED}2\r\nok\r\n0\r\n\r\n`]);
    expect((await verdictsOf(file)).byMessage).toEqual({ 'request 1': getSlash, 'response 1': got(3), 'request 2': getSlash, 'response 2': got(2) });
  });

  it("the client's FIN inside a chunk: HPE_INVALID_EOF_STATE at the end of the stream (offset 62, frame 4)", async () => {
    const file = conversationCapture([['client', 'POST /1 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab'], ['fin', 'client']]);
    expect((await verdictsOf(file)).byMessage['request 1']).toEqual(
      accepted({
        code: 'HPE_INVALID_EOF_STATE',
        reason: 'Invalid EOF state',
        offset: 62,
        frame: 4,
        method: 'POST',
        url: '/1',
        headers: 2,
        bodyBytes: 2,
        next: "'clientError' at the client's FIN; by default 400 Bad Request on the half-open socket, and close",
      }),
    );
  });
});
