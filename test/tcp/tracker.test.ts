import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { TcpFlag, type Segment } from '../../src/decode/segment.js';
import type { ConnectionRecord } from '../../src/tcp/connection.js';
import { MAX_SETTLING, TcpTracker } from '../../src/tcp/tracker.js';
import { bytes, CLIENT, Flow, Harness, SERVER, segment, text, timeOf } from './segments.js';

const REQ = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';
const RES = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

describe('TcpTracker: a normal connection', () => {
  const h = new Harness();
  const f = new Flow();
  h.feed(...f.handshake()); // 1-3
  h.feed(f.send('client', REQ)); // 4
  h.feed(f.ack('server')); // 5
  h.feed(f.send('server', RES)); // 6
  h.feed(f.ack('client')); // 7
  h.feed(f.fin('client')); // 8
  h.feed(f.fin('server')); // 9
  h.feed(f.ack('client')); // 10
  h.finish();
  const c = h.conn();

  it('records the handshake with frames, times, rtt and SYN options', () => {
    expect(c.handshake).toEqual({
      syn: { frame: 1, time: timeOf(1) },
      synAck: { frame: 2, time: timeOf(2) },
      ack: { frame: 3, time: timeOf(3) },
      rtt: 0.25,
      refused: false,
      fallback: null,
      clientMss: 1460,
      serverMss: 1400,
      clientWindowScale: 7,
      serverWindowScale: 6,
    });
    expect(c.midStream).toBe(false);
    expect(c.client).toEqual(CLIENT);
    expect(c.server).toEqual(SERVER);
  });

  it('delivers request then response, and closes once after both FINs', () => {
    expect(h.events()).toEqual([
      `client @0 ${JSON.stringify(REQ)} f4`,
      `server @0 ${JSON.stringify(RES)} f6`,
      `close t${timeOf(9)}`,
    ]);
    expect(h.recorders.get(1)!.closes).toBe(1);
    expect(h.opened).toEqual([1]);
    expect(h.ended).toEqual([1]);
  });

  it('records the teardown, stats (the final ACK included) and history', () => {
    expect(c.teardown).toEqual({
      kind: 'fin',
      closedFirstBy: 'client',
      clientFin: { frame: 8, time: timeOf(8) },
      serverFin: { frame: 9, time: timeOf(9) },
      clientRst: null,
      serverRst: null,
      halfClosed: false,
    });
    expect(c.stats.client).toEqual({
      frames: 6,
      bytes: REQ.length,
      retransmissions: 0,
      firstRetransmission: null,
      spuriousRetransmissions: 0,
      outOfOrder: 0,
      firstOutOfOrder: null,
      conflictingOverlaps: 0,
      zeroWindow: 0,
      keepAlives: 0,
      zeroWindowProbes: 0,
      truncatedFrames: 0,
      duplicates: 0,
    });
    expect(c.stats.server).toMatchObject({ frames: 4, bytes: RES.length });
    expect([c.id, c.firstFrame, c.lastFrame, c.startTime, c.endTime]).toEqual([1, 1, 10, timeOf(1), timeOf(10)]);
    expect(c.gaps).toEqual([]);
    expect(c.history).toBe('ShADadFf');
  });

  it('delivers in-order payloads as the payload view itself (no copy)', () => {
    const h2 = new Harness();
    const f2 = new Flow();
    h2.feed(...f2.handshake());
    const seg = f2.send('client', REQ);
    h2.feed(seg);
    expect(h2.recorders.get(1)!.chunks[0].bytes).toBe(seg.payload);
  });
});

describe('TcpTracker: endings', () => {
  it('RST: closes at once, teardown rst by its sender', () => {
    const h = new Harness();
    const f = new Flow();
    h.feed(...f.handshake(), f.send('client', REQ), f.rst('server'));
    h.feed(f.ack('client')); // late frame: counted, nothing delivered
    h.finish();
    const c = h.conn();
    expect(h.events()).toEqual([`client @0 ${JSON.stringify(REQ)} f4`, `close t${timeOf(5)}`]);
    expect(c.teardown).toMatchObject({ kind: 'rst', closedFirstBy: 'server', serverRst: { frame: 5, time: timeOf(5) }, clientRst: null, clientFin: null });
    expect(c.handshake.refused).toBe(false);
    expect(c.history).toBe('ShADr');
    expect(c.stats.client.frames).toBe(4);
    expect(c.lastFrame).toBe(6);
    expect(h.ended).toEqual([1]);
  });

  it('refused: SYN answered by RST', () => {
    const h = new Harness();
    const f = new Flow();
    h.feed(f.syn(), f.rst('server'));
    h.finish();
    const c = h.conn();
    expect(c.handshake).toMatchObject({ syn: { frame: 1, time: timeOf(1) }, synAck: null, ack: null, rtt: null, refused: true });
    expect(c.teardown).toMatchObject({ kind: 'rst', closedFirstBy: 'server', serverRst: { frame: 2, time: timeOf(2) } });
    expect(c.history).toBe('Sr');
    expect(h.events()).toEqual([`close t${timeOf(2)}`]);
  });

  it('half-close: the client FINs with its request, the server answers afterwards', () => {
    const h = new Harness();
    const f = new Flow();
    h.feed(...f.handshake(), f.send('client', REQ), f.fin('client')); // 4, 5
    h.feed(f.send('server', RES), f.fin('server'), f.ack('client')); // 6, 7, 8
    h.finish();
    const c = h.conn();
    expect(c.teardown).toMatchObject({ kind: 'fin', closedFirstBy: 'client', halfClosed: true });
    expect(h.events()).toEqual([`client @0 ${JSON.stringify(REQ)} f4`, `server @0 ${JSON.stringify(RES)} f6`, `close t${timeOf(7)}`]);
  });

  it('half-close: one FIN and the capture ends → still open, half-closed, ended by the capture at finish', () => {
    const h = new Harness();
    const f = new Flow();
    h.feed(...f.handshake(), f.send('client', REQ), f.fin('client'), f.ack('server')); // 4, 5, 6
    expect(h.recorders.get(1)!.closes).toBe(0);
    h.finish();
    h.finish(); // idempotent
    const c = h.conn();
    expect(c.teardown).toMatchObject({ kind: 'open', closedFirstBy: 'client', halfClosed: true, serverFin: null });
    expect(h.events().at(-1)).toBe(`end-of-capture t${timeOf(6)}`);
    expect(h.recorders.get(1)!.closes).toBe(1);
    expect(h.endings).toEqual(['1 capture-end']);
  });

  it('open at end of capture: kind open, closed by nobody, endOfCapture() at finish with the last time', () => {
    const h = new Harness();
    const f = new Flow();
    h.feed(...f.handshake(), f.send('client', REQ));
    h.finish();
    expect(h.conn().teardown).toMatchObject({ kind: 'open', closedFirstBy: null, halfClosed: false });
    expect(h.events()).toEqual([`client @0 ${JSON.stringify(REQ)} f4`, `end-of-capture t${timeOf(4)}`]);
    expect(h.endings).toEqual(['1 capture-end']);
  });

  it('open at end of capture, consumer without endOfCapture: close() instead', () => {
    const ends: string[] = [];
    const tracker = new TcpTracker({ onConnection: () => ({ chunk: () => {}, gap: () => {}, close: (t) => void ends.push(`close t${t}`) }) });
    const f = new Flow();
    f.handshake().forEach((seg, i) => tracker.push({ ...seg, frame: i + 1, time: timeOf(i + 1) }));
    tracker.finish();
    expect(ends).toEqual([`close t${timeOf(3)}`]);
  });

  it('closed connections end with reason close, at the frame that closed them', () => {
    const h = new Harness();
    const f1 = new Flow({ ip: '10.0.0.1', port: 50001 });
    const f2 = new Flow({ ip: '10.0.0.1', port: 50002 });
    h.feed(...f1.handshake(), f1.fin('client'), f1.fin('server')); // 1-5
    h.feed(...f2.handshake(), f2.rst('client')); // 6-9
    h.finish();
    expect(h.endings).toEqual(['1 close', '2 close']);
    expect(h.events(1)).toEqual([`close t${timeOf(5)}`]);
    expect(h.events(2)).toEqual([`close t${timeOf(9)}`]);
  });

  it('a FIN that overtakes the last data closes only after that data arrives', () => {
    const h = new Harness();
    const f = new Flow();
    h.feed(...f.handshake(), f.send('client', REQ), f.fin('client'));
    const d = f.send('server', 'abc');
    const fin = f.fin('server');
    h.feed(fin, d); // 6, 7
    h.feed(f.ack('client'));
    h.finish();
    expect(h.events()).toEqual([`client @0 ${JSON.stringify(REQ)} f4`, 'server @0 "abc" f7', `close t${timeOf(7)}`]);
    expect(h.conn().gaps).toEqual([]);
  });
});

