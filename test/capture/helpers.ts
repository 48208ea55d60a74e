import type { Frame } from '../../src/capture/frame.js';
import { CaptureReader } from '../../src/capture/reader.js';
import { parseCaptureBuffer, type ReadResult } from '../../src/capture/source.js';

/** A frame as plain data (bytes as hex), so tables can compare with toEqual. */
export interface FrameRow {
  index: number;
  time: number;
  linkType: number;
  hex: string;
  originalLength: number;
  fileOffset: number;
  interfaceId: number;
}

export function row(f: Frame): FrameRow {
  return {
    index: f.index,
    time: f.time,
    linkType: f.linkType,
    hex: Buffer.from(f.data).toString('hex'),
    originalLength: f.originalLength,
    fileOffset: f.fileOffset,
    interfaceId: f.interfaceId,
  };
}

/** Parses a whole buffer, returning the result and every frame delivered. */
export function parseAll(buf: Uint8Array, name = 'test.cap'): { result: ReadResult; frames: Frame[] } {
  const frames: Frame[] = [];
  const result = parseCaptureBuffer(name, buf, (f) => frames.push(f));
  return { result, frames };
}

/** Feeds `buf` to a CaptureReader in the given pieces (fresh copies, as a stream would deliver). */
export function parseInPieces(buf: Uint8Array, cuts: number[]): Frame[] {
  const frames: Frame[] = [];
  const reader = new CaptureReader('pieces.cap', (f) => frames.push(f));
  let start = 0;
  for (const cut of [...cuts, buf.length]) {
    reader.push(Uint8Array.prototype.slice.call(buf, start, cut));
    start = cut;
  }
  reader.end();
  return frames;
}

/** Deterministic packet bytes of a given length. */
export function bytes(length: number, seed: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (seed * 31 + i * 7) & 0xff;
  return b;
}
