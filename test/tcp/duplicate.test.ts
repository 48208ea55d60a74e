/**
 * A capture duplicate repeats the direction's previous segment field for field (IPv4 identification
 * and TCP timestamps included) within a millisecond; a retransmission or a real duplicate ACK does
 * not. The recording: test/fixtures/bridge-any.pcap (`tcpdump -i any` across a Linux bridge).
 */
import { describe, expect, it } from 'vitest';
import { TcpFlag, type Segment } from '../../src/decode/segment.js';
import { LastSegment } from '../../src/tcp/duplicate.js';
import { runCli } from '../helpers/cli.js';
import { CLIENT, SERVER, segment } from './segments.js';

const data = (fields: Partial<Segment> = {}): Segment =>
  segment({ src: CLIENT.ip, srcPort: CLIENT.port, dst: SERVER.ip, dstPort: SERVER.port, seq: 1000, ack: 2000, flags: TcpFlag.ACK | TcpFlag.PSH, window: 512, payload: new Uint8Array(10), payloadLength: 10, ipId: 7, time: 5, options: { timestamp: [11, 22] }, ...fields });

/** Whether `second` is taken for a copy of `first`. */
function copy(first: Segment, second: Segment): boolean {
  const last = new LastSegment();
  expect(last.repeatedBy(first)).toBe(false);
  return last.repeatedBy(second);
}

describe('LastSegment.repeatedBy', () => {
  it('the same packet 5 µs later is a copy', () => {
    expect(copy(data(), data({ time: 5.000005 }))).toBe(true);
  });

  it('a retransmission (new IP identification), one 2 ms later, or other TCP timestamps: not a copy', () => {
    expect(copy(data(), data({ time: 5.000005, ipId: 8 }))).toBe(false);
    expect(copy(data(), data({ time: 5.002 }))).toBe(false);
    expect(copy(data(), data({ time: 5.000005, options: { timestamp: [12, 22] } }))).toBe(false);
    expect(copy(data(), data({ time: 5.000005, ack: 2010 }))).toBe(false);
  });

  it('IPv6 (no identification): a data segment repeated is a copy, an empty ACK may be a real duplicate ACK', () => {
    const v6 = { ipVersion: 6 as const, ipId: -1 };
    expect(copy(data(v6), data({ ...v6, time: 5.000005 }))).toBe(true);
    const ack = { ...v6, flags: TcpFlag.ACK, payload: new Uint8Array(0), payloadLength: 0 };
    expect(copy(data(ack), data({ ...ack, time: 5.000005 }))).toBe(false);
  });

  it('a segment of the peer in between: the same RST again is an answer to it, not a copy', () => {
    const rst = data({ flags: TcpFlag.RST, payload: new Uint8Array(0), payloadLength: 0, window: 0, ipId: 0, options: {} });
    const last = new LastSegment();
    expect(last.repeatedBy(rst)).toBe(false);
    last.answered();
    expect(last.repeatedBy({ ...rst, time: 5.000008 })).toBe(false);
    // Without the peer's segment the same RST 8 µs later is one packet seen twice.
    expect(copy(rst, { ...rst, time: 5.000008 })).toBe(true);
  });

  it("49-client-abandons: the client's two RSTs (frames 27, 29), each after a server segment, are two packets: no duplicate", async () => {
    const conns = JSON.parse((await runCli(['conns', 'captures/49-client-abandons.pcapng', '--json'])).stdout) as { connections: Array<{ id: number; duplicates: object; teardown: { clientRst: { frame: number } | null } }> };
    const download = conns.connections.find((c) => c.id === 1);
    expect(download?.duplicates).toEqual({ client: 0, server: 0 });
    expect(download?.teardown.clientRst?.frame).toBe(27);
  });

  it('a copy does not become the last segment: a third identical packet is still compared with the first', () => {
    const last = new LastSegment();
    expect([last.repeatedBy(data()), last.repeatedBy(data({ time: 5.0005 })), last.repeatedBy(data({ time: 5.0012 }))]).toEqual([false, true, false]);
  });
});

describe('bridge-any.pcap: every packet captured twice', () => {
  it('conns: each second frame a duplicate, no retransmission; frames still counted as tshark does', async () => {
    const r = await runCli(['conns', 'test/fixtures/bridge-any.pcap', '--json']);
    const conns = (JSON.parse(r.stdout) as { connections: Array<{ frames: object; duplicates: object; retransmissions: object; history: string }> }).connections;
    expect(conns.map((c) => [c.frames, c.duplicates, c.retransmissions, c.history])).toEqual([
      [{ client: 22, server: 20, total: 42 }, { client: 11, server: 10 }, { client: 0, server: 0 }, 'ShADadFf'],
      [{ client: 12, server: 8, total: 20 }, { client: 6, server: 4 }, { client: 0, server: 0 }, 'ShADadFf'],
    ]);
  });

  it('lint finds nothing (before: a retransmission note per connection); report says what the copies are', async () => {
    const lint = await runCli(['lint', 'test/fixtures/bridge-any.pcap', '--format', 'json']);
    expect([lint.code, (JSON.parse(lint.stdout) as Array<{ findings: unknown[] }>)[0].findings]).toEqual([0, []]);
    const report = await runCli(['report', 'test/fixtures/bridge-any.pcap']);
    expect(report.stdout).toContain('7 HTTP exchanges');
    expect(report.stdout.split('\n').filter((l) => l.startsWith('  tcp '))).toEqual([
      '  tcp        capture duplicates: 21 frames (client 11, server 10) repeat the packet before them exactly — the capture point saw packets twice (`tcpdump -i any` on a bridge and its ports, or mirroring of both directions); each copy is left out of the analysis',
      '  tcp        capture duplicates: 10 frames (client 6, server 4) repeat the packet before them exactly — the capture point saw packets twice (`tcpdump -i any` on a bridge and its ports, or mirroring of both directions); each copy is left out of the analysis',
    ]);
  });
});
