import { execFileSync } from 'node:child_process';

/**
 * tshark is the reference we cross-check against. CI installs it (.ci/run); a missing tshark is a
 * broken test machine, so this fails loudly instead of skipping.
 */
export function tshark(args: string[]): string {
  try {
    return execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('tshark is not installed: apt-get install -y tshark (CI does this in .ci/run)');
    }
    throw error;
  }
}

/** Number of TCP conversations `tshark -q -z conv,tcp` lists. */
export function tsharkTcpConversationCount(file: string): number {
  return tshark(['-r', file, '-q', '-z', 'conv,tcp']).split('\n').filter((line) => line.includes('<->')).length;
}

/**
 * The two directions of `tshark -q -z follow,tcp,raw,N` (N is tcp.stream, 0-based). Node 0 is the
 * endpoint that sent the stream's first frame (`node0Address`, as "ip:port"); its lines are
 * unindented, node 1's start with a tab.
 */
export function tsharkFollowRaw(file: string, stream: number): { node0: Buffer; node1: Buffer; missing0: number[]; missing1: number[]; node0Address: string | null } {
  const out = tshark(['-r', file, '-q', '-z', `follow,tcp,raw,${stream}`]);
  const node0Address = /^Node 0: (\S+)$/m.exec(out)?.[1] ?? null;
  const node0: Buffer[] = [];
  const node1: Buffer[] = [];
  const missing0: number[] = [];
  const missing1: number[] = [];
  for (const line of out.split('\n')) {
    const hex = line.trim();
    if (!/^[0-9a-f]+$/.test(hex) || hex.length % 2) continue;
    const bytes = Buffer.from(hex, 'hex');
    // A hole before captured bytes: tshark writes `[N bytes missing in capture file]` and a NUL in its place.
    const hole = /^\[(\d+) bytes missing in capture file\]\0$/.exec(bytes.toString('latin1'));
    if (hole !== null) (line.startsWith('\t') ? missing1 : missing0).push(Number(hole[1]));
    else (line.startsWith('\t') ? node1 : node0).push(bytes);
  }
  return { node0: Buffer.concat(node0), node1: Buffer.concat(node1), missing0, missing1, node0Address };
}

/**
 * Payload bytes each node of a TCP stream sent after the other node's first RST (segments in
 * flight when the RST left): tshark's follow includes them; wirelens ends both streams at the RST,
 * the receiver having torn the connection down (its kernel answers them with more RSTs).
 */
export function tsharkBytesAfterPeerRst(file: string, stream: number): { node0: number; node1: number } {
  const rows = tshark(['-r', file, '-Y', `tcp.stream == ${stream}`, '-T', 'fields', '-e', 'tcp.srcport', '-e', 'tcp.flags.reset', '-e', 'tcp.len'])
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [port, reset, len] = line.split('\t');
      return { port: Number(port), reset: reset === '1' || reset === 'True', len: Number(len) };
    });
  const node0Port = rows[0]?.port;
  const after = { node0: 0, node1: 0 };
  const reset = { node0: false, node1: false };
  for (const row of rows) {
    const node = row.port === node0Port ? 'node0' : 'node1';
    const peer = node === 'node0' ? 'node1' : 'node0';
    if (reset[peer]) after[node] += row.len;
    if (row.reset) reset[node] = true;
  }
  return after;
}
