/**
 * Text pieces written as they are rendered and read back at the end in the order of their keys:
 * what a report printed in connection-id order needs, since connections end in a different order
 * than they start and findings about a connection may come after it closed. Without it the text
 * report and the `conns` table kept every connection's record until the capture ended (701 MB for
 * `report` on 100,000 connections). Pieces stay in memory up to MEMORY_BUDGET characters, then all
 * of them move to an unlinked temporary file (gone when the process ends, however it ends); what
 * memory keeps per piece is then its 24-byte index entry.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Characters kept in memory before the pieces move to a file. */
export const MEMORY_BUDGET = 4 * 1024 * 1024;
/** Characters gathered before one write to the file. */
const WRITE_BATCH = 1 << 20;
/** Bytes read from the file at once when reading back, and how far before the piece asked for. */
const READ_WINDOW = 256 * 1024;
const READ_BEHIND = 128 * 1024;

/** A piece read back: its text, its first key and the number given with it. */
export interface SpooledPiece {
  text: string;
  key: number;
  aux: number;
}

export class OrderedSpool {
  private count = 0;
  private keys = new Uint32Array(1024);
  private subKeys = new Uint32Array(1024);
  private auxes = new Uint32Array(1024);
  /** In memory: the pieces. In the file: each piece's byte offset and length. */
  private texts: string[] | null = [];
  private offsets = new Float64Array(0);
  private lengths = new Uint32Array(0);
  private memoryChars = 0;
  private fd: number | null = null;
  private fileBytes = 0;
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(private memoryBudget = MEMORY_BUDGET) {}

  /** Adds a piece; pieces are read back by `key`, then `subKey`, then in the order they were added. */
  add(key: number, subKey: number, text: string, aux = 0): void {
    if (this.count === this.keys.length) this.grow();
    const i = this.count++;
    this.keys[i] = key;
    this.subKeys[i] = subKey;
    this.auxes[i] = aux;
    if (this.texts !== null) {
      this.texts.push(text);
      this.memoryChars += text.length;
      if (this.memoryChars > this.memoryBudget) this.spill();
    } else {
      this.toFile(i, text);
    }
  }

  get size(): number {
    return this.count;
  }

  /** Every piece in key order; the spool is empty (and its file closed) afterwards. */
  *inOrder(): Generator<SpooledPiece> {
    this.flushPending();
    const order = this.sortedIndexes();
    const window = this.fd === null ? null : new FileWindow(this.fd);
    try {
      for (const i of order) {
        const text = this.texts !== null ? this.texts[i] : (window as FileWindow).read(this.offsets[i], this.lengths[i]);
        yield { text, key: this.keys[i], aux: this.auxes[i] };
      }
    } finally {
      this.dispose();
    }
  }

  /** Closes the file (if any) and forgets every piece. */
  dispose(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.texts = [];
    this.count = 0;
    this.memoryChars = 0;
  }

  private sortedIndexes(): Uint32Array {
    const order = new Uint32Array(this.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    const { keys, subKeys } = this;
    // Index order breaks ties: pieces with equal keys stay in the order they were added.
    return order.sort((a, b) => keys[a] - keys[b] || subKeys[a] - subKeys[b] || a - b);
  }

  private grow(): void {
    const n = this.keys.length * 2;
    this.keys = grown(this.keys, new Uint32Array(n));
    this.subKeys = grown(this.subKeys, new Uint32Array(n));
    this.auxes = grown(this.auxes, new Uint32Array(n));
    if (this.texts === null) {
      this.offsets = grown(this.offsets, new Float64Array(n));
      this.lengths = grown(this.lengths, new Uint32Array(n));
    }
  }

  /** Over budget: every piece so far goes to a new temporary file, and the ones after it too. */
  private spill(): void {
    const fd = openTemporary();
    if (fd === null) {
      // No writable temporary directory: keep going in memory rather than fail the report.
      this.memoryBudget = Infinity;
      return;
    }
    this.fd = fd;
    const texts = this.texts as string[];
    this.texts = null;
    this.memoryChars = 0;
    this.offsets = new Float64Array(this.keys.length);
    this.lengths = new Uint32Array(this.keys.length);
    texts.forEach((text, i) => this.toFile(i, text));
  }

  private toFile(i: number, text: string): void {
    const bytes = Buffer.byteLength(text);
    this.offsets[i] = this.fileBytes;
    this.lengths[i] = bytes;
    this.fileBytes += bytes;
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= WRITE_BATCH) this.flushPending();
  }

  private flushPending(): void {
    if (this.pending.length === 0 || this.fd === null) return;
    const bytes = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }
}

function grown<T extends Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** A temporary file already unlinked (it lives as long as the descriptor), or null if none can be made. */
function openTemporary(): number | null {
  const path = join(tmpdir(), `wirelens-spool-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    const fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
    return fd;
  } catch {
    return null;
  }
}

/**
 * Reads pieces back through a window of the file: pieces of one connection were mostly written
 * close together, so one read serves many of them. A connection's exchanges were written before
 * its head (rendered when it closed) but are read after it: the window reaches back too.
 */
class FileWindow {
  private start = 0;
  private bytes = Buffer.alloc(0);

  constructor(private readonly fd: number) {}

  read(offset: number, length: number): string {
    if (offset < this.start || offset + length > this.start + this.bytes.length) this.load(offset, length);
    const at = offset - this.start;
    return this.bytes.toString('utf8', at, at + length);
  }

  private load(offset: number, length: number): void {
    const start = Math.max(0, offset - READ_BEHIND);
    const size = Math.max(READ_WINDOW, offset - start + length);
    const buffer = this.bytes.length === size ? this.bytes : Buffer.allocUnsafe(size);
    let filled = 0;
    for (;;) {
      const n = readSync(this.fd, buffer, filled, size - filled, start + filled);
      filled += n;
      if (n === 0 || start + filled >= offset + length) break;
    }
    this.start = start;
    this.bytes = filled === size ? buffer : buffer.subarray(0, filled);
  }
}
