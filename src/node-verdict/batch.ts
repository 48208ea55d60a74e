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
  private meta: number[] = [];
  private parts: Uint8Array[] = [];
  private byteLength = 0;

  get size(): number {
    return this.byteLength + this.meta.length * 8;
  }

  get empty(): boolean {
    return this.meta.length === 0;
  }

  chunk(connection: number, direction: Direction, offset: number, frame: number, bytes: Uint8Array): void {
    this.meta.push(connection, KIND.chunk, direction === 'client' ? 0 : 1, offset, frame, this.byteLength, bytes.length);
    // The tap's bytes are a view valid only during the call: copied here, once.
    this.parts.push(bytes.slice());
    this.byteLength += bytes.length;
  }

  gap(connection: number, direction: Direction, offset: number, frame: number): void {
    this.meta.push(connection, KIND.gap, direction === 'client' ? 0 : 1, offset, frame, 0, 0);
  }

  end(connection: number): void {
    this.meta.push(connection, KIND.end, 0, 0, 0, 0, 0);
  }

  take(): Batch {
    const bytes = new Uint8Array(this.byteLength);
    let at = 0;
    for (const part of this.parts) {
      bytes.set(part, at);
      at += part.length;
    }
    const meta = Float64Array.from(this.meta);
    this.meta = [];
    this.parts = [];
    this.byteLength = 0;
    return { meta: meta.buffer, bytes: bytes.buffer };
  }
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
