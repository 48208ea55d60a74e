import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { writePcap, writePcapng } from '../../src/synth/capture-writer.js';
import type { LinkOptions } from '../../src/synth/packets.js';
import { runCli } from '../helpers/cli.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { capture } from '../helpers/captures.js';
import { connsJson, type ReportDocument } from '../helpers/report-json.js';
import type { ConnectionModel } from '../../src/model/types.js';
import { tempDir } from '../helpers/temp.js';

/** One keep-alive-less exchange closed by the server first (frames 1-8). */
function build(linkType: number, linkOpts: LinkOptions = {}, ip = '127.0.0.1'): SyntheticCapture {
  const cap = new SyntheticCapture(linkType, linkOpts);
  cap
    .conversation({ server: ip, clientPort: 40001, serverPort: 5000 })
    .handshake()
    .send('client', 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    .send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
    .fin('server')
    .fin('client')
    .ack('server');
  return cap;
}

function writeTemp(bytes: Uint8Array, name: string): string {
  const file = join(tempDir('conns'), name);
  writeFileSync(file, bytes);
  return file;
}


const expectedConnection = (ip: string) => ({
  id: 1,
  client: ip.includes(':') ? `[${ip}]:40001` : `${ip}:40001`,
  server: ip.includes(':') ? `[${ip}]:5000` : `${ip}:5000`,
  firstFrame: 1,
  lastFrame: 8,
  midStream: false,
  frames: { client: 4, server: 4, total: 8 },
  bytes: { client: 27, server: 40 },
  handshake: { syn: { frame: 1 }, synAck: { frame: 2 }, ack: { frame: 3 }, rtt: 0.001, refused: false },
  // v2: the record report --json writes too; `close: {kind, by}` became `teardown: {kind, closedFirstBy}`.
  teardown: { kind: 'fin', closedFirstBy: 'server', halfClosed: false, serverFin: { frame: 6 }, clientFin: { frame: 7 }, clientRst: null, serverRst: null },
  // conns runs the tcp stage with a protocol sniffer: labelled HTTP, not parsed, every payload byte uninspected.
  exchanges: null,
  protocol: 'http',
  uninspectedBytes: { client: 27, server: 40 },
  deviations: [],
  end: 'close',
});

describe('wirelens conns on every link type and file format', () => {
  const variants: Array<[string, number, LinkOptions, string]> = [
    ['Ethernet', LinkType.ETHERNET, {}, '127.0.0.1'],
    ['Ethernet + 802.1Q', LinkType.ETHERNET, { vlanIds: [10] }, '10.0.0.1'],
    ['Ethernet + QinQ', LinkType.ETHERNET, { vlanIds: [100, 10], qinq: true }, '10.0.0.1'],
    ['Linux SLL', LinkType.LINUX_SLL, {}, '127.0.0.1'],
    ['Linux SLL2', LinkType.LINUX_SLL2, {}, '127.0.0.1'],
    ['BSD NULL little-endian AF', LinkType.NULL, { nullByteOrder: 'le' }, '127.0.0.1'],
    ['BSD NULL big-endian AF, IPv6 AF 30', LinkType.NULL, { nullByteOrder: 'be', af6: 30 }, '::1'],
    ['OpenBSD LOOP', LinkType.LOOP, {}, '127.0.0.1'],
    ['raw IP (101) IPv6', LinkType.RAW, {}, 'fe80::1'],
    ['raw IPv4 (228)', LinkType.IPV4, {}, '192.0.2.7'],
    ['raw IPv6 (229)', LinkType.IPV6, {}, '2001:db8::5'],
  ];

  it.each(variants)('%s', async (_label, linkType, linkOpts, ip) => {
    const cap = build(linkType, linkOpts, ip);
    const json = await connsJson(writeTemp(cap.toPcapng(), 'x.pcapng'));
    expect(json.frames).toBe(8);
    expect(json.connections).toHaveLength(1);
    expect(json.connections[0]).toMatchObject(expectedConnection(ip));
    expect(json.connections[0].history).toBe('ShADdfFa');
  });

  it.each([
    ['pcap µs little-endian', { nanosecond: false, bigEndian: false }],
    ['pcap µs big-endian', { nanosecond: false, bigEndian: true }],
    ['pcap ns little-endian', { nanosecond: true, bigEndian: false }],
    ['pcap ns big-endian', { nanosecond: true, bigEndian: true }],
  ])('%s gives the same connections as pcapng', async (_label, opts) => {
    const cap = build(LinkType.ETHERNET);
    const json = await connsJson(writeTemp(writePcap(cap.frames, { linkType: LinkType.ETHERNET, ...opts }), 'x.pcap'));
    expect(json.connections[0]).toMatchObject(expectedConnection('127.0.0.1'));
    expect(json.connections[0].startTime).toBeCloseTo(1_700_000_000, 6);
  });

  it('big-endian pcapng section', async () => {
    const cap = build(LinkType.ETHERNET);
    const bytes = writePcapng([{ bigEndian: true, interfaces: [{ linkType: LinkType.ETHERNET }], frames: cap.frames }]);
    const json = await connsJson(writeTemp(bytes, 'be.pcapng'));
    expect(json.connections[0]).toMatchObject(expectedConnection('127.0.0.1'));
  });

  it('prints the human table with totals', async () => {
    const cap = build(LinkType.ETHERNET);
    const r = await runCli(['conns', writeTemp(cap.toPcapng(), 't.pcapng')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    // The RTT column is now named for what it measures at the capture point: SYN → SYN-ACK.
    expect(lines[0]).toMatch(/^ID\s+CLIENT\s+SERVER\s+START\s+DURATION\s+FRAMES c\/s\s+BYTES c\/s\s+SYN→SYN-ACK\s+CLOSE\s+ISSUES\s+HISTORY$/);
    expect(lines[1].split(/\s{2,}/)).toEqual(['1', '127.0.0.1:40001', '127.0.0.1:5000', '+0.000s', '7.0ms', '4/4', '27/40', '1.0ms', 'FIN by server', '-', 'ShADdfFa']);
    expect(lines.at(-2)).toBe('1 TCP connection in 8 frames');
  });

  it('a segment after an acknowledged close is counted late, in no connection: summary, conns footer and report', async () => {
    // build(): FIN, FIN, final ACK (frames 6-8); 300 ms later a copy of the final ACK (frame 9),
    // long after the connection left (10 ms after its acked close), within the 2 s its 4-tuple is kept.
    const cap = build(LinkType.ETHERNET);
    cap.frames.push({ time: (cap.frames.at(-1)?.time ?? 0) + 0.3, data: cap.frames.at(-1)?.data as Uint8Array });
    const file = writeTemp(cap.toPcapng(), 'late.pcapng');
    const doc = await connsJson(file);
    expect([doc.frames, doc.lateSegments, doc.connections.length]).toEqual([9, 1, 1]);
    expect(doc.connections[0]).toMatchObject({ lastFrame: 8, frames: { client: 4, server: 4, total: 8 } });
    const late = "1 TCP segment came after its connection's close was acknowledged both ways: counted in no connection (tshark counts it in the connection)";
    const text = await runCli(['conns', file]);
    expect(text.stdout.split('\n').slice(-3)).toEqual(['1 TCP connection in 9 frames', late, '']);
    const report = await runCli(['report', file]);
    expect(report.stdout).toContain(`\n  late       ${late}\n`);
    const json = await runCli(['report', '--json', file]);
    expect(JSON.parse(json.stdout)).toMatchObject({ frames: 9, connections: 1, lateSegments: 1 });
  });

  it('a refused connection (SYN → RST) and a reset one', async () => {
    const cap = new SyntheticCapture();
    cap.conversation({ clientPort: 40010, serverPort: 5009 }).syn().rst('server');
    cap
      .conversation({ clientPort: 40011, serverPort: 5000 })
      .handshake()
      .send('client', 'GET / HTTP/1.1\r\n\r\n')
      .rst('client');
    const r = await connsJson(writeTemp(cap.toPcapng(), 'r.pcapng'));
    expect(r.connections).toHaveLength(2);
    expect(r.connections[0]).toMatchObject({
      id: 1,
      handshake: { syn: { frame: 1 }, synAck: null, refused: true },
      teardown: { kind: 'rst', closedFirstBy: 'server', serverRst: { frame: 2 } },
      // No byte either way.
      protocol: 'none',
      exchanges: null,
      uninspectedBytes: { client: 0, server: 0 },
    });
    expect(r.connections[1]).toMatchObject({
      id: 2,
      firstFrame: 3,
      handshake: { refused: false, rtt: 0.001 },
      teardown: { kind: 'rst', closedFirstBy: 'client', clientRst: { frame: 7 } },
      bytes: { client: 18, server: 0 },
      protocol: 'http',
      exchanges: null,
      uninspectedBytes: { client: 18, server: 0 },
    });
    const text = await runCli(['conns', writeTemp(cap.toPcapng(), 'r2.pcapng')]);
    expect(text.stdout).toContain('refused (SYN→RST)');
    expect(text.stdout).toContain('RST by client');
  });
});

describe('conns --json and report --json', () => {
  it('describe every connection with the same record (tour: 10 connections); conns leaves the HTTP facts unknown', async () => {
    const conns = await connsJson(capture('tour.pcapng'));
    const report = JSON.parse((await runCli(['report', capture('tour.pcapng'), '--json'])).stdout) as ReportDocument;
    const records = report.records.filter((r) => r.type === 'connection').map(({ type: _t, ...c }) => c as ConnectionModel);
    const byId = <T extends { id: number }>(list: T[]) => [...list].sort((a, b) => a.id - b.id);
    expect(conns.connections).toHaveLength(10);
    // What only HTTP parsing finds: conns (tcp stage and a protocol sniffer) has no exchanges, no
    // stream deviations, no idle time before the close and no Connection: close response; every
    // payload byte is uninspected.
    for (const c of conns.connections) {
      expect(c.exchanges).toBeNull();
      expect(c.uninspectedBytes).toEqual(c.bytes);
      expect(c.deviations).toEqual([]);
      expect(c.closing.idleBefore).toBeNull();
      expect(c.closing.afterConnectionClose).toBeNull();
    }
    expect(records.map((c) => c.exchanges).sort((a, b) => a! - b!)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2, 3]);
    // Everything else is the same record, field by field.
    const tcpFacts = ({ exchanges: _x, uninspectedBytes: _u, deviations: _d, closing, ...rest }: ConnectionModel) => ({ ...rest, closing: closing.first });
    expect(byId(conns.connections).map(tcpFacts)).toEqual(byId(records).map(tcpFacts));
  });

  it('the connections array is not shadowed by a summary count of the same name (one "connections" key)', async () => {
    const r = await runCli(['conns', capture('tour.pcapng'), '--json']);
    expect(r.stdout.match(/"connections":/g)).toHaveLength(1);
    const doc = JSON.parse(r.stdout) as { connections: unknown; exchanges: number | null; frames: number };
    expect(Array.isArray(doc.connections)).toBe(true);
    expect((doc.connections as unknown[]).length).toBe(10);
    // HTTP is not parsed: the 13 exchanges of tour.pcapng are not counted, so the count is null, not 0.
    expect(doc).toMatchObject({ frames: 117, exchanges: null });
  });
});
