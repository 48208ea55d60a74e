import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LinkType, PcapStreamWriter } from './synth.js';

/** One generated frame: simulated time in µs and the Ethernet frame's bytes. */
export interface Packet {
  us: number;
  data: Uint8Array;
  /** Which connection it belongs to (counted once per capture, so prefixes know what they hold). */
  conn?: number;
  /** The first segment of an HTTP request (counted, so prefixes know how many exchanges began). */
  startsRequest?: boolean;
}

export interface WrittenCapture {
  bytes: number;
  frames: number;
  /** Distinct `conn` values among the written packets. */
  connections: number;
  /** Written packets with `startsRequest`. */
  requests: number;
  firstUs: number;
  lastUs: number;
}

/** Start time (2023-11-14T22:13:20Z), fixed so output never depends on the clock. */
export const START_US = 1_700_000_000 * 1e6;
const WRITE_BATCH_BYTES = 8 << 20;

/**
 * A classic pcap (µs, Ethernet) streamed to `<out>.partial` in 8 MiB batches and renamed to `out` on
 * close, so a cached capture is never a half-written one. `maxFrames` cuts it after that many
 * frames (a prefix of the same traffic).
 */
export class CaptureFile {
  private readonly fd: number;
  private readonly writer = new PcapStreamWriter({ linkType: LinkType.ETHERNET });
  private batch: Uint8Array[] = [];
  private batchBytes = 0;
  private readonly seen = new Set<number>();
  private readonly stats: WrittenCapture = { bytes: 0, frames: 0, connections: 0, requests: 0, firstUs: Infinity, lastUs: -Infinity };

  constructor(
    private readonly out: string,
    private readonly maxFrames = Infinity,
  ) {
    mkdirSync(dirname(resolve(out)), { recursive: true });
    this.fd = openSync(`${out}.partial`, 'w');
    this.push(this.writer.header());
  }

  /** False once the frame limit is reached (the packet is then not written). */
  write(p: Packet): boolean {
    if (this.stats.frames >= this.maxFrames) return false;
    this.push(this.writer.frame({ time: p.us / 1e6, data: p.data }));
    const s = this.stats;
    s.frames++;
    if (p.us < s.firstUs) s.firstUs = p.us;
    if (p.us > s.lastUs) s.lastUs = p.us;
    if (p.conn !== undefined && !this.seen.has(p.conn)) {
      this.seen.add(p.conn);
      s.connections++;
    }
    if (p.startsRequest) s.requests++;
    return true;
  }

  close(): WrittenCapture {
    this.flush();
    closeSync(this.fd);
    renameSync(`${this.out}.partial`, this.out);
    return { ...this.stats };
  }

  private push(record: Uint8Array): void {
    this.batch.push(record);
    this.batchBytes += record.length;
    if (this.batchBytes >= WRITE_BATCH_BYTES) this.flush();
  }

  private flush(): void {
    // One contiguous write: writev takes at most IOV_MAX (1024) pieces per call, and a batch of
    // small frames holds ~100 000, so writing it piecewise was quadratic in the retry bookkeeping.
    const buffer = Buffer.concat(this.batch, this.batchBytes);
    for (let written = 0; written < buffer.length; ) written += writeSync(this.fd, buffer, written);
    this.stats.bytes += this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
  }
}

/** A packet source that begins at `startUs`; `open` is called only then, so few are live at once. */
export interface TimedSource {
  startUs: number;
  open: () => Iterator<Packet, unknown>;
}

/**
 * Merges sources into one time-ordered stream (ties: the lower source index first). Sources must be
 * sorted by `startUs`; each one's packets must be in time order and not before its `startUs`.
 * A binary heap of the open sources' next packets keeps this O(log open) per packet.
 */
export function* mergeByTime(sources: readonly TimedSource[]): Generator<Packet> {
  const heap: Array<{ packet: Packet; index: number; it: Iterator<Packet, unknown> }> = [];
  const before = (a: (typeof heap)[number], b: (typeof heap)[number]) =>
    a.packet.us < b.packet.us || (a.packet.us === b.packet.us && a.index < b.index);
  const push = (entry: (typeof heap)[number]) => {
    let i = heap.push(entry) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  };
  const siftDown = () => {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l], heap[m])) m = l;
      if (r < heap.length && before(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  const open = (index: number) => {
    const it = sources[index].open();
    const r = it.next();
    if (!r.done) push({ packet: r.value, index, it });
  };
  let pending = 0;
  for (;;) {
    // Open every source that starts no later than the earliest queued packet.
    while (pending < sources.length && (heap.length === 0 || sources[pending].startUs <= heap[0].packet.us)) open(pending++);
    if (heap.length === 0) return;
    const top = heap[0];
    yield top.packet;
    const r = top.it.next();
    if (r.done) {
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        siftDown();
      }
    } else {
      top.packet = r.value;
      siftDown();
    }
  }
}