describe('TcpTracker: reassembly', () => {
  function started() {
    const h = new Harness();
    const f = new Flow();
    h.feed(...f.handshake());
    return { h, f };
  }

  it('out of order: segment 3 before segment 2 → chunks in stream order, outOfOrder counted', () => {
    const { h, f } = started();
    const [a, b, c] = [f.send('client', 'aaaa'), f.send('client', 'bbbb'), f.send('client', 'cccc')];
    h.feed(a, c, b); // 4, 5, 6
    expect(h.events()).toEqual(['client @0 "aaaa" f4', 'client @4 "bbbb" f6', 'client @8 "cccc" f5']);
    expect(h.conn().stats.client).toMatchObject({ outOfOrder: 1, retransmissions: 0, bytes: 12 });
  });

  it('retransmission: dropped and counted', () => {
    const { h, f } = started();
    const a = f.send('client', 'hello');
    h.feed(a, { ...a, payload: a.payload.slice() }, f.ack('server'));
    expect(h.events()).toEqual(['client @0 "hello" f4']);
    expect(h.conn().stats.client).toMatchObject({ retransmissions: 1, conflictingOverlaps: 0, bytes: 5 });
    expect(h.conn().history).toBe('ShADTa');
  });

  it('partial overlap: only the new tail is delivered, as a view of the payload', () => {
    const { h, f } = started();
    const a = f.send('client', 'hello');
    const tail = f.send('client', 'loWORLD', { seq: f.isn.client + 1 + 3 });
    h.feed(a, tail);
    expect(h.events()).toEqual(['client @0 "hello" f4', 'client @5 "WORLD" f5']);
    const chunk = h.recorders.get(1)!.chunks[1];
    expect(chunk.bytes.buffer).toBe(tail.payload.buffer);
    expect(chunk.bytes.byteOffset).toBe(tail.payload.byteOffset + 2);
    expect(h.conn().stats.client).toMatchObject({ retransmissions: 1, bytes: 10, conflictingOverlaps: 0 });
  });

  it('conflicting retransmission of delivered bytes: counted, reported, first copy wins', () => {
    const { h, f } = started();
    const a = f.send('client', 'hello');
    const liar = f.send('client', 'heLLo', { seq: a.seq, advance: false });
    h.feed(a, liar);
    expect(h.events()).toEqual(['client @0 "hello" f4', 'client conflict @2 f5 (first f4)']);
    expect(h.conn().stats.client).toMatchObject({ retransmissions: 1, conflictingOverlaps: 1, bytes: 5 });
  });

  it('conflicting copy of buffered bytes: the buffered first copy is delivered', () => {
    const { h, f } = started();
    const a = f.send('client', 'aaaa');
    const b = f.send('client', 'bbbb');
    const c = f.send('client', 'cccc');
    const c2 = f.send('client', 'cXcc', { seq: c.seq, advance: false });
    h.feed(a, c, c2, b); // 4, 5, 6, 7
    expect(h.events()).toEqual([
      'client @0 "aaaa" f4',
      'client conflict @9 f6 (first f5)',
      'client @4 "bbbb" f7',
      'client @8 "cccc" f5',
    ]);
    expect(h.conn().stats.client).toMatchObject({ outOfOrder: 1, retransmissions: 1, conflictingOverlaps: 1 });
  });

  it('an in-order segment covering buffered bytes: buffered first copy wins, compared', () => {
    const { h, f } = started();
    const a = f.send('client', 'aaaa');
    const c = f.send('client', 'cccc', { seq: f.isn.client + 1 + 8 });
    const big = f.send('client', 'bbbbcXccdd', { seq: f.isn.client + 1 + 4 });
    h.feed(a, c, big);
    expect(h.events()).toEqual(['client @0 "aaaa" f4', 'client @4 "bbbb" f6', 'client @8 "cccc" f5', 'client @12 "dd" f6', 'client conflict @9 f6 (first f5)']);
    expect(h.conn().stats.client).toMatchObject({ bytes: 14, conflictingOverlaps: 1 });
  });

  it('sequence wrap: ISN 0xFFFFFF00 and 1 KiB crossing 2^32, in and out of order', () => {
    const h = new Harness();
    const f = new Flow(CLIENT, SERVER, 0xffffff00, 0xfffffff0);
    h.feed(...f.handshake());
    const sizes = [200, 200, 200, 200, 224];
    const segs = sizes.map((n, i) => f.send('client', String.fromCharCode(65 + i).repeat(n)));
    expect(segs[1].seq).toBe(0xffffffc9); // this one crosses 2^32
    expect(segs[2].seq).toBe(0x91);
    h.feed(segs[0], segs[2], segs[1], segs[3], segs[4]); // 4-8
    h.feed(f.send('server', 'y'.repeat(100))); // 9: acks across the wrap
    h.feed(f.fin('client'), f.fin('server'), f.ack('client')); // 10-12
    const r = h.recorders.get(1)!;
    expect(r.chunks.map((c) => [c.direction, c.offset, c.bytes.length, c.frame])).toEqual([
      ['client', 0, 200, 4],
      ['client', 200, 200, 6],
      ['client', 400, 200, 5],
      ['client', 600, 200, 7],
      ['client', 800, 224, 8],
      ['server', 0, 100, 9],
    ]);
    expect(text(r.chunks[2].bytes)).toBe('C'.repeat(200));
    const c = h.conn();
    expect(c.stats.client).toMatchObject({ bytes: 1024, outOfOrder: 1, retransmissions: 0 });
    expect(c.gaps).toEqual([]);
    expect(c.teardown.kind).toBe('fin');
    expect(r.closes).toBe(1);
    expect(h.events().at(-1)).toBe(`close t${timeOf(11)}`);
  });

  it('gap: the peer ACKs beyond a hole → exact gap, bytes after it still delivered', () => {
    const { h, f } = started();
    const a = f.send('client', 'a'.repeat(100));
    f.send('client', 'b'.repeat(100)); // never captured
    const c = f.send('client', 'c'.repeat(100));
    h.feed(a, c); // 4, 5
    expect(h.events()).toHaveLength(1);
    h.feed(f.ack('server')); // 6: acks 300
    h.feed(f.send('client', 'dd')); // 7
    expect(h.events()).toEqual([
      `client @0 "${'a'.repeat(100)}" f4`,
      'client gap @100+100 before f5 acked-unseen',
      `client @200 "${'c'.repeat(100)}" f5`,
      'client @300 "dd" f7',
    ]);
    expect(h.conn().gaps).toEqual([{ direction: 'client', offset: 100, length: 100, frameAfter: 5, cause: 'acked-unseen' }]);
    expect(h.conn().history).toBe('ShADGa');
  });

  it('gap: the peer ACKs bytes never seen and nothing follows → gap labelled with the ACK frame', () => {
    const { h, f } = started();
    h.feed(f.send('client', 'aaaa'));
    f.send('client', 'bbbb'); // never captured
    h.feed(f.send('server', 'x')); // 5: acks 8
    expect(h.events()).toEqual(['client @0 "aaaa" f4', 'client gap @4+4 before f5 acked-unseen', 'server @0 "x" f5']);
  });

  it('lost SYN-ACK: the client\'s first ACK anchors the server\'s stream, so a response lost after it is a gap', () => {
    const h = new Harness();
    const f = new Flow();
    const [syn, synAck, ack] = f.handshake();
    void synAck; // never captured
    h.feed(syn, ack); // 1, 2
    h.feed(f.send('client', REQ)); // 3
    h.feed(f.ack('server')); // 4: the server's first segment, a pure ACK
    f.send('server', RES); // never captured
    h.feed(f.ack('client')); // 5: acks the response
    h.feed(f.fin('client')); // 6
    expect(h.events()).toEqual([`client @0 ${JSON.stringify(REQ)} f3`, `server gap @0+${RES.length} before f5 acked-unseen`]);
    // Before, the server's stream began where the client's ACK pointed: nothing missing, a silent server.
    expect(h.conn().gaps).toEqual([{ direction: 'server', offset: 0, length: RES.length, frameAfter: 5, cause: 'acked-unseen' }]);
  });

  it('lost SYN: the SYN-ACK anchors the client\'s stream, so a request lost after it is a gap', () => {
    const h = new Harness();
    const f = new Flow();
    const [syn, synAck, ack] = f.handshake();
    void syn; // never captured
    h.feed(synAck, ack); // 1, 2
    f.send('client', REQ); // never captured
    h.feed(f.send('server', RES)); // 3: acks the request
    expect(h.events()).toEqual([`client gap @0+${REQ.length} before f3 acked-unseen`, `server @0 ${JSON.stringify(RES)} f3`]);
  });

  it('gap at end of capture with buffered data after the hole', () => {
    const { h, f } = started();
    const a = f.send('client', 'aaaa');
    f.send('client', 'bbbb');
    const c = f.send('client', 'cccc');
    h.feed(a, c);
    h.finish();
    expect(h.events()).toEqual(['client @0 "aaaa" f4', 'client gap @4+4 before f5 end-of-capture', 'client @8 "cccc" f5', `end-of-capture t${timeOf(5)}`]);
    expect(h.conn().gaps).toEqual([{ direction: 'client', offset: 4, length: 4, frameAfter: 5, cause: 'end-of-capture' }]);
  });

  it('RST with buffered data: gap and data delivered before close', () => {
    const { h, f } = started();
    const a = f.send('client', 'aaaa');
    f.send('client', 'bbbb');
    const c = f.send('client', 'cccc');
    h.feed(a, c, f.rst('client'));
    expect(h.events()).toEqual(['client @0 "aaaa" f4', 'client gap @4+4 before f5 close', 'client @8 "cccc" f5', `close t${timeOf(6)}`]);
  });

  it('keep-alive probes (0 and 1 byte at next-1) are neither data nor retransmissions', () => {
    const { h, f } = started();
    h.feed(f.send('client', REQ), f.send('server', RES), f.ack('client')); // 4, 5, 6
    const next = f.next.client;
    h.feed(f.send('client', '', { seq: next - 1, advance: false }), f.ack('server')); // 7, 8
    h.feed(f.send('client', '\n', { seq: next - 1, advance: false }), f.ack('server')); // 9, 10
    h.feed(f.send('server', '', { seq: f.next.server - 1, advance: false })); // 11
    const c = h.conn();
    expect(c.stats.client).toMatchObject({ keepAlives: 2, retransmissions: 0, bytes: REQ.length, conflictingOverlaps: 0 });
    expect(c.stats.server).toMatchObject({ keepAlives: 1, retransmissions: 0, bytes: RES.length });
    expect(h.events()).toHaveLength(2);
    expect(c.history).toBe('ShADda');
  });

  it('a probe into a window the peer closed is a zero-window probe, not a keep-alive probe', () => {
    const { h, f } = started();
    h.feed(f.send('client', REQ), f.send('server', RES.slice(0, 20))); // 4, 5
    h.feed(f.send('client', '', { window: 0 })); // 6: the client's buffer is full
    const probe = () => f.send('server', '', { seq: f.next.server - 1, advance: false });
    h.feed(probe(), f.send('client', '', { window: 0 }), probe()); // 7, 8, 9: zero-window probes
    h.feed(f.send('client', '', { window: 512 }), f.send('server', RES.slice(20)), f.ack('client')); // 10-12: the window opens
    h.feed(probe()); // 13: the connection idles: a keep-alive probe
    h.feed(f.send('client', '', { seq: f.next.client - 1, advance: false })); // 14: the client's, into an open window
    const c = h.conn();
    expect(c.stats.server).toMatchObject({ zeroWindowProbes: 2, keepAlives: 1, retransmissions: 0, bytes: RES.length });
    expect(c.stats.client).toMatchObject({ zeroWindow: 2, zeroWindowProbes: 0, keepAlives: 1 });
    expect(h.events()).toEqual([`client @0 ${JSON.stringify(REQ)} f4`, `server @0 ${JSON.stringify(RES.slice(0, 20))} f5`, `server @20 ${JSON.stringify(RES.slice(20))} f11`]);
  });

  it('a one-byte probe resent into a closed window (BSD, macOS, Windows) is a zero-window probe, not a retransmission', () => {
    const { h, f } = started();
    h.feed(f.send('client', REQ), f.send('server', RES.slice(0, 20))); // 4, 5
    h.feed(f.send('client', '', { window: 0 })); // 6: the client's buffer is full
    const probeSeq = f.next.server;
    h.feed(f.send('server', RES.slice(20, 21))); // 7: one new byte into the closed window (data)
    h.feed(f.send('client', '', { window: 0, ack: probeSeq })); // 8: not taken, still closed
    h.feed(f.send('server', RES.slice(20, 21), { seq: probeSeq, advance: false })); // 9: the probe again
    h.feed(f.send('client', '', { window: 0, ack: probeSeq })); // 10
    h.feed(f.send('server', RES.slice(20, 21), { seq: probeSeq, advance: false })); // 11: and again
    h.feed(f.send('client', '', { window: 512 })); // 12: the window opens
    h.feed(f.send('server', RES.slice(21)), f.ack('client')); // 13, 14
    const c = h.conn();
    expect(c.stats.server).toMatchObject({ zeroWindowProbes: 2, retransmissions: 0, firstRetransmission: null, bytes: RES.length });
    expect(c.history).not.toContain('t');
    // A one-byte repeat into an open window stays a retransmission (an earlier byte: one at next - 1 is a keep-alive probe's shape).
    h.feed(f.send('server', RES.slice(-3, -2), { seq: f.next.server - 3, advance: false })); // 15
    expect(h.conn().stats.server).toMatchObject({ zeroWindowProbes: 2, retransmissions: 1, firstRetransmission: 15 });
  });

  it('names the first retransmitted and out-of-order frames of each side', () => {
    const { h, f } = started();
    const a = f.send('client', 'aaaa'); // 4
    const b = f.send('client', 'bbbb');
    const c = f.send('client', 'cccc');
    h.feed(a, c, b, b, f.send('server', 'xy'), f.send('server', 'xy', { seq: f.next.server - 2, advance: false })); // 4 a, 5 c ahead, 6 b, 7 b again, 8, 9 again
    const st = h.conn().stats;
    expect(st.client).toMatchObject({ outOfOrder: 1, firstOutOfOrder: 5, retransmissions: 1, firstRetransmission: 7 });
    expect(st.server).toMatchObject({ outOfOrder: 0, firstOutOfOrder: null, retransmissions: 1, firstRetransmission: 9 });
  });

  it('a D-SACK block marks the peer\'s retransmission spurious, once per block', () => {
    const { h, f } = started();
    h.feed(f.send('client', REQ)); // 4
    const first = f.send('server', RES); // 5
    h.feed(first, segment({ ...first, frame: 0 })); // 5, 6: the server's timer fired before the ACK came
    const dsack = (): Segment => segment({ ...f.ack('client'), options: { sack: [[first.seq, (first.seq + RES.length) >>> 0]] } });
    h.feed(dsack(), dsack()); // 7, 8: the client had the bytes twice (the same block repeated)
    h.feed(segment({ ...f.ack('client'), options: { sack: [[(f.next.server + 10) >>> 0, (f.next.server + 20) >>> 0]] } })); // 9: an ordinary SACK block
    const st = h.conn().stats;
    expect(st.server).toMatchObject({ retransmissions: 1, firstRetransmission: 6, spuriousRetransmissions: 1 });
    expect(st.client.spuriousRetransmissions).toBe(0);
  });

  it('zero window advertisements are counted (RST windows are not)', () => {
    const { h, f } = started();
    h.feed(f.send('client', REQ), f.send('server', '', { window: 0 }), f.send('server', '', { window: 0 }));
    h.feed(segment({ ...f.rst('server'), window: 0 }));
    expect(h.conn().stats.server.zeroWindow).toBe(2);
    expect(h.conn().history).toBe('ShADawr');
  });

  it('snaplen-cut payload: captured bytes delivered, the rest a truncated gap (not in record.gaps)', () => {
    const { h, f } = started();
    h.feed(f.send('client', 'GET / HTT', { payloadLength: 30 }), f.send('client', 'next'));
    expect(h.events()).toEqual(['client @0 "GET / HTT" f4', 'client gap @9+21 before f4 truncated', 'client @30 "next" f5']);
    expect(h.conn().stats.client).toMatchObject({ truncatedFrames: 1, bytes: 13 });
    expect(h.conn().gaps).toEqual([]);
  });

  it('interleaves directions in capture order (pipelined requests)', () => {
    const { h, f } = started();
    h.feed(f.send('client', 'R1'), f.send('client', 'R2'), f.send('server', 'S1'), f.send('client', 'R3'), f.send('server', 'S2'));
    expect(h.events()).toEqual(['client @0 "R1" f4', 'client @2 "R2" f5', 'server @0 "S1" f6', 'client @4 "R3" f7', 'server @2 "S2" f8']);
  });
});

