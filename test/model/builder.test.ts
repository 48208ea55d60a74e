/**
 * ModelBuilder end to end: synthetic captures (real bytes, frames 1 ms apart unless a wait()
 * intervenes) through `wirelens report --json`, with exact frames, offsets and times.
 */
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/capture/frame.js';
import { parseCaptureBuffer } from '../../src/capture/source.js';
import { Decoder } from '../../src/decode/decoder.js';
import { ModelBuilder } from '../../src/model/builder.js';
import type { MessageModel } from '../../src/model/types.js';
import { ACKED_SETTLE_SECONDS, SETTLE_SECONDS, TcpTracker, type TrackerOptions } from '../../src/tcp/tracker.js';
import { runCli } from '../helpers/cli.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { reportJson, type NestedConnection, type NestedReport } from '../helpers/report-json.js';

/** report --json nested into connections with their exchanges (test/helpers/report-json.ts). */
const report = (cap: SyntheticCapture): Promise<NestedReport> => reportJson(cap.writeTemp());

const rel = (m: NestedReport, t: number | null | undefined): number => (t as number) - (m.firstTime as number);
const msg = (m: MessageModel | null): MessageModel => {
  if (!m) throw new Error('message missing');
  return m;
};

const GET = (path: string) => `GET ${path} HTTP/1.1\r\nHost: example\r\n\r\n`;
const OK_KA = (max: number, body: string) => `HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5, max=${max}\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

describe('ModelBuilder (report --json) on synthetic captures', () => {
  it('keep-alive, three exchanges: reuse 1/2/3, idle times, Keep-Alive parsed, frames', async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation({ clientPort: 40001 })
      .handshake() // 1-3
      .send('client', GET('/1')) // 4 @ 0.003
      .send('server', OK_KA(100, 'one')) // 5 @ 0.004
      .ack('client') // 6
      .wait(0.5)
      .send('client', GET('/2')) // 7 @ 0.506
      .send('server', OK_KA(99, 'two')) // 8 @ 0.507
      .ack('client') // 9
      .wait(1.5)
      .send('client', GET('/3')) // 10 @ 2.009
      .send('server', OK_KA(98, 'three')) // 11 @ 2.010
      .ack('client') // 12
      .fin('client') // 13
      .fin('server') // 14
      .ack('client'); // 15
    const m = await report(cap);
    expect(m).toMatchObject({ schemaVersion: 2, format: 'pcapng', frames: 15, error: null, connections: [expect.anything()], exchanges: 3 });
    expect(m.connections).toHaveLength(1);
    const c = m.connections[0];
    expect(c).toMatchObject({
      id: 1,
      client: '127.0.0.1:40001',
      server: '127.0.0.1:5000',
      protocol: 'http',
      firstFrame: 1,
      lastFrame: 15,
      end: 'close',
      teardown: { kind: 'fin', closedFirstBy: 'client', clientFin: { frame: 13 }, serverFin: { frame: 14 } },
      capturePoint: { kind: 'network', note: null },
      uninspectedBytes: { client: 0, server: 0 },
      deviations: [],
      protocolSwitch: null,
    });
    expect(c.exchanges.map((x) => [x.index, x.reuse.index, x.reuse.reused, x.pipelined])).toEqual([
      [1, 1, false, false],
      [2, 2, true, false],
      [3, 3, true, false],
    ]);
    expect(c.exchanges.map((x) => x.reuse.keepAlive)).toEqual([
      { timeout: 5, max: 100 },
      { timeout: 5, max: 99 },
      { timeout: 5, max: 98 },
    ]);
    expect(c.exchanges[0].reuse.idleBefore).toBeNull();
    expect(c.exchanges[1].reuse.idleBefore).toBeCloseTo(0.506 - 0.004, 6);
    expect(c.exchanges[2].reuse.idleBefore).toBeCloseTo(2.009 - 0.507, 6);
    expect(c.exchanges.map((x) => [msg(x.request).target, msg(x.request).frames, msg(x.response).frames, msg(x.response).packing.verdict])).toEqual([
      ['/1', [4], [5], 'packed'],
      ['/2', [7], [8], 'packed'],
      ['/3', [10], [11], 'packed'],
    ]);
    // v2: every FramingModel key is present, null where it does not apply.
    expect(c.exchanges[2].response?.framing).toEqual({ kind: 'content-length', reason: 'content-length', declared: 5, actualBodyBytes: 5, missingBytes: 0, chunks: null, chunkSizes: null, lastChunk: null, trailers: null, excess: null });
  });

  it('headers flushed alone, the body 50 ms later: frames and times exact', async () => {
    const cap = new SyntheticCapture();
    const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n';
    cap
      .conversation()
      .handshake()
      .send('client', GET('/')) // 4 @ 0.003
      .send('server', head) // 5 @ 0.004
      .ack('client') // 6 @ 0.005
      .wait(0.05)
      .send('server', 'c\r\nhello world\n\r\n0\r\n\r\n') // 7 @ 0.056
      .fin('client')
      .fin('server');
    const m = await report(cap);
    const res = msg(m.connections[0].exchanges[0].response);
    expect(res.frames).toEqual([5, 7]);
    expect(res.packing).toMatchObject({ verdict: 'headers-only-segment', headerSplit: false, sharedFrame: null, headerFrames: [5], bodyFrames: [7] });
    expect(res.headSize).toBe(head.length);
    expect(res.offsets).toEqual({ headStart: 0, headEnd: head.length, bodyEnd: head.length + 22 });
    expect(res.framing).toMatchObject({ kind: 'chunked', chunks: 1, chunkSizes: [12], lastChunk: true, actualBodyBytes: 12 });
    expect(rel(m, res.times.start)).toBeCloseTo(0.004, 6);
    expect(rel(m, res.times.headersEnd)).toBeCloseTo(0.004, 6);
    expect(rel(m, res.times.end)).toBeCloseTo(0.056, 6);
    expect(m.connections[0].exchanges[0].timing.total).toBeCloseTo(0.053, 6);
  });

  it('a header section split across two segments (request and response)', async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation()
      .handshake()
      .send('client', 'GET /split HTTP/1.1\r\nHo') // 4
      .send('client', 'st: example\r\n\r\n') // 5
      .send('server', 'HTTP/1.1 200 OK\r\nContent-Len') // 6
      .send('server', 'gth: 2\r\n\r\nok') // 7
      .fin('client')
      .fin('server');
    const m = await report(cap);
    const x = m.connections[0].exchanges[0];
    expect(msg(x.request)).toMatchObject({
      startLine: 'GET /split HTTP/1.1',
      headSize: 38,
      frames: [4, 5],
      complete: true,
      headers: [{ name: 'Host', value: 'example', offset: 21 }],
      packing: { verdict: 'no-body', headerSplit: true, headerFrames: [4, 5], bodyFrames: [], sharedFrame: null },
    });
    expect(msg(x.response)).toMatchObject({
      status: 200,
      frames: [6, 7],
      packing: { verdict: 'packed', headerSplit: true, headerFrames: [6, 7], bodyFrames: [7], sharedFrame: 7 },
    });
  });

  it('pipelined requests in one segment: responses paired in order, pipelined flags, idleBefore null', async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation()
      .handshake()
      .send('client', GET('/a') + GET('/b') + GET('/c')) // 4
      .send('server', OK_KA(100, 'A')) // 5
      .send('server', OK_KA(99, 'B')) // 6
      .send('server', OK_KA(98, 'C')) // 7
      .fin('client')
      .fin('server');
    const m = await report(cap);
    expect(GET('/a').length).toBe(34);
    const xs = m.connections[0].exchanges;
    expect(xs.map((x) => [msg(x.request).target, msg(x.request).frames, msg(x.request).offsets.headStart, msg(x.response).frames, x.pipelined, x.reuse.idleBefore])).toEqual([
      ['/a', [4], 0, [5], false, null],
      ['/b', [4], 34, [6], true, null],
      ['/c', [4], 68, [7], true, null],
    ]);
  });

  it('connections come out in id order even when connection 2 closes long before connection 1', async () => {
    const cap = new SyntheticCapture();
    const a = cap.conversation({ clientPort: 40001 });
    const b = cap.conversation({ clientPort: 40002 });
    a.handshake(); // 1-3
    b.handshake(); // 4-6
    b.send('client', GET('/b')).send('server', OK_KA(100, 'b')).fin('client').fin('server').ack('client'); // 7-11
    a.wait(5); // connection 2 is settled long before connection 1 closes
    a.send('client', GET('/a')).send('server', OK_KA(100, 'a')).fin('server').fin('client').ack('server'); // 12-16
    const m = await report(cap);
    expect(m.connections.map((c) => [c.id, c.client, c.firstFrame, c.lastFrame, msg(c.exchanges[0].request).target])).toEqual([
      [1, '127.0.0.1:40001', 1, 16, '/a'],
      [2, '127.0.0.1:40002', 4, 11, '/b'],
    ]);
    expect(m.connections[1].endTime).toBeLessThan(m.connections[0].endTime - 4.9);
    expect(m.connections[0].teardown).toMatchObject({ kind: 'fin', closedFirstBy: 'server', serverFin: { frame: 14 } });
  });

  it('the text report lists them in the same order', async () => {
    const cap = new SyntheticCapture();
    const a = cap.conversation({ clientPort: 40001 });
    const b = cap.conversation({ clientPort: 40002 });
    a.handshake();
    b.handshake().send('client', GET('/b')).send('server', OK_KA(100, 'b')).fin('client').fin('server').ack('client');
    a.wait(5).send('client', GET('/a')).send('server', OK_KA(100, 'a')).fin('server').fin('client').ack('server');
    const r = await runCli(['report', cap.writeTemp()]);
    expect(r.code).toBe(0);
    const titles = r.stdout.split('\n').filter((l) => l.startsWith('Connection '));
    expect(titles).toEqual([
      'Connection 1  127.0.0.1:40001 → 127.0.0.1:5000  HTTP/1.x  +0.000s, 5.015s, frames 1–16',
      'Connection 2  127.0.0.1:40002 → 127.0.0.1:5000  HTTP/1.x  +0.003s, 7.0ms, frames 4–11',
    ]);
  });

  it('a connection still open at the end of the capture: end capture-end, teardown open, the response truncated by the capture end', async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation()
      .handshake()
      .send('client', GET('/open')) // 4
      .send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123'); // 5: 6 bytes short
    const m = await report(cap);
    const c = m.connections[0];
    expect(c).toMatchObject({ end: 'capture-end', teardown: { kind: 'open', closedFirstBy: null, clientFin: null, serverFin: null, halfClosed: false } });
    const res = msg(c.exchanges[0].response);
    expect(res.complete).toBe(false);
    expect(res.framing).toMatchObject({ kind: 'content-length', declared: 10, actualBodyBytes: 4 });
    expect(res.deviations).toEqual([
      // 39-byte header section + 4 body bytes: the capture ended at offset 43.
      { code: 'truncated-by-capture-end', offset: 43, message: 'the capture ended in the body, 6 bytes short', frames: [5], length: 6 },
    ]);
    expect(res.packing).toMatchObject({ verdict: 'packed', sharedFrame: 5 });
    // Frame 5 is the capture's last: the stall lasted 0 s and the capture's end ended it.
    expect(res.times.end).toBeNull();
    expect(res.stall).toEqual({ lastByte: { frame: 5, time: 1_700_000_000.004 }, endedBy: 'capture-end', until: null, duration: 0, in: 'body', missingBytes: 6 });
    expect(c.closing).toEqual({ first: null, idleBefore: null, afterConnectionClose: null });
    const text = await runCli(['report', cap.writeTemp()]);
    expect(text.stdout).toContain('  teardown   still open at the end of the capture\n');
    expect(text.stdout).toContain('Content-Length: 10, received 4 B — 6 B short; headers and body packed in frame 5  INCOMPLETE\n');
    expect(text.stdout).toContain('        stalled  in the body, 6 B short: nothing more after frame 5 for 0µs, until the end of the capture\n');
  });

  it('a non-HTTP connection (SSH): protocol unknown, no exchanges, every byte counted as uninspected', async () => {
    const cap = new SyntheticCapture();
    const server = 'SSH-2.0-OpenSSH_9.6\r\n';
    const client = 'SSH-2.0-OpenSSH_9.2p1\r\n';
    cap.conversation({ serverPort: 22 }).handshake().send('server', server).send('client', client).send('client', '\x00\x00\x05\xdc\x06\x14').fin('client').fin('server');
    const m = await report(cap);
    const c = m.connections[0];
    expect(c).toMatchObject({
      protocol: 'unknown',
      exchanges: [],
      bytes: { client: client.length + 6, server: server.length },
      uninspectedBytes: { client: client.length + 6, server: server.length },
      end: 'close',
    });
    const text = await runCli(['report', cap.writeTemp()]);
    expect(text.stdout).toContain('not HTTP');
    expect(text.stdout).toContain(`  payload    ${client.length + 6} B from the client, ${server.length} B from the server (not inspected)\n`);
  });

  it('a TLS ClientHello-looking connection → tls, not inspected', async () => {
    const cap = new SyntheticCapture();
    const hello = Buffer.from('160301002f0100002b0303' + '00'.repeat(32) + '000000', 'hex');
    const serverHello = Buffer.from('160303000a020000060303000000', 'hex');
    cap.conversation({ serverPort: 8443 }).handshake().send('client', hello).send('server', serverHello).fin('client').fin('server');
    const m = await report(cap);
    expect(m.connections[0]).toMatchObject({
      protocol: 'tls',
      exchanges: [],
      uninspectedBytes: { client: hello.length, server: serverHello.length },
      bytes: { client: hello.length, server: serverHello.length },
    });
    const text = await runCli(['report', cap.writeTemp()]);
    expect(text.stdout).toMatch(/^Connection 1 {2}127\.0\.0\.1:\d+ → 127\.0\.0\.1:8443 {2}TLS \(not inspected\)/m);
  });

  it('an HTTP/2 prior-knowledge preface → h2', async () => {
    const cap = new SyntheticCapture();
    cap.conversation().handshake().send('client', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00').fin('client').fin('server');
    const m = await report(cap);
    expect(m.connections[0]).toMatchObject({ protocol: 'h2', exchanges: [], uninspectedBytes: { client: 33, server: 0 } });
  });

  it('a refused connection and one without payload: protocol none, nothing uninspected', async () => {
    const cap = new SyntheticCapture();
    cap.conversation({ serverPort: 5999 }).syn().rst('server');
    cap.conversation().handshake().fin('client').fin('server').ack('client');
    const m = await report(cap);
    // v2: 'none' for a connection that carried no payload ('unknown' is left for bytes that are not HTTP).
    expect(m.connections.map((c: NestedConnection) => [c.id, c.protocol, c.exchanges.length, c.bytes, c.uninspectedBytes, c.handshake.refused, c.teardown.kind])).toEqual([
      [1, 'none', 0, { client: 0, server: 0 }, { client: 0, server: 0 }, true, 'rst'],
      [2, 'none', 0, { client: 0, server: 0 }, { client: 0, server: 0 }, false, 'fin'],
    ]);
  });

  it('MSS in the handshake: 65495 → loopback note on the connection and on each packing', async () => {
    const cap = new SyntheticCapture();
    cap.conversation().handshake({ client: 65495, server: 65495 }).send('client', GET('/')).send('server', OK_KA(100, 'x')).fin('client').fin('server');
    const m = await report(cap);
    const c = m.connections[0];
    expect([GET('/').length, OK_KA(100, 'x').length]).toEqual([33, 95]);
    expect(c.capturePoint).toMatchObject({ kind: 'loopback', mss: { client: 65495, server: 65495 }, maxSegment: { client: 33, server: 95 } });
    expect(msg(c.exchanges[0].response).packing.note).toBe(c.capturePoint.note);
  });

  it('MSS 1460 but a 3000-byte segment → offload', async () => {
    const cap = new SyntheticCapture();
    const body = 'x'.repeat(2960); // + a 41-byte header section = one 3001-byte segment
    cap
      .conversation()
      .handshake({ client: 1460, server: 1460 })
      .send('client', GET('/big'))
      .send('server', `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`)
      .fin('client')
      .fin('server');
    const m = await report(cap);
    expect(m.connections[0].capturePoint).toMatchObject({ kind: 'offload', mss: { client: 1460, server: 1460 }, maxSegment: { client: 36, server: 3001 } });
  });
});

/**
 * The builder's own API, wired by hand the way src/analysis does (tick before each frame,
 * open/final from the tcp stage — a connection is handed on when the tcp stage retires it —,
 * markCaptureEnd + tracker.finish + finish at the end), with every event logged next to the
 * capture time it happened at.
 */
function drive(cap: SyntheticCapture, trackerOptions: Pick<TrackerOptions, 'ackedSettleSeconds'> = {}): string[] {
  const log: string[] = [];
  let now = 0;
  const builder = new ModelBuilder(
    { bodies: false, bodyLimit: 0 },
    {
      connectionOpened: (c) => log.push(`${now.toFixed(3)} opened ${c.id}`),
      exchange: (x) => log.push(`${now.toFixed(3)} exchange ${x.connection}.${x.index}`),
      connectionClosed: (c) => log.push(`${now.toFixed(3)} closed ${c.id} (${c.exchanges} exchanges)`),
    },
  );
  const tracker = new TcpTracker({ ...trackerOptions, onConnection: (r) => builder.open(r), onConnectionFinal: (r) => builder.final(r) });
  const decoder = new Decoder();
  let last = 0;
  parseCaptureBuffer('synthetic', cap.toPcapng(), (frame: Frame) => {
    now = frame.time - 1_700_000_000;
    last = frame.time;
    builder.tick(frame.time);
    const segment = decoder.decode(frame);
    if (segment) tracker.push(segment);
  });
  log.push('end');
  builder.markCaptureEnd(last);
  tracker.finish();
  builder.finish();
  return log;
}

describe('ModelBuilder API: exchanges as they complete, connections once settled', () => {
  /** Connection 1 closes acked both ways at 0.010 (frame 11), 2 stays open, 3 opens ~2 s later. */
  function threeConnections(): SyntheticCapture {
    const cap = new SyntheticCapture();
    const a = cap.conversation({ clientPort: 40001 });
    const b = cap.conversation({ clientPort: 40002 });
    const c = cap.conversation({ clientPort: 40003 });
    a.handshake(); // 1-3 @ 0.000-0.002
    b.handshake(); // 4-6 @ 0.003-0.005
    // 7-8 @ 0.006-0.007, FINs 9-10 @ 0.008-0.009 (a's last byte), ACK 11 @ 0.010
    a.send('client', GET('/a')).send('server', OK_KA(100, 'a')).fin('client').fin('server').ack('client');
    b.wait(1).send('client', GET('/b')).send('server', OK_KA(100, 'b')); // 12-13 @ 1.011-1.012, b stays open
    c.wait(0.9966).handshake(); // 14-16 @ 2.0096-2.0116: 2 s after a's FIN (0.009), around 2 s after its ACK (0.010)
    return cap;
  }

  it(`a closed connection is handed on ${SETTLE_SECONDS} s of capture time after its last frame; the rest at finish(), in id order`, () => {
    expect(SETTLE_SECONDS).toBe(2);
    // Every close made to wait the full settle period, as one not acknowledged both ways does.
    expect(drive(threeConnections(), { ackedSettleSeconds: SETTLE_SECONDS })).toEqual([
      '0.000 opened 1',
      '0.003 opened 2',
      // Each exchange is handed on with its response's last byte (frames 8 and 13), connection 2 still open.
      '0.007 exchange 1.1',
      '1.012 exchange 2.1',
      // The settle period runs from a connection's last frame — connection 1's ACK at 0.010, not its
      // FINs: at frame 14 (2.0096) it has been quiet 1.9996 s and still settles; frame 15 (2.0106)
      // retires it, before the frame itself is taken in.
      '2.010 opened 3',
      '2.011 closed 1 (1 exchanges)',
      'end',
      // Still open at the end (the last frame, 16, at 2.0116): handed on by finish(), in id order.
      '2.012 closed 2 (1 exchanges)',
      '2.012 closed 3 (0 exchanges)',
    ]);
  });

  it(`a close acknowledged both ways is handed on at the first frame ${ACKED_SETTLE_SECONDS * 1000} ms after its final ACK`, () => {
    expect(drive(threeConnections())).toEqual([
      '0.000 opened 1',
      '0.003 opened 2',
      '0.007 exchange 1.1',
      // Frame 12 (1.011) is the first frame after connection 1's final ACK (0.010) and 10 ms more.
      '1.011 closed 1 (1 exchanges)',
      '1.012 exchange 2.1',
      '2.010 opened 3',
      'end',
      '2.012 closed 2 (1 exchanges)',
      '2.012 closed 3 (0 exchanges)',
    ]);
  });
});
