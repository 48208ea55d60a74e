/**
 * `wirelens report` on the real recordings under captures/. Every frame number and byte count
 * asserted here was read with tshark first (`tshark -r F -T fields -e frame.number -e tcp.len
 * -e tcp.stream -d tcp.port==51NN,http`, and `-z follow,tcp,ascii,0` for the bytes); the tests
 * also ask tshark again for the frames they rely on, so a re-recorded capture fails loudly here
 * instead of silently agreeing with itself.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptureBuffer } from '../../src/capture/source.js';
import { parseBodyLimit } from '../../src/cli/report.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { capture } from '../helpers/captures.js';
import { runCli } from '../helpers/cli.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { msg, parseReport, reportJson, type NestedConnection } from '../helpers/report-json.js';
import { tshark } from '../helpers/tshark.js';
import { tempDir } from '../helpers/temp.js';

/** report --json, nested into connections with their exchanges (test/helpers/report-json.ts). */
const model = (name: string, extra: string[] = []) => reportJson(name, extra);

async function only(name: string): Promise<NestedConnection> {
  const m = await model(name);
  expect(m.connections).toHaveLength(1);
  return m.connections[0];
}

interface TsharkFrame {
  len: number;
  stream: number;
  fromServer: boolean;
  request: string;
  code: string;
}

