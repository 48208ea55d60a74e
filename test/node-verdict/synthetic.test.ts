/**
 * Node's verdict on http-evader style captures built with the packet builder: one connection,
 * handshake in frames 1–3, then one frame per step (client request frame 4, server reply frame 5).
 * Every code, offset and frame below is what the running Node.js (20.20, llhttp 9) reported.
 */
import { describe, expect, it } from 'vitest';
import { conversationCapture, type Step } from '../rules/synthetic.js';
import { accepted, rejected, verdictsOf } from './helpers.js';

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n';
const GET = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';
const serverError = "'clientError'; by default 400 Bad Request and close";
const clientError = (code: string) => `the request emits 'error' (${code}) and the socket is destroyed`;
const capture = (...steps: Step[]) => conversationCapture([...steps, ['fin', 'server']]);
const answered400 = accepted({ status: 400, headers: 1, bodyBytes: 0 });
const gotOk = accepted({ status: 200, headers: 1, bodyBytes: 2 });
const getSlash = accepted({ method: 'GET', url: '/', headers: 1, bodyBytes: 0 });
const getSlash2 = accepted({ method: 'GET', url: '/2', headers: 1, bodyBytes: 0 });

describe('requests, as a Node server reads them', () => {
  it('Content-Length with Transfer-Encoding: HPE_INVALID_TRANSFER_ENCODING at the end of the head (frame 4); accepted with insecureHTTPParser', async () => {
    const file = capture(['client', 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'], ['server', BAD_REQUEST]);
    expect((await verdictsOf(file)).byMessage).toEqual({
      'request 1': rejected({ code: 'HPE_INVALID_TRANSFER_ENCODING', reason: "Transfer-Encoding can't be present with Content-Length", offset: 63, frame: 4, next: serverError }),
      'response 1': answered400,
    });
    const lenient = await verdictsOf(file, { maxHeaderSize: null, insecureHTTPParser: true });
    expect(lenient.byMessage['request 1']).toEqual(accepted({ method: 'POST', url: '/', headers: 3, bodyBytes: 0 }));
  });

  it('GARBAGE\\r\\n\\r\\n: HPE_INVALID_METHOD at offset 1 (frame 4)', async () => {
    const file = capture(['client', 'GARBAGE\r\n\r\n'], ['server', BAD_REQUEST]);
    expect((await verdictsOf(file)).byMessage).toEqual({
      'request 1': rejected({ code: 'HPE_INVALID_METHOD', reason: 'Invalid method encountered', offset: 1, frame: 4, next: serverError }),
      'response 1': answered400,
    });
  });

  it('bare LF line ends: HPE_INVALID_VERSION "Expected CRLF after version" at offset 15; lenient mode accepts', async () => {
    const file = capture(['client', 'GET / HTTP/1.1\nHost: a\n\n'], ['server', OK]);
    expect((await verdictsOf(file)).byMessage['request 1']).toEqual(
      rejected({ code: 'HPE_INVALID_VERSION', reason: 'Expected CRLF after version', offset: 15, frame: 4, next: serverError }),
    );
    expect((await verdictsOf(file, { maxHeaderSize: null, insecureHTTPParser: true })).byMessage['request 1']).toEqual(getSlash);
  });

  it('obs-fold: HPE_INVALID_HEADER_TOKEN at offset 38 (the folded line); lenient mode keeps 2 fields', async () => {
    const file = capture(['client', 'GET / HTTP/1.1\r\nHost: a\r\nX-Folded: a\r\n b\r\n\r\n'], ['server', OK]);
    expect((await verdictsOf(file)).byMessage['request 1']).toEqual(
      rejected({ code: 'HPE_INVALID_HEADER_TOKEN', reason: 'Unexpected whitespace after header value', offset: 38, frame: 4, next: serverError }),
    );
    expect((await verdictsOf(file, { maxHeaderSize: null, insecureHTTPParser: true })).byMessage['request 1']).toEqual(accepted({ method: 'GET', url: '/', headers: 2, bodyBytes: 0 }));
  });

  it("maxHeaderSize 40 rejects this 77-byte head with HPE_HEADER_OVERFLOW (Node replies 431); Node's default accepts it", async () => {
    const file = capture(['client', 'GET / HTTP/1.1\r\nHost: a\r\nX-Long: 0123456789012345678901234567890123456789\r\n\r\n'], ['server', OK]);
    const small = await verdictsOf(file, { maxHeaderSize: 40, insecureHTTPParser: false });
    expect(small.byMessage['request 1']).toMatchObject({ accepted: false, code: 'HPE_HEADER_OVERFLOW', frame: 4, next: "'clientError'; by default 431 Request Header Fields Too Large and close" });
    expect((await verdictsOf(file)).byMessage['request 1']).toEqual(accepted({ method: 'GET', url: '/', headers: 2, bodyBytes: 0 }));
  });
});

describe('where Node accepts but reads differently (differs)', () => {
  // Node 20.20.2's server has 1023 fields in rawHeaders here (1000 in req.headers), not the
  // documented maxHeadersCount of 2000 (checked with a bare http.Server as well): exactly the kind of difference to show.
  it('2 001 header fields: the Node server has 1023 of them in rawHeaders, wirelens reads all 2 002', async () => {
    const fields = Array.from({ length: 2001 }, (_, i) => `X-${i}: 1\r\n`).join('');
    const file = capture(['client', `GET / HTTP/1.1\r\nHost: a\r\n${fields}\r\n`], ['server', OK]);
    expect((await verdictsOf(file)).byMessage['request 1']).toEqual(
      accepted({ method: 'GET', url: '/', headers: 1023, bodyBytes: 0, differs: ["Node's rawHeaders has 1023 header fields, wirelens read 2002"] }),
    );
  });
});

describe('responses, as a Node client reads them (for the request the server side parsed)', () => {
  it('two different Content-Length values: HPE_UNEXPECTED_CONTENT_LENGTH at offset 52 (frame 5)', async () => {
    const file = capture(['client', GET], ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc']);
    expect((await verdictsOf(file)).byMessage).toEqual({
      'request 1': getSlash,
      'response 1': rejected({ code: 'HPE_UNEXPECTED_CONTENT_LENGTH', reason: 'Duplicate Content-Length', offset: 52, frame: 5, next: clientError('HPE_UNEXPECTED_CONTENT_LENGTH') }),
    });
  });

  it('HTTP/1.1  200 (two spaces): HPE_INVALID_STATUS at offset 9 (frame 5)', async () => {
    const file = capture(['client', GET], ['server', 'HTTP/1.1  200 ok\r\nContent-Length: 2\r\n\r\nok']);
    expect((await verdictsOf(file)).byMessage['response 1']).toEqual(
      rejected({ code: 'HPE_INVALID_STATUS', reason: 'Invalid status code', offset: 9, frame: 5, next: clientError('HPE_INVALID_STATUS') }),
    );
  });

  it('NUL in the reason phrase: llhttp 9 accepts it (Node delivers the 200)', async () => {
    const file = capture(['client', GET], ['server', 'HTTP/1.1 200 O\u0000K\r\nContent-Length: 2\r\n\r\nok']);
    expect((await verdictsOf(file)).byMessage['response 1']).toEqual(gotOk);
  });

  it('NUL in the status code: HPE_INVALID_STATUS at offset 10 (frame 5)', async () => {
    const file = capture(['client', GET], ['server', 'HTTP/1.1 2\u000000 OK\r\nContent-Length: 2\r\n\r\nok']);
    expect((await verdictsOf(file)).byMessage['response 1']).toMatchObject({ accepted: false, code: 'HPE_INVALID_STATUS', offset: 10, frame: 5 });
  });

  it('garbage chunk size: the response is delivered, then HPE_INVALID_CHUNK_SIZE at offset 47 (frame 5) with no body byte', async () => {
    const file = capture(['client', GET], ['server', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n']);
    expect((await verdictsOf(file)).byMessage['response 1']).toEqual(
      accepted({ code: 'HPE_INVALID_CHUNK_SIZE', reason: 'Invalid character in chunk size', offset: 47, frame: 5, status: 200, headers: 1, bodyBytes: 0, next: clientError('HPE_INVALID_CHUNK_SIZE') }),
    );
  });

  it('a response one byte over its Content-Length: delivered, then HPE_INVALID_CONSTANT "Expected HTTP/" at the excess byte', async () => {
    const file = capture(['client', GET], ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokX']);
    expect((await verdictsOf(file)).byMessage['response 1']).toEqual(
      accepted({ code: 'HPE_INVALID_CONSTANT', reason: 'Expected HTTP/, RTSP/ or ICE/', offset: 40, frame: 5, status: 200, headers: 1, bodyBytes: 2, next: clientError('HPE_INVALID_CONSTANT') }),
    );
  });

  it('HEAD: the response to the replayed HEAD has no body, and the next exchange is read from the right byte', async () => {
    const file = capture(['client', 'HEAD / HTTP/1.1\r\nHost: a\r\n\r\n'], ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n'], ['client', GET], ['server', OK]);
    expect((await verdictsOf(file)).byMessage).toEqual({
      'request 1': accepted({ method: 'HEAD', url: '/', headers: 1, bodyBytes: 0 }),
      'response 1': accepted({ status: 200, headers: 1, bodyBytes: 0 }),
      'request 2': getSlash,
      'response 2': gotOk,
    });
  });

  it('two responses in one segment: Node, one response per request, drops the second', async () => {
    const file = capture(
      ['client', 'GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n'],
      ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb'],
    );
    const { byMessage } = await verdictsOf(file);
    expect(byMessage['request 2']).toEqual(accepted({ method: 'GET', url: '/2', headers: 1, bodyBytes: 0 }));
    expect(byMessage['response 1']).toEqual(accepted({ status: 200, headers: 1, bodyBytes: 1 }));
    expect(byMessage['response 2']).toEqual(rejected({ next: 'not delivered: Node read no message here (one response per request: a second response in the same segment is dropped)' }));
  });
});

describe('bodies across segments, and what a Node server does on its own', () => {
  it('a Content-Length body in three segments is read whole (10 B), and the pipelined request after it from its first byte', async () => {
    const file = capture(
      ['client', 'POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n012'],
      ['client', '3456'],
      ['client', '789GET /2 HTTP/1.1\r\nHost: a\r\n\r\n'],
      ['server', `${OK}${OK}`],
    );
    const { byMessage } = await verdictsOf(file);
    expect(byMessage['request 1']).toEqual(accepted({ method: 'POST', url: '/a', headers: 2, bodyBytes: 10 }));
    expect(byMessage['request 2']).toEqual(getSlash2);
    expect(byMessage['response 1']).toEqual(gotOk);
  });

  it("a request body cut by the client's FIN after 4 of 10 bytes: HPE_INVALID_EOF_STATE at the end of what came (offset 53, frame 5)", async () => {
    const file = conversationCapture([
      ['client', 'POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n012'],
      ['client', '3'],
      ['fin', 'client'],
      ['server', BAD_REQUEST],
      ['fin', 'server'],
    ]);
    expect((await verdictsOf(file)).byMessage['request 1']).toEqual(
      accepted({
        method: 'POST',
        url: '/a',
        headers: 2,
        bodyBytes: 4,
        code: 'HPE_INVALID_EOF_STATE',
        reason: 'Invalid EOF state',
        offset: 53,
        frame: 5,
        next: "'clientError' at the client's FIN; by default 400 Bad Request on the half-open socket, and close",
      }),
    );
  });

  it('a response whose body ends with its segment, then a chunked one in the next segments: each read by its own request', async () => {
    const file = capture(
      ['client', `${GET}GET /2 HTTP/1.1\r\nHost: a\r\n\r\n`],
      ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nab'],
      ['server', 'cd'],
      ['server', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n'],
      ['server', '2\r\nuv\r\n0\r\n\r\n'],
    );
    const { byMessage } = await verdictsOf(file);
    expect(byMessage['response 1']).toEqual(accepted({ status: 200, headers: 1, bodyBytes: 4 }));
    expect(byMessage['response 2']).toEqual(accepted({ status: 200, headers: 1, bodyBytes: 5 }));
  });

  it('a chunked body split inside a chunk: 5 B', async () => {
    const file = capture(['client', GET], ['server', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel'], ['server', 'lo\r\n0\r\n\r\n']);
    expect((await verdictsOf(file)).byMessage['response 1']).toEqual(accepted({ status: 200, headers: 1, bodyBytes: 5 }));
  });

  it('an HTTP/1.1 request without Host: Node answers 400 itself and never delivers it (requireHostHeader)', async () => {
    const file = capture(['client', 'GET / HTTP/1.1\r\n\r\n'], ['server', BAD_REQUEST]);
    expect((await verdictsOf(file)).byMessage['request 1']).toEqual(
      rejected({ next: 'not delivered: Node answers an HTTP/1.1 request without Host itself, 400 Bad Request and close (requireHostHeader)' }),
    );
  });

  it('a request after one with Connection: close, in a later segment: Node had closed the connection', async () => {
    const file = capture(['client', 'GET /1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'], ['server', OK], ['client', 'GET /2 HTTP/1.1\r\nHost: a\r\n\r\n'], ['server', OK]);
    const { byMessage } = await verdictsOf(file);
    expect(byMessage['request 1']).toEqual(accepted({ method: 'GET', url: '/1', headers: 2, bodyBytes: 0 }));
    expect(byMessage['request 2']).toEqual(rejected({ next: 'never parsed: Node had closed the connection after answering GET /1, a request without keep-alive' }));
  });
});

describe('the capture ends with the connection open', () => {
  it("a response body still arriving: accepted with the bytes read so far, no 'aborted' (no close was seen)", async () => {
    const file = conversationCapture([['client', GET], ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc']]);
    expect((await verdictsOf(file)).byMessage).toEqual({ 'request 1': getSlash, 'response 1': accepted({ status: 200, headers: 1, bodyBytes: 3 }) });
  });

  it('a request body still being sent: accepted, no HPE_INVALID_EOF_STATE (the client never closed)', async () => {
    const file = conversationCapture([['client', 'POST /1 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab']]);
    expect((await verdictsOf(file)).byMessage['request 1']).toEqual(accepted({ method: 'POST', url: '/1', headers: 2, bodyBytes: 2 }));
  });

  it("the server's FIN in the body, the client's side still open: 'aborted' as at a close", async () => {
    const file = conversationCapture([['client', GET], ['server', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'], ['fin', 'server']]);
    expect((await verdictsOf(file)).byMessage['response 1']).toEqual(
      accepted({ status: 200, headers: 1, bodyBytes: 3, code: 'ECONNRESET', reason: 'aborted', next: "the response emits 'aborted' and 'error' (ECONNRESET 'aborted'): the body ends short" }),
    );
  });
});
