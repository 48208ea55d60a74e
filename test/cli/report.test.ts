/**
 * `wirelens report` on the real recordings under captures/. Every frame number and byte count
 * asserted here was read with tshark first (`tshark -r F -T fields -e frame.number -e tcp.len
 * -e tcp.stream -d tcp.port==51NN,http`, and `-z follow,tcp,ascii,0` for the bytes); the tests
 * also ask tshark again for the frames they rely on, so a re-recorded capture fails loudly here
 * instead of silently agreeing with itself.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../src/capture/source.js';
import { parseBodyLimit } from '../../src/cli/report.js';
import { UsageError } from '../../src/cli/usage-error.js';
import type { CaptureModel, ConnectionModel, MessageModel } from '../../src/model/types.js';
import { capture } from '../helpers/captures.js';
import { runCli } from '../helpers/cli.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { tshark } from '../helpers/tshark.js';

async function model(name: string, extra: string[] = []): Promise<CaptureModel> {
  const r = await runCli(['report', capture(name), '--json', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as CaptureModel;
}

async function only(name: string): Promise<ConnectionModel> {
  const m = await model(name);
  expect(m.connections).toHaveLength(1);
  return m.connections[0];
}

const msg = (m: MessageModel | null | undefined): MessageModel => {
  if (!m) throw new Error('message missing');
  return m;
};

interface TsharkFrame {
  len: number;
  stream: number;
  fromServer: boolean;
  request: string;
  code: string;
}

/** tshark's per-frame view: TCP payload length, stream, and the HTTP it dissects in that frame. */
function tsharkFrames(name: string): Map<number, TsharkFrame> {
  const port = Number(/^(\d\d)/.exec(name)?.[1]) + 5100;
  const out = tshark([
    '-r', capture(name), '-d', `tcp.port==${port},http`, '-T', 'fields',
    '-e', 'frame.number', '-e', 'tcp.len', '-e', 'tcp.stream', '-e', 'tcp.srcport',
    '-e', 'http.request.method', '-e', 'http.request.uri', '-e', 'http.response.code',
  ]);
  const frames = new Map<number, TsharkFrame>();
  for (const line of out.split('\n').filter(Boolean)) {
    const [n, len, stream, src, method, uri, code] = line.split('\t');
    frames.set(Number(n), { len: Number(len), stream: Number(stream), fromServer: Number(src) === port, request: method ? `${method} ${uri}` : '', code });
  }
  return frames;
}

/** Asserts what tshark says about the given frames: [frame, tcp.len, from server?]. */
function expectTshark(name: string, expected: Array<[number, number, 'c→s' | 's→c']>): void {
  const frames = tsharkFrames(name);
  expect(expected.map(([n]) => [n, frames.get(n)?.len, frames.get(n)?.fromServer ? 's→c' : 'c→s'])).toEqual(expected);
}