/** tshark's per-frame view: TCP payload length, stream, and the HTTP it dissects in that frame. */
function tsharkFrames(name: string): Map<number, TsharkFrame> {
  // Scenarios 01–27 listen on 5100 + NN, the rule scenarios (28 on) on 5100 + NN + 1 (captures/README.md).
  const scenario = Number(/^(\d\d)/.exec(name)?.[1]);
  const port = 5100 + scenario + (scenario >= 28 ? 1 : 0);
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
      start: 0,
      // SYN-ACK 0.000057 s after the SYN (tshark frame.time_relative of frame 2).
      handshake: { syn: { frame: 1 }, synAck: { frame: 2 }, ack: { frame: 3 }, rtt: 0.000057, clientMss: 65495, serverMss: 65495 },
      teardown: { kind: 'fin', closedFirstBy: 'client', clientFin: { frame: 8 }, serverFin: { frame: 9 } },
      frames: { client: 6, server: 4, total: 10 },
      bytes: { client: 64, server: 135 },
      outOfOrder: { client: 0, server: 0 },
      zeroWindow: { client: 0, server: 0 },
      conflictingOverlaps: 0,
      capturePoint: { kind: 'loopback', maxSegment: { client: 64, server: 135 } },
      exchanges: [expect.anything()],
      // The client's FIN (frame 8, 0.009681 s) came 3.49 ms after the response's last byte (frame 6, 0.006191 s).
      closing: { first: { frame: 8, by: 'client', kind: 'fin' }, idleBefore: 0.00349, afterConnectionClose: null },
      end: 'close',
    });
    const [x] = c.exchanges;
    expect(x).toMatchObject({ connection: 1, index: 1, before: { serverFin: null, serverRst: null, requestAfterServerFin: null, connectionClose: null } });
    expect(msg(x.request)).toMatchObject({ method: 'GET', target: '/', status: null, reason: null, headSize: 64, frames: [4], endFrame: 4, stall: null, body: null, packing: { verdict: 'no-body' } });
    expect(msg(x.response)).toMatchObject({
      method: null,
      target: null,
      status: 200,
      reason: 'OK',
      headSize: 123,
      complete: true,
      frames: [6],
      endFrame: 6,
      stall: null,
      body: null,
      framing: { kind: 'content-length', reason: 'content-length', declared: 12, actualBodyBytes: 12, chunks: null, chunkSizes: null, lastChunk: null, trailers: null, excess: null },
      packing: { verdict: 'packed', sharedFrame: 6, headerFrames: [6], bodyFrames: [6], headerSplit: false },
      offsets: { headStart: 0, headEnd: 123, bodyEnd: 135 },
    });
    // A complete Content-Length body ends with its last byte.
    expect(msg(x.response).times.end).toBe(msg(x.response).times.lastByte);
    // tshark: frame 4 at 0.002267 s, frame 6 at 0.006191 s.
    expect(x.timing.ttfb).toBeCloseTo(0.003924, 6);
    expect(x.timing.unanswered).toBeNull();
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
    expect(res.times.end).toBe(res.times.lastByte);
    expect(((res.times.end as number) - (res.times.headersEnd as number)) * 1000).toBeCloseTo(50.787, 3);
    expect(res.endFrame).toBe(8);
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

  it('52-slow-reader: zero-window probes (19, 21) told from keep-alive probes (22, 56); the retransmission in frame 17 spurious (D-SACK)', async () => {
    // tshark: 16 and 17 are the same 47 616 B from the server (17 "suspected retransmission"), 18 the
    // client's ACK with a D-SACK block and window 0; 19 and 21 the server's 0-byte probes while the
    // client's window is 0, 22 and 56 the client's (tshark flags all four tcp.analysis.keep_alive).
    expectTshark('52-slow-reader.pcapng', [[16, 47616, 's→c'], [17, 47616, 's→c'], [18, 0, 'c→s'], [19, 0, 's→c'], [21, 0, 's→c'], [22, 0, 'c→s'], [56, 0, 'c→s']]);
    const c = await only('52-slow-reader.pcapng');
    expect(c).toMatchObject({
      keepAlives: { client: 2, server: 0 },
      zeroWindowProbes: { client: 0, server: 2 },
      retransmissions: { client: 0, server: 1 },
      firstRetransmission: { client: null, server: 17 },
      spuriousRetransmissions: { client: 0, server: 1 },
      zeroWindow: { client: 11, server: 0 },
    });
    const r = await runCli(['report', capture('52-slow-reader.pcapng')]);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('  tcp '))).toEqual([
      '  tcp        TCP keep-alive probes: 2 from the client, 0 from the server',
      '  tcp        retransmissions: 0 client, 1 server (first in frame 17); it was spurious: the receiver reported it already had the bytes (D-SACK), nothing was lost',
      "  tcp        zero window: 11 client, 0 server (the client's receive buffer was full: it read more slowly than the server sent — a paused stream or a slow consumer); zero-window probes: 0 from the client, 2 from the server",
    ]);
  });

  it('08-content-length-overrun: declared 3, body 3, then 1 excess byte in the same frame 6', async () => {
    // tshark: frame 6 = 126 B = 122-byte head + "1234"; tshark's 200 drops the "4" without a word.
    expectTshark('08-content-length-overrun.pcapng', [[6, 126, 's→c']]);
    const c = await only('08-content-length-overrun.pcapng');
    const res = msg(c.exchanges[0].response);
    expect(res).toMatchObject({ headSize: 122, complete: true, framing: { kind: 'content-length', declared: 3, actualBodyBytes: 3 }, frames: [6], deviations: [] });
    // v2: the overrun also sits on the message it followed, not only on the connection's stream deviations.
    expect(res.framing?.excess).toEqual({ bytes: 1, offset: 125, frames: [6], code: 'excess-after-body' });
    expect(c.deviations).toEqual([
      {
        code: 'excess-after-body',
        offset: 125,
        message: '1 byte after the end of the message body do not start a message',
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
      deviations: [{ code: 'truncated-by-close', offset: 124, message: 'the connection closed in the body, 1 byte short', frames: [6], length: 1 }],
    });
    expect(c.exchanges[0].reuse.keepAlive).toEqual({ timeout: 1, max: null });
    expect(c.teardown).toMatchObject({ kind: 'fin', closedFirstBy: 'server', serverFin: { frame: 10 }, clientFin: { frame: 11 } });
    // v2: an unfinished message has no end (it used to be its last byte); its stall says what happened.
    expect(res.times.end).toBeNull();
    expect(res.endFrame).toBeNull();
    expect(c.exchanges[0].timing).toMatchObject({ responseEnd: null, total: null });
    expect(c.teardown.serverFin!.time - res.times.lastByte).toBeCloseTo(2.007528 - 0.00428, 6);
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
      time: msg(c.exchanges[0].response).times.headersEnd,
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

/** tshark's frame.time_epoch of every frame (µs in these pcapng files). */
function tsharkTimes(name: string): Map<number, number> {
  const out = tshark(['-r', capture(name), '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch']);
  return new Map(out.split('\n').filter(Boolean).map((line) => line.split('\t').map(Number) as [number, number]));
}

describe('schemaVersion 2 facts on real captures (frames and times checked with tshark)', () => {
  it('04 flushHeaders, never end(): no end, no total; stalled in the body from frame 6 until the client FIN (frame 10) 1.504 s later', async () => {
    // tshark: 6 = the 157-byte chunked header section (s→c), 10 = client FIN, 11 = server FIN.
    expectTshark('04-flushheaders-no-end.pcapng', [[6, 157, 's→c'], [10, 0, 'c→s'], [11, 0, 's→c']]);
    const t = tsharkTimes('04-flushheaders-no-end.pcapng');
    const x = (await only('04-flushheaders-no-end.pcapng')).exchanges[0];
    const res = msg(x.response);
    expect(res).toMatchObject({ complete: false, endFrame: null, times: { end: null, lastByte: t.get(6) } });
    expect(x.timing).toMatchObject({ responseEnd: null, total: null, unanswered: null });
    expect(res.stall).toEqual({
      lastByte: { frame: 6, time: t.get(6) },
      endedBy: 'client-fin',
      until: { frame: 10, time: t.get(10) },
      // 1.508083 - 0.004184 (frame.time_relative)
      duration: 1.503899,
      in: 'body',
      // No chunk had begun: nothing is owed that a length states.
      missingBytes: null,
    });
  });

  it('09 underrun: stalled in the body after frame 6, 1 byte missing, until the server FIN (frame 10) 2.003 s later', async () => {
    const t = tsharkTimes('09-content-length-underrun.pcapng');
    const res = msg((await only('09-content-length-underrun.pcapng')).exchanges[0].response);
    expect(res.stall).toEqual({
      lastByte: { frame: 6, time: t.get(6) },
      endedBy: 'server-fin',
      until: { frame: 10, time: t.get(10) },
      // 2.007528 - 0.004280
      duration: 2.003248,
      in: 'body',
      missingBytes: 1,
    });
  });

  it('47 upload refused early: the request was cut off by the 413 (frame 11) and the FIN (frame 16), not idle before the close nor stalled by the client', async () => {
    // tshark: request body segments up to frame 15 (after the 413 in frame 11), server FIN frame 16.
    const c = await only('47-upload-refused-early.pcapng');
    // The client was still uploading when the server closed: the connection was never idle.
    expect(c.closing).toMatchObject({ first: { frame: 16, by: 'server', kind: 'fin' }, idleBefore: null });
    const lines = (await runCli(['report', capture('47-upload-refused-early.pcapng')])).stdout.split('\n');
    expect(lines.filter((l) => /^ {8}(cut off|stalled) /.test(l))).toEqual([
      "        cut off  in the body, 2709307 B short, after frame 15: by the server's answer (413, frame 11) and the server's FIN (frame 16, +0.006s)",
    ]);
    expect(lines.filter((l) => l.startsWith('  closing '))).toEqual([]);
    // A 408 is the server saying the request stalled: 12 keeps its stall line.
    const r12 = (await runCli(['report', capture('12-incomplete-headers.pcapng')])).stdout.split('\n');
    expect(r12.filter((l) => /^ {8}(cut off|stalled) /.test(l))).toEqual([
      "        stalled  in the header section: nothing more after frame 8 for 604.4ms, until the server's FIN (frame 12, +1.204s)",
    ]);
  });

  it('12 incomplete headers: the request stalled in its header section; the close-delimited 408 ends at the server FIN (frame 12)', async () => {
    // tshark: request pieces 4, 6, 8 (21, 22, 32 B), the 408 in frame 10 (51 B), server FIN 12.
    expectTshark('12-incomplete-headers.pcapng', [[4, 21, 'c→s'], [6, 22, 'c→s'], [8, 32, 'c→s'], [10, 51, 's→c'], [12, 0, 's→c']]);
    const t = tsharkTimes('12-incomplete-headers.pcapng');
    const x = (await only('12-incomplete-headers.pcapng')).exchanges[0];
    const req = msg(x.request);
    expect(req).toMatchObject({ complete: false, endFrame: null, framing: null, times: { headersEnd: null, lastByte: t.get(8), end: null } });
    expect(req.stall).toEqual({
      lastByte: { frame: 8, time: t.get(8) },
      endedBy: 'server-fin',
      until: { frame: 12, time: t.get(12) },
      // 1.204015 - 0.599627
      duration: 0.604388,
      in: 'header-section',
      missingBytes: null,
    });
    // v2: a close-delimited body ends at the FIN, not at its last byte (frame 10).
    const res = msg(x.response);
    expect(res).toMatchObject({ status: 408, complete: true, frames: [10], endFrame: 12, stall: null, framing: { kind: 'close' }, times: { lastByte: t.get(10), end: t.get(12) } });
    expect(x.timing.responseEnd).toBe(t.get(12));
  });

  it('19 reuse race: GET /2 left 0.1014 s after the server FIN (frame 8) and got only the server RST (frame 11)', async () => {
    // tshark: 8 = server FIN at 2.008665, 10 = GET /2 (41 B) at 2.110090, 11 = server RST at 2.110118.
    expectTshark('19-keepalive-reuse-race.pcapng', [[8, 0, 's→c'], [10, 41, 'c→s'], [11, 0, 's→c']]);
    const t = tsharkTimes('19-keepalive-reuse-race.pcapng');
    const [x1, x2] = (await only('19-keepalive-reuse-race.pcapng')).exchanges;
    expect(x1.before).toEqual({ serverFin: null, serverRst: null, requestAfterServerFin: null, connectionClose: null });
    expect(x2.before).toMatchObject({ serverFin: { frame: 8, time: t.get(8) }, serverRst: null, connectionClose: null });
    expect(x2.before.requestAfterServerFin).toBeCloseTo(2.11009 - 2.008665, 6);
    expect(x2.response).toBeNull();
    expect(x2.timing.unanswered).toMatchObject({ since: t.get(10), until: t.get(11), endedBy: 'server-rst' });
    expect(x2.timing.unanswered?.waited).toBeCloseTo(2.110118 - 2.11009, 6);
  });

  it.each([
    // tshark: the GET in frame 4, the client FIN in frame 8 (03) / 6 (25); frame.time_relative differences.
    ['03-writehead-no-end.pcapng', 8, 1.501512 - 0.00226],
    ['25-client-destroy.pcapng', 6, 0.100926 - 0.001672],
  ])('%s: the request got no byte; the client gave up with its FIN (frame %i) after %f s', async (name, finFrame, waited) => {
    const t = tsharkTimes(name);
    const x = (await only(name)).exchanges[0];
    expect(x.response).toBeNull();
    expect(x.timing.unanswered).toMatchObject({ since: t.get(4), until: t.get(finFrame), endedBy: 'client-fin' });
    expect(x.timing.unanswered?.waited).toBeCloseTo(waited, 6);
  });

  it('11 max-requests-per-socket: the connection stayed open 102.5 ms after the last Connection: close response (frame 12) until the client FIN (frame 14)', async () => {
    // tshark: 10 = the 200 with Connection: close, 12 = the 503 (also Connection: close) at 0.009219, client FIN 14 at 0.111707.
    expectTshark('11-max-requests-per-socket.pcapng', [[10, 110, 's→c'], [12, 125, 's→c'], [14, 0, 'c→s']]);
    const t = tsharkTimes('11-max-requests-per-socket.pcapng');
    const c = await only('11-max-requests-per-socket.pcapng');
    expect(c.closing).toEqual({
      first: { frame: 14, time: t.get(14), by: 'client', kind: 'fin' },
      // The last exchange (the 503, frame 12) ended 0.111707 - 0.009219 s before the FIN.
      idleBefore: 0.102488,
      afterConnectionClose: { exchange: 4, frame: 12, time: t.get(12), openFor: 0.102488 },
    });
    // All four requests left pipelined in frame 4, before the 200 that said Connection: close
    // (exchange 3, frame 10): none was sent after it, so `before.connectionClose` is null for each.
    expect(c.exchanges.map((x) => x.before.connectionClose)).toEqual([null, null, null, null]);
  });
});

describe('report (text)', () => {
  it('06-res-end: the exact lines, every number checked against tshark', async () => {
    // tshark -r 06-res-end.pcapng: SYN 1 (0), SYN-ACK 2 (0.000057), ACK 3, GET 4 (0.002267, 64 B),
    // 200 6 (0.006191, 135 B), client FIN 8 (0.009681), server FIN 9 (0.010521), last frame 10
    // (0.010552); MSS 65495 both ways (tcp.options.mss_val). Idle 0.009681 - 0.006191 = 3.5 ms.
    const file = capture('06-res-end.pcapng');
    const r = await runCli(['report', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      `${file}: pcapng, 10 frames, 1 TCP connection, 1 HTTP exchange, 10.6ms`,
      '  findings   no findings in 1 connection',
      '  responses  2xx 1',
      '',
      'Connection 1  127.0.0.1:48478 → 127.0.0.1:5106  HTTP/1.x  +0.000s, 10.6ms, frames 1–10',
      '  handshake  SYN frame 1 → SYN-ACK frame 2 → ACK frame 3; SYN → SYN-ACK 57µs',
      '  [1] GET / → 200 OK   (TTFB 3.9ms, total 3.9ms)',
      '      request   64 B head, no body; headers in frame 4',
      '        headers  Connection: keep-alive',
      '      response  123 B head, Content-Length: 12, received 12 B; headers and body packed in frame 6',
      '        headers  Connection: keep-alive | Keep-Alive: timeout=5 | Content-Length: 12',
      '      reuse     first request on the connection; Keep-Alive: timeout=5',
      '  teardown   ended with FIN, client closed first: client FIN (frame 8, +9.7ms), server FIN (frame 9, +10.5ms)',
      '  closing    idle 3.5ms after the last exchange ended, then the client\'s FIN',
      '  capture    loopback capture (MSS 65495): one segment holds up to 64 KiB, so a message packed here may be split on a 1460-byte-MSS network; headers-only segments still reflect the application',
      '',
    ]);
  });

  it('33: a refused connection carried no payload: no note about how segments pack messages', async () => {
    const r = await runCli(['report', capture('33-connection-refused.pcapng')]);
    const connection = r.stdout.split('\n\n')[1].split('\n');
    expect(connection).toEqual([
      'Connection 1  127.0.0.1:56686 → 127.0.0.1:5134  no data  +0.000s, 13µs, frames 1–2',
      '  handshake  SYN frame 1 answered by RST: connection refused',
      '  ✖ error    SYN from 127.0.0.1:56686 to 127.0.0.1:5134 (frame 1) was answered by RST (frame 2): nothing was listening  [connection-refused]',
      '  teardown   refused',
    ]);
  });

  it('a lossy capture: the first two capture gaps of each direction, then one line for the rest (kernel-drops.pcap, connection 1: 22 gaps)', async () => {
    // tcpdump dropped 1 645 packets of this load test (test/http/pairing.capture.test.ts): one line
    // per gap was 22 lines under this connection and ~1 000 under a longer one.
    const r = await runCli(['report', join(import.meta.dirname, '../fixtures/kernel-drops.pcap')]);
    const first = r.stdout.split('\n\n').find((block) => block.startsWith('Connection 1 '))!;
    expect(first.split('\n').filter((l) => l.startsWith('  ! capture gap'))).toEqual([
      '  ! capture gap: 140 bytes missing from the client stream at offset 2421 (before frame 295)',
      '  ! capture gap: 183 bytes missing from the server stream at offset 6376 (before frame 295)',
      '  ! capture gap: 1647 bytes missing from the server stream at offset 7657 (before frame 345)',
      '  ! capture gap: 560 bytes missing from the client stream at offset 2981 (before frame 345)',
      // 140 + 183 + 1647 + 560 + 10248 + 3920 = 16698 B, what capture-gap's warning says of 22 gaps.
      '  ! capture gap: 9 more in the server stream, 10248 bytes in all (before frames 471–1087)',
      '  ! capture gap: 9 more in the client stream, 3920 bytes in all (before frames 471–1087)',
    ]);
    expect(first).toContain('is missing 16698 B in 22 gaps');
  });

  it('08: the excess byte and 09: the short body are stated with their frames, in exact bytes', async () => {
    const over = await runCli(['report', capture('08-content-length-overrun.pcapng')]);
    expect(over.stdout).toContain('      response  122 B head, Content-Length: 3, received 4 B — 1 B more than declared; headers and body packed in frame 6\n');
    expect(over.stdout).toContain('        ! excess-after-body at offset 125 (frame 6): 1 B followed the body and do not start a message\n');
    const under = await runCli(['report', capture('09-content-length-underrun.pcapng')]);
    expect(under.stdout).toContain('      response  122 B head, Content-Length: 3, received 2 B — 1 B short; headers and body packed in frame 6  INCOMPLETE\n');
    // tshark: frame 6 at 0.004280 s, the server's FIN (frame 10) at 2.007528 s: 2.003 s later.
    expect(under.stdout).toContain("        stalled  in the body, 1 B short: nothing more after frame 6 for 2.003s, until the server's FIN (frame 10, +2.008s)\n");
    expect(under.stdout).toContain('        ! truncated-by-close at offset 124 (frame 6): the connection closed in the body, 1 byte short\n');
    // No total for an unfinished response.
    expect(under.stdout).toContain('  [1] GET / → 200 OK   (TTFB 2.0ms)\n');
  });

  it("a response that began while the request's body was still arriving says so (a handler that did not read the body)", async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation()
      .handshake() // 1–3
      .send('client', 'POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345') // 4
      .send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok') // 5
      .send('client', '67890') // 6: the rest of the body, after the answer
      .fin('client')
      .fin('server');
    const r = await runCli(['report', cap.writeTemp('answered-mid-body.pcapng')]);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('      ! '))).toEqual([
      "      ! the server answered (200, frame 5) while the request's body was still arriving (until frame 6)",
    ]);
  });

  it('an established connection that carried nothing says who closed it and when (49: undici\'s unused socket; 40: the server)', async () => {
    // tshark: 49's stream 2 — handshake ACK frame 34 (+0.139 s), client FIN frame 83 (+3.143 s), no payload.
    const r = await runCli(['report', capture('49-client-abandons.pcapng')]);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('  unused '))).toEqual(['  unused     no byte either way: the client closed it 3.004s after the handshake without sending a request']);
    const s = await runCli(['report', capture('40-handshake-incomplete.pcapng')]);
    expect(s.stdout.split('\n').filter((l) => l.startsWith('  unused '))).toEqual([
      '  unused     no byte either way: the server closed it 2.491s after the handshake, no request having come',
      '  unused     no byte either way: the server closed it 2.441s after the handshake, no request having come',
    ]);
  });

  it('18: the 100 Continue line and a positive TTFB', async () => {
    const r = await runCli(['report', capture('18-expect-100-continue.pcapng')]);
    expect(r.stdout).toContain('  [1] PUT /upload → 200 OK   (TTFB 1.4ms, total 4.0ms)\n');
    expect(r.stdout).toContain('      request   138 B head, Content-Length: 33, received 33 B; headers in frame 4 alone, body in frame 8\n');
    expect(r.stdout).toContain('      100 interim  25 B head, no body; headers in frame 6\n');
  });

  it('the loopback note is said once per run of connections with the same note (tour: 10 connections, 1 note)', async () => {
    const file = capture('tour.pcapng');
    const r = await runCli(['report', file]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('  capture    '))).toHaveLength(1);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('Connection '))).toHaveLength(10);
    // The summary block now opens the report (it used to be the last line).
    expect(r.stdout.split('\n').slice(0, 5)).toEqual([
      `${file}: pcapng, 117 frames, 10 TCP connections, 13 HTTP exchanges, 28.551s`,
      // The tour's findings (captures/tour.expected.json): overrun, underrun, reuse race (errors);
      // request-timeout, slow-request-headers, connection-per-request (warnings); a flushed header (note).
      // Node's own verdict (on by default) is cited by the overrun's finding, not a finding of its own.
      '  findings   3 errors, 3 warnings, 1 note in 10 connections (explained at the end)',
      '  responses  2xx 11, 4xx 1, no response 1',
      '  deviations 3 (marked ! below)',
      '',
    ]);
    // Each finding sits under what it concerns, with its rule id; each rule is explained once at the end.
    const lines = r.stdout.split('\n');
    const ruleIds = lines.flatMap((l) => /^ +[✖⚠ℹ] .*\[([a-z-]+)\]$/.exec(l)?.[1] ?? []);
    expect(ruleIds.sort()).toEqual(['connection-per-request', 'content-length-overrun', 'content-length-underrun', 'headers-flushed-separately', 'keepalive-reuse-race', 'request-timeout', 'slow-request-headers']);
    const explained = lines.slice(lines.indexOf('What the findings mean')).flatMap((l) => /^  ([a-z-]+) \((error|warning|note)\): /.exec(l)?.[1] ?? []);
    expect(explained).toEqual([...ruleIds].sort());
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
    const file = cap.writeTemp();
    const r = await runCli(['report', file, '--bodies']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      `${file}: pcapng, 4 frames, 1 TCP connection, 2 HTTP exchanges, 3.0ms`,
      // The response without a request is the connection's first seen, mid-stream: no unmatched-response.
      '  findings   no findings in 1 connection',
      '  responses  2xx 1, 4xx 1',
      '  deviations 1 (marked ! below)',
      '',
      'Connection 1  127.0.0.1:40001 → 127.0.0.1:5000  HTTP/1.x  +0.000s, 3.0ms, frames 1–4',
      '  handshake  not captured (connection picked up mid-stream; client/server guessed)',
      '  [1] (no request) → 200 OK',
      '      response  38 B head, Content-Length: 2, received 2 B; headers and body packed in frame 2',
      '        headers  Content-Length: 2',
      '        body     "ok"',
      '      reuse     a response without a request',
      '  [2] GET /x → 404 Not Found   (TTFB 1.0ms, total 1.0ms)',
      '      request   28 B head, no body; headers in frame 3',
      '      response  85 B head, Content-Length: 4, received 4 B; headers and body packed in frame 4',
      '        headers  Content-Length: 4',
      '        body     4 B of application/octet-stream, not text (base64 in --json --bodies)',
      '      reuse     request 2 on this connection, idle 1.0ms before it',
      '  ! server stream: skipped-bytes at offset 0 (frame 1): 5 bytes skipped before a start line',
      '  teardown   still open at the end of the capture',
      '',
    ]);
    const json = await reportJson(file, ['--bodies']);
    expect(json.connections[0].exchanges[0].request).toBeNull();
    expect(json.connections[0].exchanges[1].response?.body).toEqual({ kept: 4, truncated: false, contentType: 'application/octet-stream', decodedFrom: null, decodedSize: null, text: null, base64: 'AAECAw==', note: null });
  });

  it('mid-stream, the first request seen is not called the first on the connection', async () => {
    const cap = new SyntheticCapture();
    cap.conversation().send('client', 'GET /late HTTP/1.1\r\nHost: a\r\n\r\n').send('server', 'HTTP/1.1 204 No Content\r\n\r\n');
    const r = await runCli(['report', cap.writeTemp()]);
    expect(r.stdout).toContain('      reuse     first request seen (the connection was picked up mid-stream)\n');
  });
});

