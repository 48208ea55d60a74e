import type { Framing, StreamDeviation } from '../http/types.js';
import type { FramingModel } from './types.js';

/**
 * The http stage's Framing with every key present (null where it does not apply), plus the excess
 * that followed the body on the same stream: a Content-Length overrun belongs to its exchange, not
 * only to the connection's list of stream deviations.
 */
export function framingModel(framing: Framing, excess: StreamDeviation | null): FramingModel {
  const chunked = framing.kind === 'chunked';
  return {
    kind: framing.kind,
    reason: framing.reason,
    declared: framing.declared ?? null,
    actualBodyBytes: framing.actualBodyBytes,
    missingBytes: framing.missingBytes,
    chunks: chunked ? (framing.chunks ?? 0) : null,
    chunkSizes: chunked ? (framing.chunkSizes ?? []) : null,
    lastChunk: chunked ? (framing.lastChunk ?? false) : null,
    trailers: chunked ? (framing.trailers ?? null) : null,
    excess:
      excess === null
        ? null
        : {
            bytes: excess.length ?? 0,
            offset: excess.offset,
            frames: excess.frames,
            code: excess.code as 'excess-after-body' | 'body-not-allowed',
          },
  };
}
