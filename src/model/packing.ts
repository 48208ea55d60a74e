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
  const verdict = packingVerdict(message);
  const sharedFrame = verdict === 'packed' ? headerFrames[headerFrames.length - 1] : null;
  return { verdict, sharedFrame, headerSplit: headerFrames.length > 1, headerFrames, bodyFrames, note };
}

function packingVerdict(message: Message): Packing['verdict'] {
  const { headerFrames, bodyFrames, framing } = message;
  if (message.offsets.headEnd === null) return 'incomplete';
  if (bodyFrames.length === 0) {
    // "No body" only when none was due: a declared Content-Length whose bytes never came is
    // incomplete, and a chunked body always has framing bytes (at least the last chunk).
    const bodyBytes = framing ? framing.actualBodyBytes : 0;
    const bodyDue = framing?.kind === 'chunked' || (framing?.declared ?? 0) > 0 || !message.complete;
    return bodyBytes === 0 && !bodyDue ? 'no-body' : 'incomplete';
  }
  return bodyFrames[0] === headerFrames[headerFrames.length - 1] ? 'packed' : 'headers-only-segment';
}
