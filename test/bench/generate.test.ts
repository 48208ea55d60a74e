/**
 * The benchmark's new traffic shapes, generated small, counted three ways: by capinfos/tshark, by
 * wirelens (`conns --json`, `report --json`) and by the generator's own stats. The counts are the
 * ones the shapes promise (bench/README.md), so a generator change that breaks a shape fails here.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNodeTraffic, type NodeTrafficStats } from '../../bench/node-traffic.js';
import { FRAMES_PER_SHORT_CONNECTION, generateShortConns, type ShortConnsStats } from '../../bench/short-conns.js';
import { connsJson, msg, reportJson } from '../helpers/report-json.js';
import { tshark, tsharkTcpConversationCount } from '../helpers/tshark.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wirelens-bench-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capinfosFrames(file: string): number {
  const out = execFileSync('capinfos', ['-M', '-c', file], { encoding: 'utf8' });
  return Number(/Number of packets:\s+(\d+)/.exec(out)![1]);
}

function tsharkCount(file: string, filter: string): number {
  return tshark(['-r', file, '-Y', filter]).split('\n').filter(Boolean).length;
}

describe('bench node-traffic shape: 2 long connections × 20 exchanges + 5 one-request connections', () => {
  let file: string;
  let stats: NodeTrafficStats;
  const options = { longConnections: 2, exchangesPerLongConnection: 20, shortConnections: 5, seed: 7 };
  beforeAll(() => {
    file = join(dir, 'node-traffic.pcap');
    stats = generateNodeTraffic({ out: file, ...options });
  });

  it('holds 7 connections and 45 exchanges by the generator, capinfos and tshark', () => {
    expect(stats.connections).toBe(7);
    expect(stats.exchanges).toBe(45);
    expect(stats.truncated).toBe(false);
    expect(stats.traffic!.methods.GET + stats.traffic!.methods.POST).toBe(45);
    expect(capinfosFrames(file)).toBe(stats.frames);
    expect(tsharkTcpConversationCount(file)).toBe(7);
    expect(tsharkCount(file, 'http.request')).toBe(45);
    expect(tsharkCount(file, 'http.response')).toBe(45);
    // Real-stack traffic: no retransmission, out-of-order, lost-segment or malformed flags.
    expect(tsharkCount(file, 'tcp.analysis.flags || _ws.malformed')).toBe(0);
  });

  it('is the same bytes every time (seeded)', () => {
    const again = join(dir, 'node-traffic-again.pcap');
    generateNodeTraffic({ out: again, ...options });
    expect(readFileSync(again).equals(readFileSync(file))).toBe(true);
  });

  it('wirelens conns: the 2 long connections still open at the end, the 5 short ones closed by the server', async () => {
    const j = await connsJson(file);
    expect(j.frames).toBe(stats.frames);
    expect(j.connections).toHaveLength(7);
    const long = j.connections.filter((c) => c.client.startsWith('10.0.0.2:'));
    expect(long.map((c) => [c.teardown.kind, c.end])).toEqual([['open', 'capture-end'], ['open', 'capture-end']]);
    const short = j.connections.filter((c) => !c.client.startsWith('10.0.0.2:'));
    expect(short.map((c) => `${c.teardown.kind} by ${c.teardown.closedFirstBy}`)).toEqual(Array(5).fill('fin by server'));
    expect(j.connections.reduce((n, c) => n + c.frames.total, 0)).toBe(stats.frames);
  });

  it('wirelens report: 20 + 20 + 5 × 1 complete exchanges, no deviations', async () => {
    const j = await reportJson(file);
    expect(j.error).toBeNull();
    expect(j.frames).toBe(stats.frames);
    expect(j.connections.map((c) => c.exchanges.length).sort((a, b) => b - a)).toEqual([20, 20, 1, 1, 1, 1, 1]);
    const exchanges = j.connections.flatMap((c) => c.exchanges);
    expect(exchanges.filter((x) => x.response !== null)).toHaveLength(45);
    expect(exchanges.flatMap((x) => [...msg(x.request).deviations, ...(x.response?.deviations ?? [])])).toEqual([]);
    expect(j.connections.flatMap((c) => c.deviations)).toEqual([]);
    expect(j.deviations).toBe(0);
    const methods = exchanges.map((x) => msg(x.request).method);
    expect(methods.filter((m) => m === 'POST')).toHaveLength(stats.traffic!.methods.POST);
    expect(exchanges.filter((x) => msg(x.response).status === 201)).toHaveLength(stats.traffic!.status['201']);
  });

  it('a frame limit writes a byte prefix of the same traffic and counts what it holds', async () => {
    const maxFrames = Math.floor(stats.frames / 4);
    const prefix = join(dir, 'node-traffic-25.pcap');
    const cut = generateNodeTraffic({ out: prefix, ...options, maxFrames });
    expect(cut.frames).toBe(maxFrames);
    expect(cut.truncated).toBe(true);
    expect(cut.traffic).toBeNull();
    const bytes = readFileSync(prefix);
    expect(readFileSync(file).subarray(0, bytes.length).equals(bytes)).toBe(true);
    expect(capinfosFrames(prefix)).toBe(maxFrames);
    expect(tsharkTcpConversationCount(prefix)).toBe(cut.connections);
    expect(tsharkCount(prefix, 'http.request')).toBe(cut.exchanges);
    const j = await connsJson(prefix);
    expect(j.connections).toHaveLength(cut.connections);
  });
});

describe('bench short-conns shape: 50 connections of 8 frames', () => {
  let file: string;
  let stats: ShortConnsStats;
  beforeAll(() => {
    file = join(dir, 'short-conns.pcap');
    stats = generateShortConns({ out: file, connections: 50, seed: 3 });
  });

  it('is 400 frames, 50 connections, 50 requests and 50 responses by capinfos and tshark', () => {
    expect(FRAMES_PER_SHORT_CONNECTION).toBe(8);
    expect(stats.frames).toBe(400);
    expect(stats.connections).toBe(50);
    expect(stats.exchanges).toBe(50);
    expect(capinfosFrames(file)).toBe(400);
    expect(tsharkTcpConversationCount(file)).toBe(50);
    expect(tsharkCount(file, 'http.request')).toBe(50);
    expect(tsharkCount(file, 'http.response.code == 200')).toBe(50);
    expect(tsharkCount(file, 'tcp.analysis.flags || _ws.malformed')).toBe(0);
    // SYN, SYN-ACK, ACK, GET, 200, FIN, FIN, ACK: 6 of the 8 frames carry no payload.
    expect(stats.dataSegments).toBe(100);
  });

  it('wirelens conns: 50 connections of 8 frames, each closed by the client', async () => {
    const j = await connsJson(file);
    expect(j.frames).toBe(400);
    expect(j.connections.map((c) => c.frames.total)).toEqual(Array(50).fill(8));
    expect(new Set(j.connections.map((c) => c.client)).size).toBe(50);
    expect(j.connections.map((c) => `${c.teardown.kind} by ${c.teardown.closedFirstBy}`)).toEqual(Array(50).fill('fin by client'));
  });

  it('wirelens report: one GET → 200 per connection', async () => {
    const j = await reportJson(file);
    expect(j.connections.map((c) => c.exchanges.map((x) => `${x.request?.method} ${x.response?.status}`))).toEqual(Array(50).fill(['GET 200']));
  });
});
