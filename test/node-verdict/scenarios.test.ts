/**
 * Node's verdict on the scenario recordings (captures/, recorded from real Node.js peers): what the
 * running Node.js's parser makes of each message, with the exact code, offset and frame where it
 * stops. The frames are those of captures/*.expected.json.
 */
import { describe, expect, it } from 'vitest';
import { capture } from '../helpers/captures.js';
import { accepted, rejected, verdictsOf } from './helpers.js';

const serverError = (reply: string) => `'clientError'; by default ${reply}`;

describe('scenario recordings through Node\'s parser', () => {
  it('15 garbage request line (`GET /hello world HTTP/1.1`): HPE_INVALID_CONSTANT at offset 11 (frame 4); the 400 is read', async () => {
    expect((await verdictsOf(capture('15-garbage-request-line.pcapng'))).byMessage).toEqual({
      'request 1': rejected({ code: 'HPE_INVALID_CONSTANT', reason: 'Expected HTTP/, RTSP/ or ICE/', offset: 11, frame: 4, next: serverError('400 Bad Request and close') }),
      'response 1': accepted({ status: 400, headers: 1, bodyBytes: 0 }),
    });
  });

  it('14 header overflow: HPE_HEADER_OVERFLOW at offset 16555 (frame 4) with the default maxHeaderSize; accepted with 32768', async () => {
    const file = capture('14-header-overflow.pcapng');
    expect((await verdictsOf(file)).byMessage['request 1']).toEqual(
      rejected({ code: 'HPE_HEADER_OVERFLOW', reason: 'Header overflow', offset: 16555, frame: 4, next: serverError('431 Request Header Fields Too Large and close') }),
    );
    const raised = await verdictsOf(file, { maxHeaderSize: 32768, insecureHTTPParser: false });
    expect(raised.byMessage['request 1']).toEqual(accepted({ method: 'GET', url: '/', headers: 2, bodyBytes: 0 }));
  });

  it('08 overrun: the 200 with its 3 declared bytes, then HPE_INVALID_CONSTANT at the excess byte (offset 125, frame 6)', async () => {
    expect((await verdictsOf(capture('08-content-length-overrun.pcapng'))).byMessage['response 1']).toEqual(
      accepted({
        status: 200,
        headers: 4,
        bodyBytes: 3,
        code: 'HPE_INVALID_CONSTANT',
        reason: 'Expected HTTP/, RTSP/ or ICE/',
        offset: 125,
        frame: 6,
        next: "the request emits 'error' (HPE_INVALID_CONSTANT) and the socket is destroyed",
      }),
    );
  });

  it("09 underrun: the 200 is delivered with 2 body bytes, then 'aborted' (ECONNRESET) at the close", async () => {
    expect((await verdictsOf(capture('09-content-length-underrun.pcapng'))).byMessage['response 1']).toEqual(
      accepted({ status: 200, headers: 4, bodyBytes: 2, code: 'ECONNRESET', reason: 'aborted', next: "the response emits 'aborted' and 'error' (ECONNRESET 'aborted'): the body ends short" }),
    );
  });

  it('20 pipelining: three requests in one segment, three responses each read by its own replayed request', async () => {
    const { byMessage } = await verdictsOf(capture('20-pipelining.pcapng'));
    expect(Object.keys(byMessage)).toHaveLength(6);
    for (const [i, path] of ['/a', '/b', '/c'].entries()) {
      expect(byMessage[`request ${i + 1}`]).toEqual(accepted({ method: 'GET', url: path, headers: 1, bodyBytes: 0 }));
      expect(byMessage[`response ${i + 1}`]).toEqual(accepted({ status: 200, headers: 4, bodyBytes: 15 }));
    }
  });

  it('18 Expect: 100-continue: the PUT with its 33 body bytes, the 100 as an interim response, then the 200', async () => {
    expect((await verdictsOf(capture('18-expect-100-continue.pcapng'))).byMessage).toEqual({
      'request 1': accepted({ method: 'PUT', url: '/upload', headers: 5, bodyBytes: 33 }),
      'interim 1.1': accepted({ status: 100, headers: 0, bodyBytes: 0 }),
      'response 1': accepted({ status: 200, headers: 4, bodyBytes: 18 }),
    });
  });

  it('16 upgrade and 27 CONNECT: accepted, then Node hands the socket over (the tunnel is not parsed)', async () => {
    expect((await verdictsOf(capture('16-upgrade.pcapng'))).byMessage).toEqual({
      'request 1': accepted({ method: 'GET', url: '/chat', headers: 3, bodyBytes: 0 }),
      'response 1': accepted({ status: 101, headers: 2, bodyBytes: 0 }),
    });
    expect((await verdictsOf(capture('27-connect-tunnel.pcapng'))).byMessage).toEqual({
      'request 1': accepted({ method: 'CONNECT', url: '127.0.0.1:5227', headers: 2, bodyBytes: 0 }),
      'response 1': accepted({ status: 200, headers: 0, bodyBytes: 0 }),
    });
  });

  const serverClosedOnBody = "the request emits 'aborted' and 'error' (ECONNRESET 'aborted'): the server closed the socket with its body unfinished";

  it("47 upload refused early: the server closed first, tearing the request down itself ('aborted') — no EOF of the client's, so no HPE_INVALID_EOF_STATE", async () => {
    expect((await verdictsOf(capture('47-upload-refused-early.pcapng'))).byMessage).toEqual({
      'request 1': accepted({ method: 'POST', url: '/upload', headers: 3, bodyBytes: 290693, code: 'ECONNRESET', reason: 'aborted', next: serverClosedOnBody }),
      'response 1': accepted({ status: 413, headers: 4, bodyBytes: 8 }),
    });
  });

  it("13 body never sent: requestTimeout's 408 and the server's close come before the client's FIN — the request is 'aborted', not a clientError at EOF", async () => {
    expect((await verdictsOf(capture('13-body-never-sent.pcapng'))).byMessage['request 1']).toEqual(
      accepted({ method: 'POST', url: '/upload', headers: 4, bodyBytes: 0, code: 'ECONNRESET', reason: 'aborted', next: serverClosedOnBody }),
    );
  });

  it("12 incomplete headers: headersTimeout's 408 and the server's close come first — the unfinished head never became a request, and Node saw no EOF to fault it (no verdict)", async () => {
    expect((await verdictsOf(capture('12-incomplete-headers.pcapng'))).byMessage['request 1']).toBeNull();
  });

  it('22 duplicate Host: Node 20 accepts the request (2 fields)', async () => {
    expect((await verdictsOf(capture('22-duplicate-host.pcapng'))).byMessage['request 1']).toEqual(accepted({ method: 'GET', url: '/', headers: 2, bodyBytes: 0 }));
  });

  it('without nodeVerdict every message has node: null', async () => {
    const { analyse } = await import('../../src/analysis/analysis.js');
    const nodes: unknown[] = [];
    await analyse(capture('08-content-length-overrun.pcapng'), {}, { exchange: (x) => nodes.push(x.request?.node, x.response?.node) });
    expect(nodes).toEqual([null, null]);
  });
});
