/**
 * Keeps the segments of every connection (or of the ones asked for) compactly, for front ends that
 * draw them later: the TUI keeps a 400 MB capture's ~430k segments within its memory budget.
 *
 * One store for all connections, in fixed-size blocks of typed arrays, filled in arrival order:
 * per segment five uint32 words (frame, seq, ack, length+flags+direction+kind packed, and the slot
 * of the connection's next segment) and two float64 (time, file offset) — 36 bytes, with no object
 * and no array per connection (a connection costs 12 bytes: its first and last slot and its count,
 * in arrays indexed by its id). A SegmentRecord is built only when a connection's segments are
 * asked for. Dropped connections leave holes; when the holes outnumber the live segments, the live
 * ones are copied into fresh blocks, each connection's segments together.
 *
 * Relative sequence and ack numbers are kept modulo 2^32, as Wireshark shows them.
 */
import type { SegmentKind, SegmentRecord } from './segments.js';

const KINDS: readonly SegmentKind[] = ['none', 'in-order', 'out-of-order', 'partial-retransmission', 'retransmission', 'keep-alive', 'duplicate', 'zero-window-probe'];
const KIND_CODE = new Map(KINDS.map((kind, i) => [kind, i]));

/** Payload lengths up to this fit the packed word: a TCP segment's payload never exceeds 64 KiB (jumbograms aside). */
const MAX_LENGTH = (1 << 19) - 1;
/** uint32 words per segment: frame, seq, ack, packed (length:19 | flags:8 | client:1 | hasAck:1 | kind:3), next slot + 1. */
const WORDS = 5;
const BLOCK_BITS = 14;
/** Segments per block (16,384: 576 KiB a block). */
const BLOCK = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK - 1;

/** The blocks and a write position: the store itself, replaced wholesale by a compaction. */
class Store {
  readonly words: Uint32Array[] = [];
  readonly floats: Float64Array[] = [];
  used = 0;

  /** Appends a segment; returns its slot. */
  push(s: SegmentRecord): number {
    const slot = this.used++;
    const block = slot >>> BLOCK_BITS;
    if (block === this.words.length) {
      this.words.push(new Uint32Array(BLOCK * WORDS));
      this.floats.push(new Float64Array(BLOCK * 2));
    }
    const words = this.words[block];
    const floats = this.floats[block];
    const w = (slot & BLOCK_MASK) * WORDS;
    const f = (slot & BLOCK_MASK) * 2;
    words[w] = s.frame;
    words[w + 1] = s.seq >>> 0;
    words[w + 2] = s.ack === null ? 0 : s.ack >>> 0;
    words[w + 3] =
      (Math.min(s.length, MAX_LENGTH) |
        ((s.flags & 0xff) << 19) |
        (s.direction === 'client' ? 1 << 27 : 0) |
        (s.ack === null ? 0 : 1 << 28) |
        ((KIND_CODE.get(s.kind) ?? 0) << 29)) >>>
      0;
    words[w + 4] = 0;
    floats[f] = s.time;
    floats[f + 1] = s.fileOffset;
    return slot;
  }

  link(from: number, to: number): void {
    this.words[from >>> BLOCK_BITS][(from & BLOCK_MASK) * WORDS + 4] = to + 1;
  }

  /** The slot after `slot` on its connection, or -1. */
  next(slot: number): number {
    return this.words[slot >>> BLOCK_BITS][(slot & BLOCK_MASK) * WORDS + 4] - 1;
  }

  record(connection: number, slot: number): SegmentRecord {
    const words = this.words[slot >>> BLOCK_BITS];
    const floats = this.floats[slot >>> BLOCK_BITS];
    const w = (slot & BLOCK_MASK) * WORDS;
    const f = (slot & BLOCK_MASK) * 2;
    const packed = words[w + 3];
    return {
      connection,
      frame: words[w],
      time: floats[f],
      direction: (packed >>> 27) & 1 ? 'client' : 'server',
      flags: (packed >>> 19) & 0xff,
      seq: words[w + 1],
      ack: (packed >>> 28) & 1 ? words[w + 2] : null,
      length: packed & MAX_LENGTH,
      fileOffset: floats[f + 1],
      kind: KINDS[packed >>> 29] ?? 'none',
    };
  }
}