describe('report --json on real captures (exact values, checked with tshark)', () => {
  it('06-res-end: headers and body packed in frame 6', async () => {
    // tshark: 4 GET / (64 B, c→s), 6 HTTP 200 (135 B = 123-byte head + Content-Length 12), FINs 8 (client), 9 (server).
    expectTshark('06-res-end.pcapng', [[4, 64, 'c→s'], [6, 135, 's→c'], [8, 0, 'c→s'], [9, 0, 's→c']]);
    const c = await only('06-res-end.pcapng');
    expect(c).toMatchObject({
      id: 1,
      server: '127.0.0.1:5106',
      protocol: 'http',
      firstFrame: 1,
      lastFrame: 10,
      handshake: { syn: { frame: 1 }, synAck: { frame: 2 }, ack: { frame: 3 }, clientMss: 65495, serverMss: 65495 },
      teardown: { kind: 'fin', closedFirstBy: 'client', clientFin: { frame: 8 }, serverFin: { frame: 9 } },
      bytes: { client: 64, server: 135 },
      capturePoint: { kind: 'loopback', maxSegment: { client: 64, server: 135 } },
      end: 'close',
    });
    const [x] = c.exchanges;
    expect(msg(x.request)).toMatchObject({ method: 'GET', target: '/', headSize: 64, frames: [4], packing: { verdict: 'no-body' } });
    expect(msg(x.response)).toMatchObject({
      status: 200,
      reason: 'OK',
      headSize: 123,
      complete: true,
      frames: [6],
      framing: { kind: 'content-length', declared: 12, actualBodyBytes: 12 },
      packing: { verdict: 'packed', sharedFrame: 6, headerFrames: [6], bodyFrames: [6], headerSplit: false },
      offsets: { headStart: 0, headEnd: 123, bodyEnd: 135 },
    });
    // tshark: frame 4 at 0.002267 s, frame 6 at 0.006191 s.
    expect(x.timing.ttfb).toBeCloseTo(0.003924, 6);
  });

  it('05-flushheaders-then-end: the header section alone in frame 6, the body 50.8 ms later in frame 8', async () => {
    // tshark: 6 = 157 B (the whole chunked header section), 8 = 22 B ("c\r\nhello world\n\r\n0\r\n\r\n"); tshark
    // shows the 200 at frame 8, where it finished reassembling it.
    expectTshark('05-flushheaders-then-end.pcapng', [[4, 64, 'c→s'], [6, 157, 's→c'], [8, 22, 's→c']]);
    expect(tsharkFrames('05-flushheaders-then-end.pcapng').get(8)?.code).toBe('200');
    const res = msg((await only('05-flushheaders-then-end.pcapng')).exchanges[0].response);
    expect(res).toMatchObject({
      headSize: 157,
      frames: [6, 8],
      framing: { kind: 'chunked', chunks: 1, chunkSizes: [12], lastChunk: true, actualBodyBytes: 12 },
      packing: { verdict: 'headers-only-segment', sharedFrame: null, headerFrames: [6], bodyFrames: [8] },
      offsets: { headStart: 0, headEnd: 157, bodyEnd: 179 },
    });
    // tshark: frame 6 at 0.004285 s, frame 8 at 0.055072 s.
    expect((res.times.end - (res.times.headersEnd as number)) * 1000).toBeCloseTo(50.787, 3);
  });

  it('07-three-writes: chunked, 3 chunks (11, 12, 11 B) and the last chunk, all corked into frame 6', async () => {
    // tshark: frame 6 = 185 B, http.chunk_size 11,12,11,0; the body framing is 16 + 17 + 16 + 5 = 54 B, head 131 B.
    expectTshark('07-three-writes.pcapng', [[6, 185, 's→c']]);
    expect(tshark(['-r', capture('07-three-writes.pcapng'), '-d', 'tcp.port==5107,http', '-Y', 'http.response', '-T', 'fields', '-e', 'http.chunk_size']).trim()).toBe('11,12,11,0');
    const res = msg((await only('07-three-writes.pcapng')).exchanges[0].response);
    expect(res).toMatchObject({
      headSize: 131,
      complete: true,
      framing: { kind: 'chunked', chunks: 3, chunkSizes: [11, 12, 11], lastChunk: true, actualBodyBytes: 34, trailers: [] },
      packing: { verdict: 'packed', sharedFrame: 6, bodyFrames: [6] },
      offsets: { headEnd: 131, bodyEnd: 185 },
    });
  });

  it('02-keepalive-agent: one connection, reuse 1/2/3, idle 105.0 ms and 1201.8 ms, a TCP keep-alive probe in frame 11', async () => {
    // tshark: requests 4 (0.002512), 8 (0.109349), 13 (1.311738); responses 6 (0.004349), 9 (0.109941),
    // 14 (1.312184); frame 11 is a zero-length keep-alive probe; client FIN 16, server FIN 17.
    expectTshark('02-keepalive-agent.pcapng', [[4, 65, 'c→s'], [6, 138, 's→c'], [8, 65, 'c→s'], [9, 138, 's→c'], [11, 0, 'c→s'], [13, 65, 'c→s'], [14, 138, 's→c']]);
    const c = await only('02-keepalive-agent.pcapng');
    expect(c).toMatchObject({ keepAlives: { client: 1, server: 0 }, retransmissions: { client: 0, server: 0 }, teardown: { closedFirstBy: 'client', clientFin: { frame: 16 }, serverFin: { frame: 17 } } });
    expect(c.exchanges.map((x) => [x.reuse.index, x.reuse.reused, msg(x.request).target, msg(x.request).frames, msg(x.response).frames, x.reuse.keepAlive])).toEqual([
      [1, false, '/1', [4], [6], { timeout: 5, max: null }],
      [2, true, '/2', [8], [9], { timeout: 5, max: null }],
      [3, true, '/3', [13], [14], { timeout: 5, max: null }],
    ]);
    expect(c.exchanges[0].reuse.idleBefore).toBeNull();
    expect(c.exchanges[1].reuse.idleBefore).toBeCloseTo(0.109349 - 0.004349, 6);
    expect(c.exchanges[2].reuse.idleBefore).toBeCloseTo(1.311738 - 0.109941, 6);
  });

  it('08-content-length-overrun: declared 3, body 3, then 1 excess byte in the same frame 6', async () => {
    // tshark: frame 6 = 126 B = 122-byte head + "1234"; tshark's 200 drops the "4" without a word.
    expectTshark('08-content-length-overrun.pcapng', [[6, 126, 's→c']]);
    const c = await only('08-content-length-overrun.pcapng');
    const res = msg(c.exchanges[0].response);
    expect(res).toMatchObject({ headSize: 122, complete: true, framing: { kind: 'content-length', declared: 3, actualBodyBytes: 3 }, frames: [6], deviations: [] });
    expect(c.deviations).toEqual([
      {
        code: 'excess-after-body',
        offset: 125,
        message: '1 byte(s) after the end of the message body do not start a message',
        frames: [6],
        length: 1,
        direction: 'server',
        afterMessage: 1,
        exchange: 1,
      },
    ]);
  });

  it('09-content-length-underrun: declared 3, 2 arrived, truncated by the server close ~2 s later', async () => {
    // tshark: frame 6 = 124 B = 122-byte head + "12"; keep-alive probe 8 (c→s, 0 B); server FIN 10 at 2.007528 s.
    expectTshark('09-content-length-underrun.pcapng', [[6, 124, 's→c'], [8, 0, 'c→s'], [10, 0, 's→c']]);
    const c = await only('09-content-length-underrun.pcapng');
    const res = msg(c.exchanges[0].response);
    expect(res).toMatchObject({
      complete: false,
      framing: { kind: 'content-length', declared: 3, actualBodyBytes: 2 },
      frames: [6],
      packing: { verdict: 'packed', sharedFrame: 6 },
      deviations: [{ code: 'truncated-by-close', offset: 124, message: 'the connection closed in the body, 1 byte(s) short', frames: [6], length: 1 }],
    });
    expect(c.exchanges[0].reuse.keepAlive).toEqual({ timeout: 1, max: null });
    expect(c.teardown).toMatchObject({ kind: 'fin', closedFirstBy: 'server', serverFin: { frame: 10 }, clientFin: { frame: 11 } });
    expect(c.teardown.serverFin!.time - res.times.end).toBeCloseTo(2.007528 - 0.00428, 6);
  });

  it('11-max-requests-per-socket: 4 pipelined requests in frame 4; 200, 200, 200 (Connection: close), 503', async () => {
    // tshark: frame 4 = 164 B holding GET /1../4 (41 B each); responses 6 (145 B), 8 (145), 10 (110), 12 (125 = 503).
    expectTshark('11-max-requests-per-socket.pcapng', [[4, 164, 'c→s'], [6, 145, 's→c'], [8, 145, 's→c'], [10, 110, 's→c'], [12, 125, 's→c']]);
    const c = await only('11-max-requests-per-socket.pcapng');
    expect(
      c.exchanges.map((x) => [
        msg(x.request).target,
        msg(x.request).offsets.headStart,
        x.pipelined,
        msg(x.response).status,
        msg(x.response).frames,
        x.reuse.keepAlive,
        x.reuse.connectionClose.response,
      ]),
    ).toEqual([
      ['/1', 0, false, 200, [6], { timeout: 5, max: 3 }, false],
      ['/2', 41, true, 200, [8], { timeout: 5, max: 3 }, false],
      ['/3', 82, true, 200, [10], null, true],
      ['/4', 123, true, 503, [12], null, true],
    ]);
    expect(msg(c.exchanges[3].response).framing).toMatchObject({ kind: 'chunked', chunks: 0, actualBodyBytes: 0, lastChunk: true });
    // The server does not close after Connection: close; the client does (frame 14).
    expect(c.teardown).toMatchObject({ closedFirstBy: 'client', clientFin: { frame: 14 } });
  });

  it('16-upgrade: 101 in frame 6, then 28 B each way not parsed as HTTP', async () => {
    // tshark: 4 GET /chat (80 B), 6 HTTP 101 (72 B), 8 c→s 28 B, 9 s→c 28 B (not dissected as HTTP).
    expectTshark('16-upgrade.pcapng', [[4, 80, 'c→s'], [6, 72, 's→c'], [8, 28, 'c→s'], [9, 28, 's→c']]);
    const c = await only('16-upgrade.pcapng');
    expect(c.exchanges).toHaveLength(1);
    expect(msg(c.exchanges[0].response)).toMatchObject({ status: 101, framing: { kind: 'tunnel', reason: 'switching-protocols' }, frames: [6] });
    expect(c.protocolSwitch).toEqual({
      kind: 'upgrade',
      exchange: 1,
      upgradeTo: 'echo',
      frame: 6,
      time: c.exchanges[0].response!.times.headersEnd,
      offsets: { client: 80, server: 72 },
    });
    expect(c.uninspectedBytes).toEqual({ client: 28, server: 28 });
    expect(c.deviations).toEqual([]);
  });

  it('17-early-hints: 103 (frame 6) before the 200 (frame 8)', async () => {
    // tshark: 6 = HTTP 103 (71 B), 8 = HTTP 200 (176 B = 123-byte head + 53-byte body).
    expectTshark('17-early-hints.pcapng', [[6, 71, 's→c'], [8, 176, 's→c']]);
    const x = (await only('17-early-hints.pcapng')).exchanges[0];
    expect(x.interim.map((i) => [i.status, i.reason, i.frames, i.headSize, i.framing?.reason])).toEqual([[103, 'Early Hints', [6], 71, 'informational']]);
    expect(x.interim[0].headers).toEqual([{ name: 'Link', value: '</style.css>; rel=preload; as=style', offset: 26 }]);
    expect(msg(x.response)).toMatchObject({ status: 200, frames: [8], headSize: 123, framing: { declared: 53, actualBodyBytes: 53 } });
    expect(x.timing.firstResponseByte).toBe(x.interim[0].times.start);
  });

  it('18-expect-100-continue: request headers (frame 4), 100 (6), request body (8), 200 (9); TTFB not negative', async () => {
    // tshark: 4 = 138 B PUT head (Expect: 100-continue), 6 = HTTP 100 (25 B), 8 = 33-byte body, 9 = HTTP 200 (141 B).
    expectTshark('18-expect-100-continue.pcapng', [[4, 138, 'c→s'], [6, 25, 's→c'], [8, 33, 'c→s'], [9, 141, 's→c']]);
    const x = (await only('18-expect-100-continue.pcapng')).exchanges[0];
    expect(msg(x.request)).toMatchObject({
      method: 'PUT',
      target: '/upload',
      frames: [4, 8],
      framing: { declared: 33, actualBodyBytes: 33 },
      packing: { verdict: 'headers-only-segment', headerFrames: [4], bodyFrames: [8] },
    });
    expect(x.interim.map((i) => [i.status, i.frames])).toEqual([[100, [6]]]);
    expect(msg(x.response)).toMatchObject({ status: 200, frames: [9], framing: { declared: 18, actualBodyBytes: 18 } });
    // The client waited from its header section (frame 4, 0.002459 s) to the 100 (frame 6, 0.003826 s).
    expect(x.timing.ttfb).toBeCloseTo(0.003826 - 0.002459, 6);
    expect(x.timing.firstResponseByte! - x.timing.requestEnd!).toBeCloseTo(0.003826 - 0.004862, 6);
  });

  it('27-connect-tunnel: 200 to CONNECT in frame 6, then 25 B each way through the tunnel', async () => {
    // tshark: 4 CONNECT 127.0.0.1:5227 (76 B), 6 HTTP 200 (39 B), 8 c→s 25 B, 9 s→c 25 B.
    expectTshark('27-connect-tunnel.pcapng', [[4, 76, 'c→s'], [6, 39, 's→c'], [8, 25, 'c→s'], [9, 25, 's→c']]);
    const c = await only('27-connect-tunnel.pcapng');
    expect(msg(c.exchanges[0].request)).toMatchObject({ method: 'CONNECT', target: '127.0.0.1:5227' });
    expect(msg(c.exchanges[0].response)).toMatchObject({ status: 200, reason: 'Connection Established', framing: { kind: 'tunnel', reason: 'connect-tunnel' } });
    expect(c.protocolSwitch).toMatchObject({ kind: 'connect', exchange: 1, upgradeTo: null, frame: 6, offsets: { client: 76, server: 39 } });
    expect(c.uninspectedBytes).toEqual({ client: 25, server: 25 });
  });
});

