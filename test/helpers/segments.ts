import { analyse } from '../../src/analysis/analysis.js';
import { SegmentLog } from '../../src/model/segment-log.js';
import { labelSegments, type SegmentRow } from '../../src/model/segments.js';
import type { ConnectionModel, ExchangeModel } from '../../src/model/types.js';
import { TcpFlag } from '../../src/decode/segment.js';
import { SyntheticCapture } from './conversation.js';

/** Every connection of a capture with its labelled segments (analysed once, all kept). */
export async function labelledConnections(file: string): Promise<{ log: SegmentLog; connections: ConnectionModel[]; rows: Map<number, SegmentRow[]> }> {
  const log = new SegmentLog();
  const exchanges: ExchangeModel[] = [];
  const connections: ConnectionModel[] = [];
  await analyse(file, {}, log, { exchange: (x) => exchanges.push(x), connectionClosed: (c) => connections.push(c) });
  const rows = new Map<number, SegmentRow[]>();
  for (const id of log.ids) rows.set(id, labelSegments(log.forConnection(id), exchanges.filter((x) => x.connection === id)));
  return { log, connections, rows };
}

/** `frame label` lines of a connection's rows, for compact assertions. */
export function labelLines(rows: readonly SegmentRow[]): string[] {
  return rows.map((r) => `${r.frame} ${r.direction} ${r.label}`);
}

export const SYNTH_REQUEST = 'GET /x HTTP/1.1\r\nHost: a\r\n\r\n';
export const SYNTH_HEAD = 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n';

/**
 * One exchange whose response body arrives out of order and is then retransmitted:
 *   1-3 handshake, 4 request (27 B), 5 response headers (38 B), 6 body bytes 5-9 (ahead of a hole),
 *   7 body bytes 0-4 (fill the hole), 8 body bytes 0-4 again (retransmission), 9 ACK, 10-12 FINs+ACK.
 */
export function outOfOrderCapture(): string {
  const capture = new SyntheticCapture();
  const c = capture.conversation({ serverPort: 80 });
  c.handshake().send('client', SYNTH_REQUEST).send('server', SYNTH_HEAD).send('server', '01234').send('server', '56789');
  // Swap the two body segments: "56789" is captured before "01234".
  const frames = capture.frames;
  const [first, second] = [frames[5], frames[6]];
  frames[5] = { ...second, time: first.time };
  frames[6] = { ...first, time: second.time };
  c.wait(0.2);
  // The retransmission: the same bytes as frame 7, later.
  frames.push({ ...first, time: frames[6].time + 0.2 });
  c.wait(0.001).ack('client').fin('client').fin('server').ack('client');
  return capture.writeTemp('out-of-order.pcapng');
}

export { TcpFlag };