describe('TcpTracker: buffer caps', () => {
  it('per-connection cap: flushing degrades to a buffer-limit gap; late bytes are retransmissions', () => {
    const h = new Harness({ bufferLimits: { perConnection: 10, total: 1000 } });
    const f = new Flow();
    h.feed(...f.handshake());
    const a = f.send('client', 'aaaaa');
    const b = f.send('client', 'bbbbb');
    const c = f.send('client', 'ccccc');
    const d = f.send('client', 'dddddddd');
    h.feed(a, c); // c buffered: 5 bytes
    expect(h.events()).toEqual(['client @0 "aaaaa" f4']);
    h.feed(d); // 5 + 8 > 10 → flush
    h.feed(b); // too late
    expect(h.events()).toEqual([
      'client @0 "aaaaa" f4',
      'client gap @5+5 before f5 buffer-limit',
      'client @10 "ccccc" f5',
      'client @15 "dddddddd" f6',
    ]);
    const conn = h.conn();
    expect(conn.gaps).toEqual([{ direction: 'client', offset: 5, length: 5, frameAfter: 5, cause: 'buffer-limit' }]);
    expect(conn.stats.client).toMatchObject({ outOfOrder: 2, retransmissions: 1, bytes: 18 });
  });

  it('total cap across connections: the connection that hits it flushes; released bytes are reusable', () => {
    const h = new Harness({ bufferLimits: { perConnection: 100, total: 8 } });
    const f1 = new Flow({ ip: '10.0.0.1', port: 50001 });
    const f2 = new Flow({ ip: '10.0.0.1', port: 50002 });
    h.feed(...f1.handshake(), ...f2.handshake()); // 1-6
    const a1 = f1.send('client', 'a1a1a');
    const c1 = f1.send('client', 'c1c1c');
    f2.send('client', 'a2a2a'); // never captured
    const c2 = f2.send('client', 'c2c2c');
    h.feed(c1); // 7: conn 1 holds 5 of 8
    h.feed(c2); // 8: conn 2 would need 5 more → flushes
    expect(h.events(2)).toEqual(['client gap @0+5 before f8 buffer-limit', 'client @5 "c2c2c" f8']);
    h.feed(a1); // 9: conn 1's hole fills, its 5 bytes are released
    expect(h.events(1)).toEqual(['client @0 "a1a1a" f9', 'client @5 "c1c1c" f7']);
    const e2 = f2.send('client', 'e2e2e', { seq: f2.next.client + 5 });
    h.feed(e2); // 10: fits again
    expect(h.events(2)).toHaveLength(2);
  });
});

