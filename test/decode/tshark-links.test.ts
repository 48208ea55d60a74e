import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { writePcap } from '../../src/synth/capture-writer.js';
import type { LinkOptions } from '../../src/synth/packets.js';
import { runCli } from '../helpers/cli.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import type { ConnsDocument } from '../helpers/report-json.js';
import { tshark } from '../helpers/tshark.js';

/**
 * The link layers PcapPlusPlus's test captures use (raw IP as link type 12, PPPoE inside QinQ)
 * and OpenBSD's raw IP (14), written as synthetic pcaps: tshark must find the same TCP
 * connections, with the same clients and frame counts, that `wirelens conns` finds.
 */
const dir = mkdtempSync(join(tmpdir(), 'wirelens-links-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Stream {
  client: string;
  frames: number;
}

/** Per tcp.stream (0-based, in order of first frame): the source of its first frame, its frame count. */
function tsharkStreams(file: string): Stream[] {
  const out = tshark(['-r', file, '-T', 'fields', '-e', 'tcp.stream', '-e', 'ip.src', '-e', 'ipv6.src']);
  const streams: Stream[] = [];
  for (const line of out.trim().split('\n')) {
    const [stream, ip4, ip6] = line.split('\t');
    // A frame tshark could not take apart down to TCP has no stream: wirelens must not find one either.
    expect(stream, `tshark line ${JSON.stringify(line)}`).toMatch(/^\d+$/);
    const n = Number(stream);
    streams[n] ??= { client: ip4 || ip6, frames: 0 };
    streams[n].frames++;
  }
  return streams;
}

async function wirelensStreams(file: string): Promise<Stream[]> {
  const result = await runCli(['conns', file, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const json = JSON.parse(result.stdout) as ConnsDocument;
  // Records come in the order connections ended; tshark numbers streams by first frame, as ids are.
  const byId = [...json.connections].sort((a, b) => a.id - b.id);
  return byId.map((conn, i) => {
    expect(conn.id).toBe(i + 1);
    // "10.0.0.1:40000" or "[2001:db8::1]:40000" → the address alone, as tshark prints it.
    const client = conn.client.replace(/^\[(.*)\]:\d+$/, '$1').replace(/^([^:]*):\d+$/, '$1');
    return { client, frames: conn.frames.total };
  });
}

/** Two exchanges over IPv4 and one over IPv6, interleaved, on `linkType` with `linkOpts`. */
function capture(linkType: number, linkOpts: LinkOptions): SyntheticCapture {
  const cap = new SyntheticCapture(linkType, linkOpts);
  const a = cap.conversation({ client: '192.0.2.10', server: '198.51.100.80', serverPort: 80 });
  const b = cap.conversation({ client: '2001:db8::10', server: '2001:db8::80', serverPort: 8080 });
  const c = cap.conversation({ client: '192.0.2.11', server: '198.51.100.80', serverPort: 80 });
  a.handshake().send('client', 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
  b.handshake().send('client', 'GET /b HTTP/1.1\r\nHost: y\r\n\r\n');
  a.send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na').fin('client').fin('server').ack('client');
  c.handshake().send('client', 'GET /c HTTP/1.1\r\nHost: x\r\n\r\n').send('server', 'HTTP/1.1 204 No Content\r\n\r\n').rst('client');
  b.send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nbb').fin('server').fin('client').ack('server');
  return cap;
}

const variants: Array<[string, number, LinkOptions]> = [
  ['raw IP as DLT_RAW (link type 12)', LinkType.DLT_RAW, {}],
  ['raw IP as OpenBSD DLT_RAW (link type 14)', LinkType.DLT_RAW_OPENBSD, {}],
  ['Ethernet → 802.1ad → 802.1Q → PPPoE → IP', LinkType.ETHERNET, { vlanIds: [100, 200], qinq: true, pppoeSessionId: 0x2a }],
  ['Ethernet → 802.1Q → 802.1Q → PPPoE → IP', LinkType.ETHERNET, { vlanIds: [100, 200], pppoeSessionId: 1 }],
  ['Ethernet → PPPoE → IP', LinkType.ETHERNET, { pppoeSessionId: 7, pad: true }],
];

describe('tshark and wirelens find the same connections on raw IP (12) and PPPoE-in-QinQ pcaps', () => {
  it.each(variants)('%s', async (label, linkType, linkOpts) => {
    const cap = capture(linkType, linkOpts);
    const file = join(dir, `${label.replace(/\W+/g, '-')}.pcap`);
    writeFileSync(file, writePcap(cap.frames, { linkType }));
    const expected: Stream[] = [
      { client: '192.0.2.10', frames: 8 },
      { client: '2001:db8::10', frames: 8 },
      { client: '192.0.2.11', frames: 6 },
    ];
    expect(tsharkStreams(file)).toStrictEqual(expected);
    expect(await wirelensStreams(file)).toStrictEqual(expected);
  });
});