describe('report (text)', () => {
  it('06-res-end: the exact lines, every number checked against tshark', async () => {
    // tshark -r 06-res-end.pcapng: SYN 1 (0), SYN-ACK 2 (0.000057), ACK 3, GET 4 (0.002267, 64 B),
    // 200 6 (0.006191, 135 B), client FIN 8 (0.009681), server FIN 9 (0.010521), last frame 10
    // (0.010552); MSS 65495 both ways (tcp.options.mss_val).
    const r = await runCli(['report', capture('06-res-end.pcapng')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Connection 1 {2}127\.0\.0\.1:48478 → 127\.0\.0\.1:5106 {2}HTTP\/1\.x {2}\+0\.000s, 10\.6ms, frames 1–10$/);
    expect(lines.slice(1, 8)).toEqual([
      '  handshake  SYN frame 1 → SYN-ACK frame 2 → ACK frame 3, RTT 57µs',
      '  [1] GET / → 200 OK   (TTFB 3.9ms, total 3.9ms)',
      '      request   64 B head, no body; headers in frame 4',
      '      response  123 B head, Content-Length: 12, body 12 B; headers and body packed in frame 6',
      '      reuse     first request on the connection; Keep-Alive: timeout=5',
      '  teardown   ended with FIN, client closed first: client FIN (frame 8, +9.7ms), server FIN (frame 9, +10.5ms)',
      '  capture    loopback capture (MSS 65495): one segment holds up to 64 KiB, so a message packed here may be split on a 1460-byte-MSS network; headers-only segments still reflect the application',
    ]);
    expect(lines.slice(8)).toEqual(['', '10 frames, 1 TCP connection, 1 HTTP exchange', '']);
  });

  it('08: the excess byte and 09: the short body are stated with their frames', async () => {
    const over = await runCli(['report', capture('08-content-length-overrun.pcapng')]);
    expect(over.stdout).toContain('      response  122 B head, Content-Length: 3, body 3 B; headers and body packed in frame 6\n');
    expect(over.stdout).toContain('  ! server stream: excess-after-body at offset 125 (frame 6): 1 byte(s) after the end of the message body do not start a message\n');
    const under = await runCli(['report', capture('09-content-length-underrun.pcapng')]);
    expect(under.stdout).toContain('      response  122 B head, Content-Length: 3, body 2 B (1 B short); headers and body packed in frame 6  INCOMPLETE\n');
    expect(under.stdout).toContain('        ! truncated-by-close at offset 124 (frame 6): the connection closed in the body, 1 byte(s) short\n');
  });

  it('18: the 100 Continue line and a positive TTFB', async () => {
    const r = await runCli(['report', capture('18-expect-100-continue.pcapng')]);
    expect(r.stdout).toContain('  [1] PUT /upload → 200 OK   (TTFB 1.4ms, total 4.0ms)\n');
    expect(r.stdout).toContain('      request   138 B head, Content-Length: 33, body 33 B; headers in frame 4 alone, body in frame 8\n');
    expect(r.stdout).toContain('      100 interim  25 B head, no body; headers in frame 6\n');
  });

  it('the loopback note is said once per run of connections with the same note (tour: 10 connections, 1 note)', async () => {
    const r = await runCli(['report', capture('tour.pcapng')]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('  capture    '))).toHaveLength(1);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('Connection '))).toHaveLength(10);
    expect(r.stdout.endsWith('\n117 frames, 10 TCP connections, 13 HTTP exchanges\n')).toBe(true);
  });
});