describe('TcpTracker: roles and mid-stream pickup', () => {
  /** A stand-in for the http stage's guesser (http/role.ts, tested with the tracker in test/http/role.test.ts). */
  const guessRole = (payload: Uint8Array) => (text(payload).startsWith('HTTP/') ? 'server' : text(payload).startsWith('GET ') ? 'client' : null);

  it('server response first: its sender is the server (the guesser says so), whatever the ports', () => {
    const h = new Harness({ guessRole });
    const f = new Flow({ ip: '10.0.0.1', port: 1234 }, { ip: '10.0.0.2', port: 60000 });
    h.feed(f.send('server', RES), f.send('client', REQ));
    const c = h.conn();
    expect(c.midStream).toBe(true);
    expect(c.client).toEqual({ ip: '10.0.0.1', port: 1234 });
    expect(c.server).toEqual({ ip: '10.0.0.2', port: 60000 });
    expect(h.events()).toEqual([`server @0 ${JSON.stringify(RES)} f1`, `client @0 ${JSON.stringify(REQ)} f2`]);
    expect(c.handshake).toMatchObject({ syn: null, synAck: null, ack: null, rtt: null });
    expect(c.history).toBe('^dD');
  });

  it('request first: its sender is the client (the guesser says so)', () => {
    const h = new Harness({ guessRole });
    const f = new Flow({ ip: '10.0.0.1', port: 40000 }, { ip: '10.0.0.2', port: 40001 });
    h.feed(f.send('client', REQ));
    expect(h.conn().client).toEqual({ ip: '10.0.0.1', port: 40000 });
    expect(h.conn().history).toBe('D');
  });

  it('non-HTTP payload: ports decide (well-known port is the server)', () => {
    const h = new Harness({ guessRole });
    const f = new Flow({ ip: '10.0.0.1', port: 50000 }, { ip: '10.0.0.2', port: 8080 });
    h.feed(f.send('server', 'binary'));
    expect(h.conn().server).toEqual({ ip: '10.0.0.2', port: 8080 });
  });

  it('no guesser: the tcp stage reads no payload, the ports decide (the lower one is the server)', () => {
    const h = new Harness();
    const f = new Flow({ ip: '10.0.0.1', port: 1234 }, { ip: '10.0.0.2', port: 60000 });
    h.feed(f.send('server', RES));
    expect(h.conn().client).toEqual({ ip: '10.0.0.2', port: 60000 });
    expect(h.conn().server).toEqual({ ip: '10.0.0.1', port: 1234 });
  });

  it('the guesser is asked about the first payload only, with its bytes', () => {
    const asked: string[] = [];
    const h = new Harness({ guessRole: (p) => (asked.push(text(p)), null) });
    const f = new Flow();
    h.feed(f.ack('client'), f.send('server', 'first'), f.send('client', 'second'));
    expect(asked).toEqual(['first']);
    expect(h.conn().server).toEqual(SERVER);
  });

  it('a RST before any payload: the ports decide at once and the connection closes', () => {
    const h = new Harness();
    const f = new Flow();
    h.feed(f.ack('server'), f.rst('client'));
    expect(h.opened).toEqual([1]);
    expect(h.endings).toEqual(['1 close']);
    expect(h.conn()).toMatchObject({ client: CLIENT, server: SERVER, midStream: true });
    expect(h.conn().teardown).toMatchObject({ kind: 'rst', clientRst: { frame: 2, time: timeOf(2) } });
  });

  it('64 segments without payload: the ports decide rather than keep more', () => {
    const h = new Harness();
    const f = new Flow();
    for (let i = 0; i < 63; i++) h.feed(f.ack('server'));
    expect(h.opened).toEqual([]);
    h.feed(f.ack('client')); // 64
    expect(h.opened).toEqual([1]);
    expect(h.conn().stats).toMatchObject({ client: { frames: 1 }, server: { frames: 63 } });
  });

  it('no payload yet: deferred, replayed once the first payload decides', () => {
    const h = new Harness();
    const f = new Flow();
    h.feed(f.ack('server'), f.ack('client')); // 1, 2: undecided
    expect(h.opened).toEqual([]);
    h.feed(f.send('client', REQ)); // 3
    expect(h.opened).toEqual([1]);
    const c = h.conn();
    expect(c.client).toEqual(CLIENT);
    expect(c.stats.server.frames).toBe(1);
    expect(c.stats.client.frames).toBe(2);
    expect(c.history).toBe('^aAD');
    expect(h.events()).toEqual([`client @0 ${JSON.stringify(REQ)} f3`]);
  });

  it('no payload at all: decided by ports at finish()', () => {
    const h = new Harness();
    const f = new Flow();
    h.feed(f.ack('client'), f.ack('server'));
    h.finish();
    const c = h.conn();
    expect(c.server).toEqual(SERVER);
    expect(c.midStream).toBe(true);
    expect(h.opened).toEqual([1]);
    expect(h.ended).toEqual([1]);
    expect(c.history).toBe('Aa');
  });

  it('picked up on an idle keep-alive connection: probes first, then a request at offset 0, no gap', () => {
    const h = new Harness();
    const f = new Flow();
    const x = f.next.client;
    h.feed(f.send('client', '', { seq: x - 1, advance: false }), f.ack('server')); // 0-byte probe, its ACK
    h.feed(f.send('client', 'k', { seq: x - 1, advance: false }), f.ack('server')); // 1-byte probe, its ACK
    h.feed(f.send('client', REQ)); // 5
    h.finish();
    const c = h.conn();
    expect(h.events()).toEqual([`client @0 ${JSON.stringify(REQ)} f5`, `end-of-capture t${timeOf(5)}`]);
    expect(c.gaps).toEqual([]);
    expect(c.stats.client).toMatchObject({ keepAlives: 1, retransmissions: 0, bytes: REQ.length });
  });

  it('picked up with a 1-byte probe answered first: the probe is recognised from the peer\'s ACK', () => {
    const h = new Harness();
    const f = new Flow();
    const x = f.next.client;
    h.feed(f.ack('server'), f.send('client', 'k', { seq: x - 1, advance: false }), f.send('client', REQ));
    h.finish();
    expect(h.events()).toEqual([`client @0 ${JSON.stringify(REQ)} f3`, `end-of-capture t${timeOf(3)}`]);
    expect(h.conn().stats.client).toMatchObject({ keepAlives: 1, bytes: REQ.length });
  });

  it('SYN-ACK first: roles known, not mid-stream', () => {
    const h = new Harness();
    const f = new Flow();
    f.syn(); // not captured
    h.feed(f.synAck(), f.send('client'));
    const c = h.conn();
    expect(c.client).toEqual(CLIENT);
    expect(c.midStream).toBe(false);
    expect(c.handshake).toMatchObject({ syn: null, synAck: { frame: 1, time: timeOf(1) }, ack: { frame: 2, time: timeOf(2) }, rtt: null });
    expect(c.history).toBe('^hA');
  });
});

