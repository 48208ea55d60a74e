import type { Message } from '../http/types.js';
import type { Packing } from './types.js';

/**
 * Which segments carried the header section and which the body. Node.js buffers the header section
 * until the first write()/end() and sends both together ("packed"); flushHeaders() or
 * writeHead()+later write() sends the headers alone ("headers-only segment").
 */
export function packing(message: Message, note: string | null): Packing {
  const headerFrames = message.headerFrames;
  const bodyFrames = message.bodyFrames;
  const headerSplit = headerFrames.length > 1;
  const base = { headerSplit, headerFrames, bodyFrames, note };
  if (message.offsets.headEnd === null) return { verdict: 'incomplete', sharedFrame: null, ...base };
  const bodyBytes = message.framing ? message.framing.actualBodyBytes : 0;
  const chunked = message.framing?.kind === 'chunked';
  // A chunked body always has framing bytes (at least the last chunk) even when it carries no data.
  if (bodyFrames.length === 0) {
    // "No body" only when none was due: a declared Content-Length whose bytes never came is incomplete.
    const bodyDue = chunked || (message.framing?.declared ?? 0) > 0 || !message.complete;
    return { verdict: bodyBytes === 0 && !bodyDue ? 'no-body' : 'incomplete', sharedFrame: null, ...base };
  }
  const lastHeaderFrame = headerFrames[headerFrames.length - 1];
  if (bodyFrames[0] === lastHeaderFrame) return { verdict: 'packed', sharedFrame: lastHeaderFrame, ...base };
  return { verdict: 'headers-only-segment', sharedFrame: null, ...base };
}
