/**
 * readWindowStreams: a connection's byte streams rebuilt from its frames alone match tshark's
 * follow output and the model's stream offsets; a window of them (one exchange's frames) lands at
 * the same offsets without reading what came before.
 */
import { describe, expect, it, vi } from 'vitest';
import { FrameReader } from '../../src/capture/frame-reader.js';
import { readWindowStreams } from '../../src/analysis/connection-streams.js';
import { analyse } from '../../src/analysis/analysis.js';
import { SegmentLog } from '../../src/model/segment-log.js';
import type { ExchangeModel } from '../../src/model/types.js';
import { capture } from '../helpers/captures.js';
import { outOfOrderCapture, SYNTH_HEAD, SYNTH_REQUEST } from '../helpers/segments.js';
import { tsharkFollowRaw } from '../helpers/tshark.js';

async function logOf(file: string) {
  const log = new SegmentLog();
  const exchanges: ExchangeModel[] = [];
  await analyse(file, {}, log, { exchange: (x) => exchanges.push(x) });
  return { log, exchanges };
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

describe('readWindowStreams', () => {
  it.each([
    ['20-pipelining.pcapng', 1],
    ['tour.pcapng', 3],
    ['tour.pcapng', 9],
    ['16-upgrade.pcapng', 1],
  ])('rebuilds %s connection %i byte for byte as tshark follows it', async (name, id) => {
    const file = capture(name);
    const { log } = await logOf(file);
    const streams = await readWindowStreams(file, log.forConnection(id));
    const follow = tsharkFollowRaw(file, id - 1);
    expect([streams.client.base, streams.server.base]).toEqual([0, 0]);
    expect(Buffer.from(streams.client.bytes)).toEqual(follow.node0);
    expect(Buffer.from(streams.server.bytes)).toEqual(follow.node1);
    expect(streams.client.bytes.length).toBeGreaterThan(0);
  });

  it('puts each message at the offsets the model gives it', async () => {
    const file = capture('20-pipelining.pcapng');
    const { log, exchanges } = await logOf(file);
    const streams = await readWindowStreams(file, log.forConnection(1));
    const client = streams.client.bytes;
    const server = streams.server.bytes;
    expect(exchanges).toHaveLength(3);
    for (const x of exchanges) {
      const request = x.request!;
      expect(text(client.subarray(request.offsets.headStart, request.offsets.headEnd!))).toMatch(new RegExp(`^${request.startLine.replace(/[/.]/g, '\\$&')}\r\n[^]*\r\n\r\n$`));
      const response = x.response!;
      expect(text(server.subarray(response.offsets.headStart, response.offsets.headStart + 17))).toBe('HTTP/1.1 200 OK\r\n');
      expect(response.offsets.bodyEnd! - response.offsets.headEnd!).toBe(15);
    }
  });

  it('puts out-of-order bytes in stream order and ignores the retransmission (synthetic)', async () => {
    const file = outOfOrderCapture();
    const { log } = await logOf(file);
    const { client, server } = await readWindowStreams(file, log.forConnection(1));
    expect(text(client.bytes)).toBe(SYNTH_REQUEST);
    expect(text(server.bytes)).toBe(`${SYNTH_HEAD}0123456789`);
  });

  it("reads one exchange's frames alone: its bytes at the model's offsets, none of the frames before it", async () => {
    const file = capture('02-keepalive-agent.pcapng');
    const { log, exchanges } = await logOf(file);
    const x = exchanges[2];
    const request = x.request!;
    const response = x.response!;
    const window = (records: ReturnType<SegmentLog['forConnection']>) => records.filter((r) => r.frame >= request.frames[0] && r.frame <= response.endFrame!);
    const read = vi.spyOn(FrameReader.prototype, 'read');
    const streams = await readWindowStreams(file, window(log.forConnection(1)));
    const framesRead = read.mock.calls.map((call) => call[1]);
    read.mockRestore();
    expect(framesRead).toEqual(window(log.forConnection(1)).map((r) => r.frame));
    expect(Math.min(...framesRead)).toBe(request.frames[0]);
    // 02-keepalive-agent: GET /3 (65 B) at client offset 130, its 200 (138 B) at server offset 276.
    expect([request.offsets.headStart, response.offsets.headStart]).toEqual([130, 276]);
    expect([streams.client.base, streams.server.base]).toEqual([130, 276]);
    expect(text(streams.client.bytes)).toBe(`GET /3 HTTP/1.1\r\nHost: 127.0.0.1:5102\r\nConnection: keep-alive\r\n\r\n`);
    expect(text(streams.server.bytes.subarray(0, 17))).toBe('HTTP/1.1 200 OK\r\n');
    expect(streams.server.bytes.length).toBe(response.offsets.bodyEnd! - response.offsets.headStart);
  });
});