describe('TcpTracker: the connection table', () => {
  it('port reuse: a new SYN on a closed 4-tuple starts connection 2', () => {
    const h = new Harness();
    const f1 = new Flow(CLIENT, SERVER, 1000, 5000);
    h.feed(...f1.handshake(), f1.send('client', REQ), f1.send('server', RES), f1.fin('client'), f1.fin('server'), f1.ack('client')); // 1-8
    const f2 = new Flow(CLIENT, SERVER, 900000, 7000);
    h.feed(...f2.handshake(), f2.send('client', 'again')); // 9-12
    h.finish();
    const [c1, c2] = h.connections();
    expect([c1.id, c1.firstFrame, c1.lastFrame, c1.teardown.kind]).toEqual([1, 1, 8, 'fin']);
    expect([c2.id, c2.firstFrame, c2.lastFrame, c2.teardown.kind]).toEqual([2, 9, 12, 'open']);
    expect(c2.handshake.syn).toEqual({ frame: 9, time: timeOf(9) });
    expect(h.events(2)).toEqual(['client @0 "again" f12', `end-of-capture t${timeOf(12)}`]);
    expect(h.endings).toEqual(['1 close', '2 capture-end']);
  });

  it('port reuse: a SYN after a RST starts a new connection even with the same ISN', () => {
    const h = new Harness();
    const f = new Flow();
    h.feed(f.syn(), f.rst('server'), f.syn());
    expect(h.connections().map((c) => c.id)).toEqual([1, 2]);
    expect(h.conn(1).handshake.refused).toBe(true);
  });

  it('a new SYN with a different ISN replaces a still-open connection (tshark rule)', () => {
    const h = new Harness();
    const f1 = new Flow(CLIENT, SERVER, 1000, 5000);
    h.feed(f1.syn());
    const f2 = new Flow(CLIENT, SERVER, 2000, 6000);
    h.feed(f2.syn(), f2.synAck());
    h.finish();
    expect(h.connections().map((c) => [c.id, c.firstFrame, c.lastFrame])).toEqual([[1, 1, 1], [2, 2, 3]]);
    expect(h.endings).toEqual(['1 replaced', '2 capture-end']);
    expect(h.events(1)).toEqual([`close t${timeOf(1)}`]); // over, not cut by the capture
    expect(h.finals).toEqual([1, 2]);
  });

  it('SYN retransmission: two SYNs then SYN-ACK is one connection', () => {
    const h = new Harness();
    const f = new Flow();
    const syn = f.syn();
    h.feed(syn, { ...syn }, f.synAck(), f.send('client'));
    h.finish();
    const conns = h.connections();
    expect(conns).toHaveLength(1);
    expect(conns[0].handshake).toMatchObject({ syn: { frame: 1, time: timeOf(1) }, synAck: { frame: 3, time: timeOf(3) }, ack: { frame: 4, time: timeOf(4) }, rtt: 0.5 });
    expect(conns[0].stats.client.frames).toBe(3);
    expect(conns[0].history).toBe('ShA');
  });

  it('two interleaved connections: ids by first frame, chunks to their own consumer', () => {
    const h = new Harness();
    const f1 = new Flow({ ip: '10.0.0.1', port: 50001 });
    const f2 = new Flow({ ip: '10.0.0.1', port: 50002 });
    const [s1, sa1, a1] = f1.handshake();
    const [s2, sa2, a2] = f2.handshake();
    h.feed(s1, s2, sa2, sa1, a1, a2); // 1-6
    h.feed(f2.send('client', 'two'), f1.send('client', 'one'), f1.send('server', 'ONE'), f2.send('server', 'TWO')); // 7-10
    h.finish();
    const conns = h.connections();
    expect(conns.map((c) => [c.id, c.client.port, c.firstFrame])).toEqual([[1, 50001, 1], [2, 50002, 2]]);
    expect(h.events(1)).toEqual(['client @0 "one" f8', 'server @0 "ONE" f9', `end-of-capture t${timeOf(9)}`]);
    expect(h.events(2)).toEqual(['client @0 "two" f7', 'server @0 "TWO" f10', `end-of-capture t${timeOf(10)}`]);
    expect(conns[0].handshake.rtt).toBe(0.75);
    expect(conns[1].handshake.rtt).toBe(0.25);
  });

  it('alternating segments of tuples that differ in one field only each find their own connection', () => {
    const h = new Harness();
    const a = { ip: '10.0.0.1', port: 50000 };
    const b = { ip: '10.0.0.2', port: 80 };
    const flows = [
      new Flow(a, b),
      new Flow({ ...a, port: 50001 }, b),
      new Flow({ ip: b.ip, port: a.port }, { ip: a.ip, port: b.port }), // the addresses swapped
      new Flow(a, { ...b, ip: '10.0.0.3' }),
    ];
    const handshakes = flows.map((f) => f.handshake());
    for (let i = 0; i < 3; i++) h.feed(...handshakes.map((hs) => hs[i])); // 1-12, round robin
    h.feed(...flows.map((f, i) => f.send('client', `req${i}`))); // 13-16
    h.feed(...flows.map((f, i) => f.send('server', `res${i}`))); // 17-20
    h.finish();
    const conns = h.connections();
    expect(conns.map((c) => [c.id, c.firstFrame, c.stats.client.frames, c.stats.server.frames])).toEqual([
      [1, 1, 3, 2],
      [2, 2, 3, 2],
      [3, 3, 3, 2],
      [4, 4, 3, 2],
    ]);
    for (let i = 0; i < 4; i++) {
      expect(h.events(i + 1)).toEqual([`client @0 "req${i}" f${13 + i}`, `server @0 "res${i}" f${17 + i}`, `end-of-capture t${timeOf(17 + i)}`]);
    }
  });

  it('IPv6 endpoints and a connection with no consumer', () => {
    const t = new Harness();
    const f = new Flow({ ip: '::1', port: 50000 }, { ip: '::1', port: 3000 });
    const segs = f.handshake().map((s) => ({ ...s, ipVersion: 6 as const }));
    t.feed(...segs);
    expect(t.conn().ipVersion).toBe(6);
    expect(t.conn().server).toEqual({ ip: '::1', port: 3000 });
  });
});

