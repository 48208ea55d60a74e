import { TcpFlag, type Segment, type TcpOptions } from '../../src/decode/segment.js';
import type { ConnectionEndReason, ConnectionRecord } from '../../src/tcp/connection.js';
import type { Direction, OverlapConflict, StreamChunk, StreamConsumer, StreamGap } from '../../src/tcp/stream.js';
import { TcpTracker, type TrackerOptions } from '../../src/tcp/tracker.js';

/**
 * Builds TCP segments for tests with correct seq/ack bookkeeping. Frame numbers and times are
 * assigned when a segment is fed (in feeding order), so reordering a test's segments reorders its
 * frames exactly as a capture would.
 */

export interface Endpoint {
  ip: string;
  port: number;
}

export const CLIENT: Endpoint = { ip: '10.0.0.1', port: 50000 };
export const SERVER: Endpoint = { ip: '10.0.0.2', port: 80 };

const enc = new TextEncoder();
const dec = new TextDecoder();

export function bytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? enc.encode(data) : data;
}

export function text(data: Uint8Array): string {
  return dec.decode(data);
}

/** The time a frame number is given when fed: exact binary fractions, so sums compare exactly. */
export function timeOf(frame: number): number {
  return 100 + frame * 0.25;
}

export function segment(fields: Partial<Segment> & { src: string; srcPort: number; dst: string; dstPort: number }): Segment {
  const payload = fields.payload ?? new Uint8Array(0);
  return {
    frame: 0,
    time: 0,
    ipVersion: 4,
    seq: 0,
    ack: 0,
    flags: TcpFlag.ACK,
    window: 65535,
    options: {},
    payloadLength: payload.length,
    ...fields,
    payload,
  };
}

export interface SendOptions {
  /** Explicit sequence number (default: the side's next). */
  seq?: number;
  /** Whether the side's next sequence number moves past this segment (default true). */
  advance?: boolean;
  flags?: number;
  window?: number;
  ack?: number;
  /** Bytes on the wire, when snaplen cut the captured payload. */
  payloadLength?: number;
}

/** One connection's two sides and their next sequence numbers. */
export class Flow {
  readonly next: Record<Direction, number>;
  readonly isn: Record<Direction, number>;

  constructor(
    readonly client: Endpoint = CLIENT,
    readonly server: Endpoint = SERVER,
    clientIsn = 1000,
    serverIsn = 5000,
  ) {
    this.isn = { client: clientIsn >>> 0, server: serverIsn >>> 0 };
    this.next = { client: clientIsn >>> 0, server: serverIsn >>> 0 };
  }

  /** A segment from `dir`, acking everything the other side has sent so far. */
  send(dir: Direction, data: string | Uint8Array = '', o: SendOptions = {}): Segment {
    const payload = bytes(data);
    const from = dir === 'client' ? this.client : this.server;
    const to = dir === 'client' ? this.server : this.client;
    const flags = o.flags ?? (payload.length > 0 ? TcpFlag.PSH | TcpFlag.ACK : TcpFlag.ACK);
    const seq = o.seq ?? this.next[dir];
    const consumed = (o.payloadLength ?? payload.length) + (flags & TcpFlag.SYN ? 1 : 0) + (flags & TcpFlag.FIN ? 1 : 0);
    if (o.advance ?? true) this.next[dir] = (seq + consumed) >>> 0;
    const other = dir === 'client' ? 'server' : 'client';
    const options: TcpOptions = flags & TcpFlag.SYN ? { mss: dir === 'client' ? 1460 : 1400, windowScale: dir === 'client' ? 7 : 6 } : {};
    return segment({
      src: from.ip,
      srcPort: from.port,
      dst: to.ip,
      dstPort: to.port,
      seq,
      ack: flags & TcpFlag.ACK ? (o.ack ?? this.next[other]) : 0,
      flags,
      window: o.window ?? 65535,
      options,
      payload,
      payloadLength: o.payloadLength ?? payload.length,
    });
  }