export interface SegmentLogOptions {
  /** Keep only the connections this accepts (default: all). */
  keep?(connection: number): boolean;
}

/** An AnalysisSubscriber (its `segment` handler) that stores segments per connection. */
export class SegmentLog {
  private store = new Store();
  /** Per connection id: first and last slot + 1 (0: none), and the count. */
  private first = new Uint32Array(256);
  private last = new Uint32Array(256);
  private counts = new Uint32Array(256);
  private live = 0;
  private highestId = 0;

  constructor(private readonly options: SegmentLogOptions = {}) {}

  /** The analysis event: stores one segment. */
  segment(segment: SegmentRecord): void {
    const id = segment.connection;
    if (this.options.keep !== undefined && !this.options.keep(id)) return;
    if (id >= this.counts.length) this.grow(id);
    const slot = this.store.push(segment);
    if (this.counts[id] === 0) this.first[id] = slot + 1;
    else this.store.link(this.last[id] - 1, slot);
    this.last[id] = slot + 1;
    this.counts[id]++;
    this.live++;
    if (id > this.highestId) this.highestId = id;
  }

  /** Segments stored now, over all connections. */
  get count(): number {
    return this.live;
  }

  /** Ids of the connections with stored segments, in id order. */
  get ids(): number[] {
    const ids: number[] = [];
    for (let id = 0; id <= this.highestId; id++) if (this.counts[id] > 0) ids.push(id);
    return ids;
  }

  /** The connection's segments in capture order (empty when none are stored). */
  forConnection(id: number): SegmentRecord[] {
    return this.forConnectionFrom(id, 0);
  }

  /** The connection's segments after the first `skip` of them, in capture order (only those are built). */
  forConnectionFrom(id: number, skip: number): SegmentRecord[] {
    if (!(id >= 0 && id < this.counts.length)) return [];
    const records: SegmentRecord[] = [];
    let n = 0;
    for (let slot = this.first[id] - 1; slot >= 0 && n < this.counts[id]; slot = this.store.next(slot), n++) {
      if (n >= skip) records.push(this.store.record(id, slot));
    }
    return records;
  }

  /** The connection's first segment (null when none is stored): built alone. */
  firstOf(id: number): SegmentRecord | null {
    return this.countOf(id) === 0 ? null : this.store.record(id, this.first[id] - 1);
  }

  /** How many segments of the connection are stored. */
  countOf(id: number): number {
    return id >= 0 && id < this.counts.length ? this.counts[id] : 0;
  }

  /** Forgets a connection's segments (the live dashboard compacts closed connections). */
  drop(id: number): void {
    if (!(id >= 0 && id < this.counts.length) || this.counts[id] === 0) return;
    this.live -= this.counts[id];
    this.counts[id] = 0;
    this.first[id] = 0;
    this.last[id] = 0;
    const dead = this.store.used - this.live;
    if (dead >= BLOCK && dead > this.live) this.compact();
  }

  /** Copies the live segments into a fresh store, each connection's together (in id order). */
  private compact(): void {
    const old = this.store;
    const fresh = new Store();
    for (let id = 0; id <= this.highestId; id++) {
      if (this.counts[id] === 0) continue;
      let previous = -1;
      for (let slot = this.first[id] - 1, n = 0; slot >= 0 && n < this.counts[id]; slot = old.next(slot), n++) {
        const copy = fresh.push(old.record(id, slot));
        if (previous < 0) this.first[id] = copy + 1;
        else fresh.link(previous, copy);
        previous = copy;
      }
      this.last[id] = previous + 1;
    }
    this.store = fresh;
  }

  private grow(id: number): void {
    let size = this.counts.length;
    while (size <= id) size *= 2;
    const widen = (a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> => {
      const b = new Uint32Array(size);
      b.set(a);
      return b;
    };
    this.first = widen(this.first);
    this.last = widen(this.last);
    this.counts = widen(this.counts);
  }
}