describe('TcpTracker: flags', () => {
  it('treats SYN+ACK as the handshake reply only from the server side', () => {
    const h = new Harness();
    const f = new Flow();
    h.feed(f.syn(), f.send('client', '', { flags: TcpFlag.SYN | TcpFlag.ACK, seq: f.isn.client }));
    expect(h.conn().handshake.synAck).toBeNull();
  });
});

describe('TcpTracker: memory', () => {
  it('a closed connection lets go of its consumer at once (the table keeps the session for late segments)', async () => {
    // The consumer is where a later stage keeps everything it built for the connection (the HTTP
    // model of every exchange): held by the table, it would live as long as the session settles.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let consumer: { chunks: number } | null = { chunks: 0 };
    const ref = new WeakRef(consumer);
    const finals: ConnectionRecord[] = [];
    const tracker = new TcpTracker({
      onConnection: () => {
        const state = consumer as { chunks: number };
        return { chunk: () => void state.chunks++, gap: () => {}, close: () => {} };
      },
      onConnectionFinal: (record) => finals.push(record),
    });
    const f = new Flow();
    for (const seg of [...f.handshake(), f.send('client', REQ), f.send('server', RES), f.fin('client'), f.fin('server')]) tracker.push(seg);
    expect(consumer.chunks).toBe(2);
    consumer = null;
    tracker.push(f.ack('client')); // a late ACK still finds the closed session
    await new Promise((resolve) => setImmediate(resolve)); // WeakRef targets live until the job ends
    gc();
    expect(ref.deref()).toBeUndefined();
    expect(finals).toEqual([]);
    tracker.finish();
    expect(finals.map((r) => [r.id, r.stats.client.frames])).toEqual([[1, 5]]);
  });

  /** Feeds `segs` at the given capture times, frames numbered on from `from`. */
  function feedAt(tracker: TcpTracker, from: number, ...timed: Array<[number, Segment]>): void {
    timed.forEach(([time, seg], i) => tracker.push({ ...seg, frame: from + i, time }));
  }

  it('a closed connection stays for late segments during the settle period, then leaves and is final', () => {
    const finals: string[] = [];
    const tracker = new TcpTracker({ onConnectionFinal: (r) => finals.push(`${r.id}: frames ${r.firstFrame}-${r.lastFrame}`) });
    const f = new Flow();
    const [syn, synAck, ack] = f.handshake();
    feedAt(tracker, 1, [10, syn], [10, synAck], [10, ack], [10.1, f.fin('client')], [10.2, f.fin('server')]); // closed at 10.2, the server's FIN not yet acked
    expect(tracker.settlingSessions).toBe(1);
    const resentFin = f.send('server', '', { flags: TcpFlag.FIN | TcpFlag.ACK, seq: (f.next.server - 1) >>> 0, advance: false });
    feedAt(tracker, 6, [12.1, resentFin]); // 1.9 s after the close: counted in connection 1, quiet again from 12.1
    expect(finals).toEqual([]);
    const other = new Flow({ ip: '10.0.0.9', port: 50000 });
    feedAt(tracker, 7, [14.0, other.syn()]); // 1.9 s after the late ACK: still settling
    expect(finals).toEqual([]);
    feedAt(tracker, 8, [14.1, other.synAck()]); // 2 s after it: connection 1 leaves the table
    expect(finals).toEqual(['1: frames 1-6']);
    expect([tracker.liveSessions, tracker.tableSize, tracker.settlingSessions]).toEqual([1, 2, 0]);
    tracker.finish();
    expect(finals).toEqual(['1: frames 1-6', '2: frames 7-8']);
    expect([tracker.liveSessions, tracker.tableSize, tracker.connectionCount]).toEqual([0, 0, 2]);
  });

  it('a segment after the settle period starts a new connection (the last-segment cache does not keep the old one)', () => {
    const h = new Harness({ settleSeconds: 1 });
    const f = new Flow();
    h.feed(...f.handshake(), f.fin('client'), f.fin('server')); // 1-5, closed at timeOf(5)
    // ACKs short of the server's FIN (the close is never acknowledged both ways, so it settles 1 s).
    const dupAck = (): Segment => f.send('client', '', { ack: (f.next.server - 1) >>> 0 });
    h.feed(dupAck(), dupAck(), dupAck(), dupAck()); // 6-9: quiet 0.25 s each, all in connection 1
    h.feed(dupAck(), f.ack('server')); // 10, 11
    expect(h.finals).toEqual([]);
    const late = dupAck();
    late.time = timeOf(11) + 1; // a whole second after the last frame
    late.frame = 12;
    h.tracker.push(late);
    expect(h.finals).toEqual([1]);
    expect(h.conn(1).lastFrame).toBe(11);
    expect(h.tracker.connectionCount).toBe(2);
    h.finish();
    expect(h.connections().map((c) => [c.id, c.firstFrame, c.lastFrame, c.midStream])).toEqual([[1, 1, 11, false], [2, 12, 12, true]]);
    expect(h.finals).toEqual([1, 2]);
  });

  it('beyond maxSettling closed connections, the one quiet longest leaves first', () => {
    const h = new Harness({ maxSettling: 2 });
    for (let i = 0; i < 5; i++) {
      const f = new Flow({ ip: '10.0.0.1', port: 50000 + i });
      // The server's FIN is never acked: each waits the whole settle period.
      h.feed(...f.handshake(), f.fin('client'), f.fin('server'), f.send('client', '', { ack: (f.next.server - 1) >>> 0 }));
    }
    // All within 2 s of capture time, but only two may wait: the cap is checked at each frame, so
    // 1, 2 and 3 left at the frame after the close of 3, 4 and 5 (their last ACKs).
    expect(h.finals).toEqual([1, 2, 3]);
    expect([h.tracker.settlingSessions, h.tracker.liveSessions, h.tracker.tableSize]).toEqual([2, 2, 4]);
    h.feed(new Flow({ ip: '10.0.0.2', port: 1 }).syn());
    expect(h.finals).toEqual([1, 2, 3]);
    expect([h.tracker.settlingSessions, h.tracker.liveSessions]).toEqual([2, 3]);
    h.finish();
    expect(h.finals).toEqual([1, 2, 3, 4, 5, 6]);
    for (let id = 1; id <= 5; id++) expect(h.conn(id).stats).toMatchObject({ client: { frames: 4 }, server: { frames: 2 } });
  });

  it('200,000 short connections: the table stays small, and each is final once with its frame counts', () => {
    const total = 200_000;
    const request = bytes(REQ);
    const response = bytes(RES);
    let frame = 0;
    let peakLive = 0;
    let peakTable = 0;
    let peakRetired = 0;
    let finals = 0;
    let wrong = 0;
    let outOfOrder = 0;
    let lastFinal = 0;
    const tracker = new TcpTracker({
      onConnectionFinal: (r) => {
        finals++;
        if (r.id !== lastFinal + 1) outOfOrder++;
        lastFinal = r.id;
        const { client, server } = r.stats;
        if (client.frames !== 5 || server.frames !== 3 || client.bytes !== request.length || server.bytes !== response.length || r.teardown.kind !== 'fin') wrong++;
      },
    });
    for (let i = 0; i < total; i++) {
      const f = new Flow({ ip: `10.1.${(i / 60000) | 0}.1`, port: 1024 + (i % 60000) }, SERVER, i * 7, i * 11);
      const segs = [...f.handshake(), f.send('client', request), f.send('server', response), f.fin('client'), f.fin('server'), f.ack('client')];
      for (const seg of segs) {
        frame++;
        seg.frame = frame;
        seg.time = frame * 0.0005; // 8 frames every 4 ms: 250 connections a second, 2 s settle ≈ 500 waiting
        tracker.push(seg);
      }
      if (tracker.liveSessions > peakLive) peakLive = tracker.liveSessions;
      if (tracker.tableSize > peakTable) peakTable = tracker.tableSize;
      if (tracker.retiredKept > peakRetired) peakRetired = tracker.retiredKept;
    }
    // Each close is acked both ways (the client's last ACK): the session waits 10 ms (the one just
    // closed and the two before it), its 4-tuple for the rest of 2 s (500 connections, less those
    // still settling) as a RetiredConnection.
    expect(peakLive).toBe(3);
    expect(peakRetired).toBe(498);
    expect(peakTable).toBe(2 * (peakLive + peakRetired));
    expect(tracker.lateSegments).toBe(0);
    tracker.finish();
    expect([finals, wrong, outOfOrder, tracker.connectionCount, tracker.liveSessions]).toEqual([total, 0, 0, total, 0]);
  });

  /** `seg` as frame `frame` at capture time `time` (Harness.feed numbers frames 0.25 s apart). */
  const at = (time: number, frame: number, seg: Segment): Segment => ({ ...seg, time, frame });
  const push = (h: Harness, ...segs: Segment[]): void => segs.forEach((seg) => h.tracker.push(seg));

  it('an acked close leaves after 10 ms; a late segment for it within 2 s is counted late, in no connection, and opens none', () => {
    const h = new Harness();
    const f = new Flow();
    const [syn, synAck, ack] = f.handshake();
    push(h, at(10, 1, syn), at(10, 2, synAck), at(10, 3, ack), at(10.1, 4, f.fin('client')), at(10.1, 5, f.fin('server')));
    push(h, at(10.1, 6, f.ack('client'))); // acks the server's FIN: acked both ways
    push(h, at(10.105, 7, f.ack('client'))); // a copy 5 ms later still counts in the connection
    expect([h.finals, h.tracker.settlingSessions]).toEqual([[], 1]);
    // The final ACK was lost beyond the capture point: the server resends its FIN 300 ms later, the client re-acks it.
    const resentFin = f.send('server', '', { flags: TcpFlag.FIN | TcpFlag.ACK, seq: (f.next.server - 1) >>> 0, advance: false });
    push(h, at(10.405, 8, resentFin), at(10.405, 9, f.ack('client')));
    expect(h.finals).toEqual([1]);
    expect([h.conn(1).lastFrame, h.conn(1).stats.client.frames, h.conn(1).stats.server.frames]).toEqual([7, 5, 2]);
    expect([h.tracker.lateSegments, h.tracker.connectionCount, h.tracker.retiredKept, h.tracker.liveSessions]).toEqual([2, 1, 1, 0]);
    // A SYN on the 4-tuple is a new connection (as after any FIN), the retired one forgotten.
    const next = new Flow(CLIENT, SERVER, 90_000, 70_000);
    push(h, at(11, 10, next.syn()), at(11, 11, next.synAck()));
    expect([h.tracker.connectionCount, h.tracker.retiredKept, h.conn(2).firstFrame]).toEqual([2, 0, 10]);
    h.finish();
    expect(h.finals).toEqual([1, 2]);
  });

  it('a 4-tuple retired after an acked close is free again 2 s after its last frame: a later segment opens a connection', () => {
    const h = new Harness();
    const f = new Flow();
    const [syn, synAck, ack] = f.handshake();
    push(h, at(10, 1, syn), at(10, 2, synAck), at(10, 3, ack), at(10.1, 4, f.fin('client')), at(10.1, 5, f.fin('server')), at(10.1, 6, f.ack('client')));
    push(h, at(12.05, 7, f.ack('client'))); // 1.95 s after the last frame: late
    push(h, at(12.2, 8, f.ack('client'))); // 2.1 s after it: the 4-tuple was forgotten
    expect([h.tracker.lateSegments, h.tracker.connectionCount, h.tracker.retiredKept]).toEqual([1, 2, 0]);
    h.finish();
    expect(h.connections().map((c) => [c.id, c.firstFrame, c.lastFrame, c.midStream])).toEqual([[1, 1, 6, false], [2, 8, 8, true]]);
  });

  it('a late RST after an acked close puts the connection back on the 2 s settle', () => {
    const h = new Harness();
    const f = new Flow();
    const [syn, synAck, ack] = f.handshake();
    push(h, at(10, 1, syn), at(10, 2, synAck), at(10, 3, ack), at(10.1, 4, f.fin('client')), at(10.1, 5, f.fin('server')), at(10.1, 6, f.ack('client')));
    push(h, at(10.101, 7, f.rst('server'))); // within the 10 ms
    push(h, at(11, 8, new Flow({ ip: '10.0.0.9', port: 1 }).syn()));
    expect([h.finals, h.conn(1).lastFrame, h.conn(1).teardown.kind]).toEqual([[], 7, 'fin']);
    push(h, at(12.2, 9, new Flow({ ip: '10.0.0.9', port: 2 }).syn()));
    expect(h.finals).toEqual([1]);
  });

  it('40,000 short connections at one instant: the settling cap keeps the table flat', () => {
    const total = 40_000;
    let peakLive = 0;
    let finals = 0;
    const tracker = new TcpTracker({ onConnectionFinal: () => void finals++ });
    for (let i = 0; i < total; i++) {
      const f = new Flow({ ip: `10.2.${(i / 60000) | 0}.1`, port: 1024 + (i % 60000) }, SERVER);
      for (const seg of [...f.handshake(), f.fin('client'), f.fin('server'), f.ack('client')]) {
        seg.frame = i + 1;
        seg.time = 1; // no capture time passes: only the cap retires
        tracker.push(seg);
      }
      if (tracker.liveSessions > peakLive) peakLive = tracker.liveSessions;
    }
    expect(peakLive).toBe(MAX_SETTLING); // 10,001 for a moment: the cap is checked at the next frame
    tracker.finish();
    expect(finals).toBe(total);
  });
});