describe('report (text) on synthetic captures', () => {
  it('mid-stream pickup: a response without a request, a binary body, no "first request on the connection"', async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation({ clientPort: 40001 })
      .send('server', 'llo"}') // 1: the tail of an earlier response
      .send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok') // 2
      .send('client', 'GET /x HTTP/1.1\r\nHost: a\r\n\r\n') // 3
      .send('server', 'HTTP/1.1 404 Not Found\r\nContent-Type: application/octet-stream\r\nContent-Length: 4\r\n\r\n\x00\x01\x02\x03'); // 4
    const r = await runCli(['report', cap.writeTemp(), '--bodies']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'Connection 1  127.0.0.1:40001 → 127.0.0.1:5000  HTTP/1.x  +0.000s, 3.0ms, frames 1–4',
      '  handshake  not captured (connection picked up mid-stream; client/server guessed)',
      '  [1] (no request) → 200 OK',
      '      response  38 B head, Content-Length: 2, body 2 B; headers and body packed in frame 2',
      '        body: "ok"',
      '      reuse     a response without a request',
      '  [2] GET /x → 404 Not Found   (TTFB 1.0ms, total 1.0ms)',
      '      request   28 B head, no body; headers in frame 3',
      '      response  85 B head, Content-Length: 4, body 4 B; headers and body packed in frame 4',
      '        body: 4 B of application/octet-stream, not text (base64 in --json --bodies)',
      '      reuse     request 2 on this connection, idle 1.0ms before it',
      '  ! server stream: skipped-bytes at offset 0 (frame 1): 5 byte(s) skipped before a start line',
      '  teardown   still open at the end of the capture',
      '',
      '4 frames, 1 TCP connection, 2 HTTP exchanges',
      '',
    ]);
    const json = JSON.parse((await runCli(['report', cap.writeTemp(), '--json', '--bodies'])).stdout) as CaptureModel;
    expect(json.connections[0].exchanges[1].response?.body).toEqual({ kept: 4, truncated: false, contentType: 'application/octet-stream', decodedFrom: null, text: null, base64: 'AAECAw==', note: null });
  });

  it('mid-stream, the first request seen is not called the first on the connection', async () => {
    const cap = new SyntheticCapture();
    cap.conversation().send('client', 'GET /late HTTP/1.1\r\nHost: a\r\n\r\n').send('server', 'HTTP/1.1 204 No Content\r\n\r\n');
    const r = await runCli(['report', cap.writeTemp()]);
    expect(r.stdout).toContain('      reuse     first request seen (the connection was picked up mid-stream)\n');
  });
});

