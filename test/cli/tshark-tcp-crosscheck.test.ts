import { describe, expect, it } from 'vitest';
import { capture, realCaptures } from '../helpers/captures.js';
import { runCli } from '../helpers/cli.js';
import { tsharkBytesAfterPeerRst, tsharkFollowRaw, tsharkTcpConversationCount } from '../helpers/tshark.js';

interface ConnsJson {
  frames: number;
  connections: Array<{ id: number; client: string; server: string; firstFrame: number }>;
}

async function conns(file: string): Promise<ConnsJson> {
  const result = await runCli(['conns', file, '--json']);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ConnsJson;
}

/** Byte counts of follow --raw's gap warnings, in order. */
const missingIn = (stderr: string): number[] => [...stderr.matchAll(/warning: (\d+) bytes missing/g)].map((m) => Number(m[1]));

describe('wirelens conns / follow agree with tshark on real captures', () => {
  const files = realCaptures();

  it('has the real captures to compare', () => {
    expect(files.length).toBeGreaterThanOrEqual(28);
  });

  it.each(files)('%s: connection count equals tshark -z conv,tcp', async (name) => {
    const file = capture(name);
    const { connections } = await conns(file);
    expect(connections.length).toBe(tsharkTcpConversationCount(file));
  });

  it.each(files)('%s: follow --raw of each direction is byte-identical to tshark follow,tcp,raw', async (name) => {
    const file = capture(name);
    const { connections } = await conns(file);
    for (const conn of connections) {
      // tshark's node 0 sent the stream's first frame: the client, for every capture with its SYN;
      // on a connection picked up mid-stream (44) whoever spoke first, the server there.
      const follow = tsharkFollowRaw(file, conn.id - 1);
      const clientFirst = follow.node0Address === conn.client;
      if (!clientFirst) expect(follow.node0Address, `${name} conn ${conn.id} tshark's node 0`).toBe(conn.server);
      // Bytes sent after the peer's RST (49: the server's segment in flight when the client reset)
      // reached a torn-down connection: wirelens ends both streams at the RST, tshark follows on.
      const late = tsharkBytesAfterPeerRst(file, conn.id - 1);
      const node0 = follow.node0.subarray(0, follow.node0.length - late.node0);
      const node1 = follow.node1.subarray(0, follow.node1.length - late.node1);
      const reference = clientFirst ? { ...follow, node0, node1 } : { node0: node1, node1: node0, missing0: follow.missing1, missing1: follow.missing0 };
      const client = await runCli(['follow', file, '--conn', String(conn.id), '--direction', 'client', '--raw']);
      const server = await runCli(['follow', file, '--conn', String(conn.id), '--direction', 'server', '--raw']);
      expect(client.code).toBe(0);
      expect(server.code).toBe(0);
      expect(client.stdoutBytes.equals(reference.node0), `${name} conn ${conn.id} client bytes`).toBe(true);
      expect(server.stdoutBytes.equals(reference.node1), `${name} conn ${conn.id} server bytes`).toBe(true);
      // Holes (42-capture-loss): tshark marks those followed by captured bytes; wirelens warns of each, the last one too.
      expect(missingIn(client.stderr).slice(0, reference.missing0.length), `${name} conn ${conn.id} client gaps`).toEqual(reference.missing0);
      expect(missingIn(server.stderr).slice(0, reference.missing1.length), `${name} conn ${conn.id} server gaps`).toEqual(reference.missing1);
    }
  });
});