describe('report on an invalid status line', () => {
  it('status is null (the key is there) with the deviation, and the text says what the line was', async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation({ clientPort: 40002 })
      .handshake()
      .send('client', 'GET / HTTP/1.1\r\nHost: a\r\n\r\n')
      .send('server', 'HTTP/1.1 2x0 ok\r\nContent-Length: 2\r\n\r\nok');
    const file = cap.writeTemp();
    const json = await reportJson(file);
    const res = msg(json.connections[0].exchanges[0].response);
    expect(Object.hasOwn(res, 'status')).toBe(true);
    expect([res.status, res.startLine]).toEqual([null, 'HTTP/1.1 2x0 ok']);
    // The deviation points at the status code, 9 bytes into the line.
    expect(res.deviations.map((d) => [d.code, d.offset])).toEqual([['invalid-start-line', 9]]);
    const text = await runCli(['report', file]);
    expect(text.stdout).toContain('  [1] GET / → invalid status line "HTTP/1.1 2x0 ok"');
  });
});

describe('report options', () => {
  it('--bodies shows the body text (text report) and a BodyView (JSON)', async () => {
    // tshark -e http.file_data on frame 6: "hello world\n".
    const text = await runCli(['report', capture('06-res-end.pcapng'), '--bodies']);
    expect(text.stdout).toContain('        headers  Connection: keep-alive | Keep-Alive: timeout=5 | Content-Length: 12\n        body     "hello world\\n"\n');
    const json = await model('06-res-end.pcapng', ['--bodies']);
    const res = msg(json.connections[0].exchanges[0].response);
    expect(res.body).toEqual({ kept: 12, truncated: false, contentType: null, decodedFrom: null, decodedSize: null, text: 'hello world\n', base64: null, note: null });
    // v2: every key is present; a message without a body has body null (it used to be left out).
    expect(json.connections[0].exchanges[0].request?.body).toBeNull();
  });

  it('without --bodies there is no body, in JSON nor text', async () => {
    const json = await model('06-res-end.pcapng');
    // v2: the key is there (every documented key is), null without --bodies.
    expect(msg(json.connections[0].exchanges[0].response).body).toBeNull();
    const text = await runCli(['report', capture('06-res-end.pcapng')]);
    expect(text.stdout).not.toContain('        body     ');
    expect(text.stdout).not.toContain('hello world');
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
    expect(msg(json.connections[0].exchanges[0].response).body).toEqual({ kept: 5, truncated: true, contentType: null, decodedFrom: null, decodedSize: null, text: 'hello', base64: null, note: 'the first 5 B of 12 B (--body-limit 5)' });
  });

  // '' and '0x10' used to be accepted (Number('') is 0, Number('0x10') is 16).
  it.each([['abc'], ['-1'], ['1.5'], [''], ['0x10'], ['1e3']])('--body-limit=%j → exit 2, one line, nothing on stdout', async (value) => {
    const r = await runCli(['report', capture('06-res-end.pcapng'), `--body-limit=${value}`]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`wirelens report: --body-limit must be a whole number of bytes, not '${value}'\n`);
  });

  it('a missing file argument or two files → exit 2', async () => {
    const usage = 'usage: wirelens report FILE [--json] [--conn ID] [--exchange N] [--headers] [--config F] [--rule ID=SEVERITY] [--rules-dir DIR] [--bodies] [--body-limit BYTES] [--no-node-verdict] [--node-max-header-size N] [--node-insecure-http-parser]';
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
  const file = join(tempDir('report'), 'cut.pcapng');
  writeFileSync(file, source.subarray(0, cutAt));
  const errorLine = `wirelens: ${file}: file ends inside a pcapng block of type 0x00000006 (50 of 100 bytes) at byte offset ${offsets[6]}\n`;

  it('JSON: exit 2, the one-line error, and valid JSON with everything before the damage and `error` filled', async () => {
    expect(offsets[6]).toBe(944);
    const r = await runCli(['report', file, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(errorLine);
    const m = parseReport(r.stdout);
    expect(m).toMatchObject({ schemaVersion: 2, format: 'pcapng', frames: 6, connections: [expect.anything()], exchanges: 1 });
    expect(m.error).toEqual({ code: 'truncated', offset: 944, message: errorLine.slice('wirelens: '.length, -1) });
    expect(m.connections).toHaveLength(1);
    const c = m.connections[0];
    expect(c).toMatchObject({ firstFrame: 1, lastFrame: 6, end: 'capture-end', teardown: { kind: 'open' } });
    expect(c.exchanges.map((x) => [msg(x.request).target, msg(x.response).status, msg(x.response).complete, msg(x.response).frames])).toEqual([['/1', 200, true, [6]]]);
  });

  it('a file that is not a capture / does not exist: exit 2, JSON with no connections and the error', async () => {
    const garbage = join(tempDir('report'), 'garbage.cap');
    writeFileSync(garbage, 'garbage, not a capture');
    const r = await runCli(['report', garbage, '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`wirelens: ${garbage}: not a pcap or pcapng file (starts with "garbage,")\n`);
    // v2: nothing at all is printed for an input that could not be read (it used to be a JSON
    // document with no connections): the error line on stderr is the whole answer.
    expect(r.stdout).toBe('');
    const missing = await runCli(['report', `${garbage}.missing`, '--json']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(new RegExp(`^wirelens: ${garbage}\\.missing: .+\\n$`));
  });

  it('text: exit 2, the report of the 6 frames read, then the error on stderr', async () => {
    const r = await runCli(['report', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(errorLine);
    expect(r.stdout.startsWith(`${file}: pcapng, 6 frames, 1 TCP connection, 1 HTTP exchange, 4.3ms\n`)).toBe(true);
    expect(r.stdout).toContain('  [1] GET /1 → 200 OK   (TTFB 1.8ms, total 1.8ms)\n');
    expect(r.stdout).toContain('  teardown   still open at the end of the capture\n');
  });
});

describe('--rule, as lint takes it, on the commands that run the rules', () => {
  it('report: --rule ID=off drops that finding from the summary and the text, ID=SEVERITY changes its level', async () => {
    const tour = capture('tour.pcapng');
    const base = await runCli(['report', tour]);
    expect(base.stdout.split('\n')[1]).toBe('  findings   3 errors, 3 warnings, 1 note in 10 connections (explained at the end)');
    const off = await runCli(['report', '--rule', 'connection-per-request=off', tour]);
    expect(off.code).toBe(0);
    expect(off.stdout.split('\n')[1]).toBe('  findings   3 errors, 2 warnings, 1 note in 10 connections (explained at the end)');
    expect(off.stdout).not.toContain('[connection-per-request]');
    const race = await runCli(['report', '--json', '--rule', 'keepalive-reuse-race=note', capture('19-keepalive-reuse-race.pcapng')]);
    const doc = JSON.parse(race.stdout) as { findings: unknown; records: Array<{ type: string; ruleId?: string; severity?: string; frames?: number[]; time?: number }> };
    expect(doc.findings).toEqual({ error: 0, warning: 0, note: 1 });
    // Its time: frame 8's, the server's FIN (tshark: frame.time_epoch 1795333812.697456).
    expect(doc.records.filter((r) => r.type === 'finding').map((r) => [r.ruleId, r.severity, r.frames, r.time])).toEqual([['keepalive-reuse-race', 'note', [8, 10], 1795333812.697456]]);
  });

  it('an unknown rule id is a usage problem with exit 2, as in lint', async () => {
    const r = await runCli(['report', '--rule', 'keepalive-reuse-rac=off', capture('tour.pcapng')]);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^wirelens: --rule keepalive-reuse-rac=off: unknown rule/);
  });
});

describe('capture loss (42: response 2, request 4 and response 6 lost by the capture)', () => {
  it('report --json: each lost message in its exchange\'s `lost`, no unanswered wait, no idle time measured from an unknown end', async () => {
    const doc = await model('42-capture-loss.pcapng');
    const [c] = doc.connections;
    expect(c.exchanges.map((x) => [x.index, x.request?.target ?? null, x.response?.frames[0] ?? null, x.pipelined, x.lost])).toEqual([
      [1, '/item/1', 6, false, null],
      [2, '/item/2', null, false, { message: 'response', offset: 173, length: 173, frame: 9 }],
      [3, '/item/3', 10, false, null],
      [4, null, 11, false, { message: 'request', offset: 210, length: 70, frame: 11 }],
      [5, '/item/5', 13, false, null],
      [6, '/item/6', null, false, { message: 'response', offset: 865, length: 173, frame: 15 }],
    ]);
    expect(c.exchanges.map((x) => x.timing.unanswered)).toEqual([null, null, null, null, null, null]);
    // Request 3 followed a response whose end the capture lost; request 2 followed response 1 (frame 6).
    expect(c.exchanges[2].reuse.idleBefore).toBeNull();
    expect(c.exchanges[1].reuse.idleBefore).toBeGreaterThan(0.02);
    // The last exchange's response (6) was lost: the idle time before the client's FIN is unknown.
    expect(c.closing.idleBefore).toBeNull();
    expect(doc.statusClasses).toEqual({ '1xx': 0, '2xx': 4, '3xx': 0, '4xx': 0, '5xx': 0, none: 0, notCaptured: 2 });
    expect(doc.findingRecords.map((f) => f.ruleId)).toEqual(['capture-gap']);
  });

  it('the text report names the lost messages and the gaps they fell in', async () => {
    const r = await runCli(['report', capture('42-capture-loss.pcapng')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  responses  2xx 4, not captured 2\n');
    expect(r.stdout).toContain('  [2] GET /item/2 → response not captured\n');
    expect(r.stdout).toContain("      ! response not captured: it fell in the 173 bytes of the server's stream missing at offset 173 (before frame 9)\n");
    expect(r.stdout).toContain('  [4] (request not captured) → 200 OK\n');
    expect(r.stdout).toContain("      ! request not captured: it fell in the 70 bytes of the client's stream missing at offset 210 (before frame 11)\n");
    expect(r.stdout).toContain('      reuse     a response to a request the capture lost; Keep-Alive: timeout=5\n');
    expect(r.stdout).toContain('      reuse     request 3 on this connection; Keep-Alive: timeout=5\n');
    expect(r.stdout).not.toContain('pipelined');
  });
});