describe('report options', () => {
  it('--bodies shows the body text (text report) and a BodyView (JSON)', async () => {
    // tshark -e http.file_data on frame 6: "hello world\n".
    const text = await runCli(['report', capture('06-res-end.pcapng'), '--bodies']);
    expect(text.stdout).toContain('      response  123 B head, Content-Length: 12, body 12 B; headers and body packed in frame 6\n        body: "hello world\\n"\n');
    const json = await model('06-res-end.pcapng', ['--bodies']);
    const res = msg(json.connections[0].exchanges[0].response);
    expect(res.body).toEqual({ kept: 12, truncated: false, contentType: null, decodedFrom: null, text: 'hello world\n', base64: null, note: null });
    expect(json.connections[0].exchanges[0].request?.body).toBeUndefined();
  });

  it('without --bodies there is no body, in JSON nor text', async () => {
    const json = await model('06-res-end.pcapng');
    expect('body' in msg(json.connections[0].exchanges[0].response)).toBe(false);
    const text = await runCli(['report', capture('06-res-end.pcapng')]);
    expect(text.stdout).not.toContain('body: ');
  });

  it('parseBodyLimit: none kept without --bodies (text and JSON), 64 KiB with it, digits only', () => {
    expect(parseBodyLimit(undefined, false)).toBe(0);
    expect(parseBodyLimit(undefined, true)).toBe(65536);
    expect(parseBodyLimit('0', true)).toBe(0);
    expect(parseBodyLimit('5', true)).toBe(5);
    expect(() => parseBodyLimit('', true)).toThrow(UsageError);
    expect(() => parseBodyLimit('99999999999999999999', true)).toThrow(UsageError);
  });

  it('--body-limit 5 keeps 5 bytes and says the body was truncated', async () => {
    const json = await model('06-res-end.pcapng', ['--bodies', '--body-limit', '5']);
    expect(msg(json.connections[0].exchanges[0].response).body).toEqual({ kept: 5, truncated: true, contentType: null, decodedFrom: null, text: 'hello', base64: null, note: 'the first 5 B of 12 B (--body-limit 5)' });
  });

  // '' and '0x10' used to be accepted (Number('') is 0, Number('0x10') is 16).
  it.each([['abc'], ['-1'], ['1.5'], [''], ['0x10'], ['1e3']])('--body-limit=%j → exit 2, one line, nothing on stdout', async (value) => {
    const r = await runCli(['report', capture('06-res-end.pcapng'), `--body-limit=${value}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`wirelens report: --body-limit must be a whole number of bytes, not '${value}'\n`);
  });

  it('a missing file argument or two files → exit 2', async () => {
    const usage = 'usage: wirelens report FILE [--json] [--conn ID] [--exchange N] [--headers] [--bodies] [--body-limit BYTES]';
    expect(await runCli(['report'])).toMatchObject({ code: 2, stdout: '', stderr: `wirelens report: missing FILE (a capture file, or - for stdin); ${usage}\n` });
    const two = await runCli(['report', capture('06-res-end.pcapng'), capture('07-three-writes.pcapng')]);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe(`wirelens report: unexpected argument '${capture('07-three-writes.pcapng')}'; ${usage}\n`);
  });
});

describe('report on a damaged capture', () => {
  // 02-keepalive-agent.pcapng cut 50 bytes into the 100-byte block of frame 7 (the ACK after the first response).
  const source = readFileSync(capture('02-keepalive-agent.pcapng'));
  const offsets: number[] = [];
  parseCaptureBuffer('02', source, (f) => offsets.push(f.fileOffset));
  const cutAt = offsets[6] + 50;
  const file = join(mkdtempSync(join(tmpdir(), 'wirelens-report-')), 'cut.pcapng');
  writeFileSync(file, source.subarray(0, cutAt));
  const errorLine = `wirelens: ${file}: file ends inside a pcapng block of type 0x00000006 (50 of 100 bytes) at byte offset ${offsets[6]}\n`;

  it('JSON: exit 2, the one-line error, and valid JSON with everything before the damage and `error` filled', async () => {
    expect(offsets[6]).toBe(944);
    const r = await runCli(['report', file, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(errorLine);
    const m = JSON.parse(r.stdout) as CaptureModel;
    expect(m).toMatchObject({ schemaVersion: 1, format: 'pcapng', frames: 6 });
    expect(m.error).toEqual({ code: 'truncated', offset: 944, message: errorLine.slice('wirelens: '.length, -1) });
    expect(m.connections).toHaveLength(1);
    const c = m.connections[0];
    expect(c).toMatchObject({ firstFrame: 1, lastFrame: 6, end: 'capture-end', teardown: { kind: 'open' } });
    expect(c.exchanges.map((x) => [msg(x.request).target, msg(x.response).status, msg(x.response).complete, msg(x.response).frames])).toEqual([['/1', 200, true, [6]]]);
  });

  it('a file that is not a capture / does not exist: exit 2, JSON with no connections and the error', async () => {
    const garbage = join(mkdtempSync(join(tmpdir(), 'wirelens-report-')), 'garbage.cap');
    writeFileSync(garbage, 'garbage, not a capture');
    const r = await runCli(['report', garbage, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`wirelens: ${garbage}: not a pcap or pcapng file (starts with "garbage,")\n`);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: null, frames: 0, firstTime: null, lastTime: null, connections: [], error: { code: 'not-a-capture', offset: 0 } });
    const missing = await runCli(['report', `${garbage}.missing`, '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ frames: 0, connections: [], error: { code: 'io' } });
  });

  it('text: exit 2, the report of the 6 frames read, then the error on stderr', async () => {
    const r = await runCli(['report', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(errorLine);
    expect(r.stdout).toContain('  [1] GET /1 → 200 OK   (TTFB 1.8ms, total 1.8ms)\n');
    expect(r.stdout).toContain('  teardown   still open at the end of the capture\n');
    expect(r.stdout.endsWith('\n6 frames, 1 TCP connection, 1 HTTP exchange\n')).toBe(true);
  });
});