  syn(): Segment {
    return this.send('client', '', { flags: TcpFlag.SYN, seq: this.isn.client });
  }

  synAck(): Segment {
    return this.send('server', '', { flags: TcpFlag.SYN | TcpFlag.ACK, seq: this.isn.server });
  }

  handshake(): Segment[] {
    return [this.syn(), this.synAck(), this.send('client')];
  }

  ack(dir: Direction): Segment {
    return this.send(dir);
  }

  fin(dir: Direction): Segment {
    return this.send(dir, '', { flags: TcpFlag.FIN | TcpFlag.ACK });
  }

  rst(dir: Direction): Segment {
    return this.send(dir, '', { flags: TcpFlag.RST | TcpFlag.ACK, advance: false });
  }
}

/** A consumer that writes every event as one readable line. */
export class Recorder implements StreamConsumer {
  readonly events: string[] = [];
  readonly chunks: StreamChunk[] = [];
  closes = 0;

  chunk(c: StreamChunk): void {
    this.chunks.push(c);
    this.events.push(`${c.direction} @${c.offset} ${JSON.stringify(text(c.bytes))} f${c.frame}`);
  }

  gap(g: StreamGap): void {
    this.events.push(`${g.direction} gap @${g.offset}+${g.length} before f${g.frameAfter} ${g.cause}`);
  }

  overlapConflict(c: OverlapConflict): void {
    this.events.push(`${c.direction} conflict @${c.offset} f${c.frame} (first f${c.firstFrame})`);
  }

  close(time: number): void {
    this.closes++;
    this.events.push(`close t${time}`);
  }

  endOfCapture(time: number): void {
    this.closes++;
    this.events.push(`end-of-capture t${time}`);
  }
}

/**
 * A tracker wired to one Recorder per connection, fed segments with frame numbers 1, 2, 3…; it
 * keeps every record it is shown (at onConnection, and at onConnectionFinal) for conn().
 */
export class Harness {
  readonly tracker: TcpTracker;
  readonly recorders = new Map<number, Recorder>();
  readonly opened: number[] = [];
  readonly ended: number[] = [];
  /** `id reason` per onConnectionEnd, in call order. */
  readonly endings: string[] = [];
  /** Ids in onConnectionFinal order. */
  readonly finals: number[] = [];
  private readonly records = new Map<number, ConnectionRecord>();
  private frame = 0;

  constructor(options: Omit<TrackerOptions, 'onConnection' | 'onConnectionEnd' | 'onConnectionFinal'> = {}) {
    this.tracker = new TcpTracker({
      ...options,
      onConnection: (conn) => {
        this.opened.push(conn.id);
        this.records.set(conn.id, conn);
        const r = new Recorder();
        this.recorders.set(conn.id, r);
        return r;
      },
      onConnectionEnd: (conn, reason: ConnectionEndReason) => {
        this.ended.push(conn.id);
        this.endings.push(`${conn.id} ${reason}`);
      },
      onConnectionFinal: (conn) => {
        this.finals.push(conn.id);
        this.records.set(conn.id, conn);
      },
    });
  }

  /** Numbers and times the segments in the order given and pushes them. Returns their frame numbers. */
  feed(...segs: Segment[]): number[] {
    return segs.map((s) => {
      s.frame = ++this.frame;
      s.time = timeOf(s.frame);
      this.tracker.push(s);
      return s.frame;
    });
  }

  finish(): void {
    this.tracker.finish();
  }

  events(id = 1): string[] {
    return this.recorders.get(id)?.events ?? [];
  }

  conn(id = 1): ConnectionRecord {
    const c = this.records.get(id);
    if (!c) throw new Error(`no connection ${id} (not yet opened nor final)`);
    return c;
  }

  /** Every record shown so far, in id order. */
  connections(): ConnectionRecord[] {
    return [...this.records.values()].sort((a, b) => a.id - b.id);
  }
}
