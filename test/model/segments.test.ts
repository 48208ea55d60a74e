/**
 * labelSegments over real scenario captures: what each segment carried, told from the model.
 * Frame numbers, seq/ack and lengths are checked against tshark (`-e frame.number -e tcp.seq
 * -e tcp.ack -e tcp.len`); the labels against the scenario each capture records.
 */
import { describe, expect, it } from 'vitest';
import { exchangeSegments, extendLabels, labelSegments, type SegmentRecord } from '../../src/model/segments.js';
import type { ConnectionModel, ExchangeModel } from '../../src/model/types.js';
import { analyse } from '../../src/analysis/analysis.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { capture, CAPTURES_DIR } from '../helpers/captures.js';
import { labelLines, labelledConnections, outOfOrderCapture } from '../helpers/segments.js';
import { tshark } from '../helpers/tshark.js';
import { SyntheticCapture } from '../helpers/conversation.js';

/** Tshark's frame, seq, ack (blank without the ACK flag) and length of every TCP frame. */
function tsharkSeqs(file: string): string[] {
  return tshark(['-r', file, '-Y', 'tcp', '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.seq', '-e', 'tcp.ack', '-e', 'tcp.len', '-e', 'tcp.flags.ack'])
    .trim()
    .split('\n')
    .map((line) => {
      const [frame, seq, ack, len, hasAck] = line.split('\t');
      // tshark prints an ack field without the ACK flag as 0; ours is null.
      return `${frame} ${seq} ${hasAck === '1' ? ack : ''} ${len}`;
    });
}

async function rowsOf(file: string) {
  const { rows } = await labelledConnections(file);
  return rows;
}

describe('the segment event', () => {
  it.each(['05-flushheaders-then-end.pcapng', '19-keepalive-reuse-race.pcapng', '20-pipelining.pcapng', '18-expect-100-continue.pcapng'])(
    'reports every TCP frame of %s with tshark’s relative seq, ack and length',
    async (name) => {
      const file = capture(name);
      const rows = [...(await rowsOf(file)).values()].flat().sort((a, b) => a.frame - b.frame);
      const ours = rows.map((r) => `${r.frame} ${r.seq} ${r.ack ?? ''} ${r.length}`);
      const theirs = tsharkSeqs(file);
      expect(ours).toEqual(theirs);
    },
  );

  it('numbers a connection picked up mid-stream from its first byte seen, across the 2^32 wrap, as tshark does', async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation({ serverPort: 80, isn: { client: 0xffff_ff00, server: 77 } })
      .ack('client')
      .ack('server')
      .send('client', `GET / HTTP/1.1\r\nHost: ${'a'.repeat(300)}\r\n\r\n`)
      .send('server', 'HTTP/1.1 204 No Content\r\n\r\n')
      .send('client', 'GET /2 HTTP/1.1\r\nHost: a\r\n\r\n')
      .rst('server');
    const file = cap.writeTemp('mid-stream.pcapng');
    const rows = (await rowsOf(file)).get(1)!;
    expect(rows.map((r) => `${r.frame} ${r.seq} ${r.ack ?? ''} ${r.length}`)).toEqual(tsharkSeqs(file));
    expect(labelLines(rows)).toEqual(['1 client ACK', '2 server ACK', '3 client req 1 headers', '4 server resp 1 headers', '5 client req 2 headers', '6 server RST']);
    // 0xffffff00 + 326 request bytes wrapped past 2^32; the relative number runs on.
    expect(rows[4].seq).toBe(327);
  });

  it('numbers a side whose SYN-ACK was lost from the client\'s handshake ACK, as tshark does, and finds the response lost after it', async () => {
    const cap = new SyntheticCapture();
    const res = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
    cap
      .conversation({ serverPort: 80, isn: { client: 1000, server: 0xffff_fff0 } })
      .syn() // 1
      .lose('server', 1) // the SYN-ACK: its sequence number, no frame
      .ack('client') // 2
      .send('client', 'GET / HTTP/1.1\r\nHost: a\r\n\r\n') // 3
      .ack('server') // 4
      .lose('server', res.length) // the response
      .ack('client') // 5: acknowledges it
      .fin('client') // 6
      .fin('server') // 7
      .ack('client'); // 8
    const file = cap.writeTemp('lost-syn-ack.pcapng');
    const rows = (await rowsOf(file)).get(1)!;
    expect(rows.map((r) => `${r.frame} ${r.seq} ${r.ack ?? ''} ${r.length}`)).toEqual(tsharkSeqs(file));
    const closed: ConnectionModel[] = [];
    const exchanges: ExchangeModel[] = [];
    await analyse(file, {}, { connectionClosed: (c) => closed.push(c), exchange: (x) => exchanges.push(x) });
    expect(closed[0].gaps).toEqual([{ direction: 'server', offset: 0, length: res.length, frameAfter: 5, cause: 'acked-unseen' }]);
    expect(exchanges.map((x) => [x.request?.target, x.lost?.message, x.timing.unanswered])).toEqual([['/', 'response', null]]);
  });

  it('stamps each segment with its frame’s file offset, time and flags', async () => {
    const rows = (await rowsOf(capture('05-flushheaders-then-end.pcapng'))).get(1)!;
    expect(rows.map((r) => r.fileOffset)).toEqual([128, 236, 344, 444, 608, 708, 964, 1064, 1184, 1284, 1384, 1484]);
    expect(rows.map((r) => r.flags)).toEqual([2, 18, 16, 24, 16, 24, 16, 24, 16, 17, 17, 16]);
    const times = tshark(['-r', capture('05-flushheaders-then-end.pcapng'), '-T', 'fields', '-e', 'frame.time_epoch']).trim().split('\n').map(Number);
    rows.forEach((r, i) => expect(r.time).toBeCloseTo(times[i], 6));
  });
});

