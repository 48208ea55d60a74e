/**
 * The stream events of many connections packed for a worker: one ArrayBuffer of bytes and one of
 * numbers, both transferred (not copied) to the worker with postMessage.
 */
import type { Direction } from '../tcp/stream.js';
import type { ReplayEvent } from './types.js';

/** Numbers per event in `meta`: connection, kind, direction, offset, frame, byte start, byte length. */
const FIELDS = 7;
const KIND = { chunk: 0, gap: 1, end: 2 } as const;

export interface Batch {
  meta: ArrayBuffer;
  bytes: ArrayBuffer;
}

/** Collects events until `take()`; `size` tells the caller when a batch is worth sending. */
export class BatchBuilder {
  // Growable arenas: the tap's bytes are copied once, straight in (a view is valid only during the call).
  private meta = new Float64Array(FIELDS * 1024);
  private metaLength = 0;
  private bytes = new Uint8Array(64 * 1024);
  private byteLength = 0;

  get size(): number {
    return this.byteLength + this.metaLength * 8;
  }

  get empty(): boolean {
    return this.metaLength === 0;
  }

  chunk(connection: number, direction: Direction, offset: number, frame: number, bytes: Uint8Array): void {
    if (this.byteLength + bytes.length > this.bytes.length) this.bytes = grown(this.bytes, this.byteLength, this.byteLength + bytes.length);
    this.bytes.set(bytes, this.byteLength);
    this.event(connection, KIND.chunk, direction, offset, frame, this.byteLength, bytes.length);
    this.byteLength += bytes.length;
  }

  gap(connection: number, direction: Direction, offset: number, frame: number): void {
    this.event(connection, KIND.gap, direction, offset, frame, 0, 0);
  }

  end(connection: number): void {
    this.event(connection, KIND.end, 'client', 0, 0, 0, 0);
  }

  take(): Batch {
    const batch = { meta: this.meta.slice(0, this.metaLength).buffer, bytes: this.bytes.slice(0, this.byteLength).buffer };
    this.metaLength = 0;
    this.byteLength = 0;
    return batch;
  }

  private event(connection: number, kind: number, direction: Direction, offset: number, frame: number, start: number, length: number): void {
    if (this.metaLength + FIELDS > this.meta.length) this.meta = grown(this.meta, this.metaLength, this.metaLength + FIELDS);
    const m = this.meta;
    let i = this.metaLength;
    m[i++] = connection;
    m[i++] = kind;
    m[i++] = direction === 'client' ? 0 : 1;
    m[i++] = offset;
    m[i++] = frame;
    m[i++] = start;
    m[i++] = length;
    this.metaLength = i;
  }
}

/** A copy of `array`'s first `used` items in an array of at least `need` items (doubling). */
function grown<T extends Uint8Array | Float64Array>(array: T, used: number, need: number): T {
  let size = array.length * 2;
  while (size < need) size *= 2;
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array.subarray(0, used));
  return next;
}

export type BatchEvent = { connection: number } & (ReplayEvent | { kind: 'end' });

/** The events of a batch, in order (chunk bytes are views into the batch's buffer). */
export function* unpack(batch: Batch): Generator<BatchEvent> {
  const meta = new Float64Array(batch.meta);
  for (let i = 0; i < meta.length; i += FIELDS) {
    const connection = meta[i];
    const kind = meta[i + 1];
    const direction: Direction = meta[i + 2] === 0 ? 'client' : 'server';
    const offset = meta[i + 3];
    const frame = meta[i + 4];
    if (kind === KIND.end) yield { connection, kind: 'end' };
    else if (kind === KIND.gap) yield { connection, kind: 'gap', direction, offset, frame };
    else yield { connection, kind: 'chunk', direction, offset, frame, bytes: Buffer.from(batch.bytes, meta[i + 5], meta[i + 6]) };
  }
}
