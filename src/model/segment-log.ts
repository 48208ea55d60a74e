/**
 * Keeps the segments of every connection (or of the ones asked for) compactly, for front ends that
 * draw them later: the TUI keeps a 400 MB capture's ~430k segments within its memory budget.
 *
 * Each connection's segments sit in two typed arrays that double as they fill — times and file
 * offsets as float64, frame/seq/ack and length+flags+direction+kind packed in uint32 — 32 bytes a
 * segment (about 40 with the slack of doubling), instead of a ~150-byte object each.
 * A SegmentRecord is built only when a connection's segments are asked for.
 */
import type { SegmentKind, SegmentRecord } from './segments.js';

const KINDS: readonly SegmentKind[] = ['none', 'in-order', 'out-of-order', 'partial-retransmission', 'retransmission', 'keep-alive'];
const KIND_CODE = new Map(KINDS.map((kind, i) => [kind, i]));

/** Payload lengths up to this fit the packed word; a TCP segment's payload never exceeds 64 KiB (jumbograms aside). */
const MAX_LENGTH = (1 << 19) - 1;
const FIRST_CAPACITY = 8;

/** uint32 words per segment: frame, seq, ack, packed (length:19 | flags:8 | client:1 | hasAck:1 | kind:3). */
const WORDS = 4;

class ConnectionSegments {
  count = 0;
  words: Uint32Array;
  /** time, fileOffset per segment. */
  floats: Float64Array;

  constructor() {
    this.words = new Uint32Array(FIRST_CAPACITY * WORDS);
    this.floats = new Float64Array(FIRST_CAPACITY * 2);
  }

  push(s: SegmentRecord): void {
    if (this.count * WORDS === this.words.length) this.grow();
    const w = this.count * WORDS;
    const f = this.count * 2;
    this.words[w] = s.frame;
    this.words[w + 1] = s.seq >>> 0;
    this.words[w + 2] = s.ack === null ? 0 : s.ack >>> 0;
    this.words[w + 3] =
      (Math.min(s.length, MAX_LENGTH) |
        ((s.flags & 0xff) << 19) |
        (s.direction === 'client' ? 1 << 27 : 0) |
        (s.ack === null ? 0 : 1 << 28) |
        ((KIND_CODE.get(s.kind) ?? 0) << 29)) >>>
      0;
    this.floats[f] = s.time;
    this.floats[f + 1] = s.fileOffset;
    this.count++;
  }

  record(connection: number, i: number): SegmentRecord {
    const w = i * WORDS;
    const packed = this.words[w + 3];
    return {
      connection,
      frame: this.words[w],
      time: this.floats[i * 2],
      direction: (packed >>> 27) & 1 ? 'client' : 'server',
      flags: (packed >>> 19) & 0xff,
      seq: this.words[w + 1],
      ack: (packed >>> 28) & 1 ? this.words[w + 2] : null,
      length: packed & MAX_LENGTH,
      fileOffset: this.floats[i * 2 + 1],
      kind: KINDS[packed >>> 29] ?? 'none',
    };
  }

  private grow(): void {
    const words = new Uint32Array(this.words.length * 2);
    words.set(this.words);
    this.words = words;
    const floats = new Float64Array(this.floats.length * 2);
    floats.set(this.floats);
    this.floats = floats;
  }
}

export interface SegmentLogOptions {
  /** Keep only the connections this accepts (default: all). */
  keep?(connection: number): boolean;
}

/** An AnalysisSubscriber (its `segment` handler) that stores segments per connection. */
export class SegmentLog {
  private readonly connections = new Map<number, ConnectionSegments>();
  private total = 0;

  constructor(private readonly options: SegmentLogOptions = {}) {}

  /** The analysis event: stores one segment. */
  segment(segment: SegmentRecord): void {
    let stored = this.connections.get(segment.connection);
    if (stored === undefined) {
      if (this.options.keep !== undefined && !this.options.keep(segment.connection)) return;
      stored = new ConnectionSegments();
      this.connections.set(segment.connection, stored);
    }
    stored.push(segment);
    this.total++;
  }

  /** Segments stored now, over all connections. */
  get count(): number {
    return this.total;
  }

  /** Ids of the connections with stored segments, in order of their first segment. */
  get ids(): number[] {
    return [...this.connections.keys()];
  }

  /** The connection's segments in capture order (empty when none are stored). */
  forConnection(id: number): SegmentRecord[] {
    const stored = this.connections.get(id);
    if (stored === undefined) return [];
    const records: SegmentRecord[] = new Array(stored.count);
    for (let i = 0; i < stored.count; i++) records[i] = stored.record(id, i);
    return records;
  }

  /** Forgets a connection's segments (the live dashboard compacts closed connections). */
  drop(id: number): void {
    const stored = this.connections.get(id);
    if (stored === undefined) return;
    this.total -= stored.count;
    this.connections.delete(id);
  }
}