describe('labelSegments', () => {
  it('shows a flushed header: the response headers alone, the body in a later segment', async () => {
    const rows = (await rowsOf(capture('05-flushheaders-then-end.pcapng'))).get(1)!;
    expect(labelLines(rows)).toEqual([
      '1 client SYN',
      '2 server SYN-ACK',
      '3 client ACK',
      '4 client req 1 headers',
      '5 server ACK',
      '6 server resp 1 headers',
      '7 client ACK',
      '8 server resp 1 body 1 chunk',
      '9 client ACK',
      '10 client FIN',
      '11 server FIN',
      '12 client ACK',
    ]);
    expect(rows[7]).toMatchObject({ exchange: 1, message: 'response', kind: 'in-order', length: 22 });
    expect(rows[0]).toMatchObject({ exchange: null, message: null, ack: null });
  });

  it('shows a pipelined burst: three requests in one segment', async () => {
    const rows = (await rowsOf(capture('20-pipelining.pcapng'))).get(1)!;
    const data = rows.filter((r) => r.length > 0);
    expect(labelLines(data)).toEqual([
      '4 client req 1+2+3 headers',
      '6 server resp 1 headers+body 15 B',
      '8 server resp 2 headers+body 15 B',
      '10 server resp 3 headers+body 15 B',
    ]);
    expect(data[0]).toMatchObject({ exchange: 1, message: 'request', length: 123 });
  });

  it('shows the keep-alive reuse race: a request after the server’s FIN, answered by RST', async () => {
    const rows = (await rowsOf(capture('19-keepalive-reuse-race.pcapng'))).get(1)!;
    expect(labelLines(rows.slice(7))).toEqual(['8 server FIN', '9 client ACK', '10 client req 2 headers', '11 server RST']);
    expect(rows[9]).toMatchObject({ exchange: 2, message: 'request', seq: 42, length: 41 });
  });

  it('numbers a header section spread over segments', async () => {
    const rows = (await rowsOf(capture('12-incomplete-headers.pcapng'))).get(1)!;
    expect(labelLines(rows.filter((r) => r.length > 0))).toEqual([
      '4 client req 1 headers 1/3',
      '6 client req 1 headers 2/3',
      '8 client req 1 headers 3/3',
      '10 server resp 1 headers',
    ]);
  });

  it('tells interim responses and a request body sent after 100 Continue', async () => {
    const rows = (await rowsOf(capture('18-expect-100-continue.pcapng'))).get(1)!;
    expect(labelLines(rows.filter((r) => r.length > 0))).toEqual([
      '4 client req 1 headers',
      '6 server 1xx 1 headers',
      '8 client req 1 body 33 B',
      '9 server resp 1 headers+body 18 B',
    ]);
    expect(rows.find((r) => r.frame === 6)).toMatchObject({ message: 'interim', exchange: 1 });
  });

  it('names a whole chunked body, bytes after a Content-Length overrun, and a tunnel’s bytes', async () => {
    const chunked = (await rowsOf(capture('07-three-writes.pcapng'))).get(1)!;
    expect(chunked.find((r) => r.frame === 6)!.label).toBe('resp 1 headers+body 3 chunks');
    const overrun = (await rowsOf(capture('08-content-length-overrun.pcapng'))).get(1)!;
    expect(overrun.find((r) => r.frame === 6)!.label).toBe('resp 1 headers+body 3 B +1 B');
    const tunnel = (await rowsOf(capture('16-upgrade.pcapng'))).get(1)!;
    expect(labelLines(tunnel.filter((r) => r.frame >= 8 && r.length > 0))).toEqual(['8 client data 28 B', '9 server data 28 B']);
  });

  it('keeps out-of-order bytes with their message and labels the retransmission (synthetic)', async () => {
    const file = outOfOrderCapture();
    const rows = (await rowsOf(file)).get(1)!;
    expect(rows.map((r) => `${r.frame} ${r.seq} ${r.length} ${r.kind} ${r.label}`)).toEqual([
      '1 0 0 none SYN',
      '2 0 0 none SYN-ACK',
      '3 1 0 none ACK',
      '4 1 28 in-order req 1 headers',
      '5 1 39 in-order resp 1 headers',
      '6 45 5 out-of-order resp 1 body 5 B',
      '7 40 5 in-order resp 1 body 5 B',
      '8 40 5 retransmission retransmission',
      '9 29 0 none ACK',
      '10 29 0 none FIN',
      '11 50 0 none FIN',
      '12 30 0 none ACK',
    ]);
    expect(rows[7]).toMatchObject({ exchange: 1, message: 'response' });
    // tshark agrees on which frame is which.
    const expert = tshark(['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'tcp.analysis.out_of_order', '-e', 'tcp.analysis.retransmission'])
      .trim()
      .split('\n');
    expect(expert[6]).toBe('7\t1\t');
    expect(expert[7]).toBe('8\t\t1');
  });

  it('picks an exchange’s segments, the ACKs between them included (exchangeSegments)', async () => {
    const file = capture('02-keepalive-agent.pcapng');
    const { rows } = await labelledConnections(file);
    const exchanges: ExchangeModel[] = [];
    await analyse(file, {}, { exchange: (x) => exchanges.push(x) });
    const connection = rows.get(1)!;
    expect(exchanges.map((x) => labelLines(exchangeSegments(connection, x)))).toEqual([
      ['4 client req 1 headers', '5 server ACK', '6 server resp 1 headers+body 15 B'],
      // The server answered at once, without a pure ACK first.
      ['8 client req 2 headers', '9 server resp 2 headers+body 15 B'],
      ['13 client req 3 headers', '14 server resp 3 headers+body 15 B'],
    ]);
    // Out-of-order delivery: the message's frames are in stream order (7 before 6), the span is not.
    const synthetic = await labelledConnections(outOfOrderCapture());
    const ooo: ExchangeModel[] = [];
    await analyse(outOfOrderCapture(), {}, { exchange: (x) => ooo.push(x) });
    expect(ooo[0].response!.frames).toEqual([5, 7, 6]);
    expect(exchangeSegments(synthetic.rows.get(1)!, ooo[0]).map((r) => r.frame)).toEqual([4, 5, 6, 7]);
  });

  it('labels from offsets alone, with no exchange: control segments and bare data', () => {
    const base: SegmentRecord = { connection: 1, frame: 1, time: 0, direction: 'client', flags: 24, seq: 1, ack: 1, length: 20, fileOffset: 0, kind: 'in-order' };
    const none: ExchangeModel[] = [];
    const rows = labelSegments(
      [base, { ...base, frame: 2, flags: 25, seq: 21 }, { ...base, frame: 3, flags: 20, length: 0 }, { ...base, frame: 4, flags: 16, length: 0, kind: 'keep-alive' }],
      none,
    );
    expect(rows.map((r) => r.label)).toEqual(['data 20 B', 'data 20 B +FIN', 'RST', 'keep-alive']);
  });
});

describe('extendLabels', () => {
  /**
   * Replays a capture as the TUI sees it stream in: at every exchange and at every connection's
   * close, the labels extended from the previous step equal labelSegments over everything so far.
   */
  async function replay(file: string): Promise<number> {
    const records = new Map<number, SegmentRecord[]>();
    const exchanges = new Map<number, ExchangeModel[]>();
    const state = new Map<number, { rows: ReturnType<typeof labelSegments>; records: number; known: number }>();
    let checks = 0;
    const check = (id: number): void => {
      const all = records.get(id) ?? [];
      const xs = exchanges.get(id) ?? [];
      const before = state.get(id) ?? { rows: [], records: 0, known: 0 };
      const extended = extendLabels(before.rows, all.slice(before.records), xs, before.known);
      expect(extended).toEqual(labelSegments(all, xs));
      state.set(id, { rows: extended, records: all.length, known: xs.at(-1)?.index ?? 0 });
      checks++;
    };
    await analyse(file, {}, {
      segment: (s) => {
        const list = records.get(s.connection);
        if (list === undefined) records.set(s.connection, [s]);
        else list.push(s);
      },
      exchange: (x) => {
        const list = exchanges.get(x.connection);
        if (list === undefined) exchanges.set(x.connection, [x]);
        else list.push(x);
        check(x.connection);
      },
      connectionClosed: (c) => check(c.id),
    });
    return checks;
  }

  it('gives the labels labelSegments gives, at every exchange of every scenario capture', async () => {
    const files = readdirSync(CAPTURES_DIR).filter((f) => /\.pcapng?$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(48);
    let checks = 0;
    for (const f of files) checks += await replay(join(CAPTURES_DIR, f));
    expect(checks).toBeGreaterThan(100);
  });

  it('labels only from the first new frame on: earlier rows are the same objects', async () => {
    const file = capture('02-keepalive-agent.pcapng');
    const { rows } = await labelledConnections(file);
    const all = rows.get(1)!;
    const extended = extendLabels(all, [], [], 3);
    expect(extended).toBe(all);
  });
});
