/**
 * readConnectionStreams: a connection's byte streams rebuilt from its frames alone match tshark's
 * follow output and the model's stream offsets.
 */
import { describe, expect, it } from 'vitest';
import { readConnectionStreams } from '../../src/analysis/connection-streams.js';
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

describe('readConnectionStreams', () => {
  it.each([
    ['20-pipelining.pcapng', 1],
    ['tour.pcapng', 3],
    ['tour.pcapng', 9],
    ['16-upgrade.pcapng', 1],
  ])('rebuilds %s connection %i byte for byte as tshark follows it', async (name, id) => {
    const file = capture(name);
    const { log } = await logOf(file);
    const streams = await readConnectionStreams(file, log.forConnection(id));
    const follow = tsharkFollowRaw(file, id - 1);
    expect(Buffer.from(streams.client)).toEqual(follow.node0);
    expect(Buffer.from(streams.server)).toEqual(follow.node1);
    expect(streams.client.length).toBeGreaterThan(0);
  });

  it('puts each message at the offsets the model gives it', async () => {
    const file = capture('20-pipelining.pcapng');
    const { log, exchanges } = await logOf(file);
    const { client, server } = await readConnectionStreams(file, log.forConnection(1));
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
    const { client, server } = await readConnectionStreams(file, log.forConnection(1));
    expect(text(client)).toBe(SYNTH_REQUEST);
    expect(text(server)).toBe(`${SYNTH_HEAD}0123456789`);
  });
});
