import type { Rule } from '../src/lint/types.js';
import type { MessageModel } from '../src/model/types.js';
import { nodeCitation } from './lib/node-verdict.js';
import { describeMessage, framesText, messagesOf } from './lib/wire.js';

export interface Overrun {
  declared: number;
  excess: number;
  frames: number[];
}

/** A Content-Length message followed by bytes that do not start a message: the overrun, or null. */
export function overrun(message: MessageModel): Overrun | null {
  const framing = message.framing;
  if (framing === null || framing.kind !== 'content-length' || framing.declared === null) return null;
  if (framing.excess === null || framing.excess.code !== 'excess-after-body') return null;
  return { declared: framing.declared, excess: framing.excess.bytes, frames: framing.excess.frames };
}

export default {
  id: 'content-length-overrun',
  severity: 'error',
  title: 'More bytes were sent than Content-Length declared',
  help: [
    'On the wire: a message declared `Content-Length: N` and more than N bytes followed its header section; the extra bytes do not start a valid next message. wirelens shows them (tshark silently drops them).',
    'curl keeps the declared N bytes, prints "Excess found" with the byte counts in verbose mode and closes the connection instead of reusing it. A Node.js client takes the N bytes as the body and parses the excess as the start of the next response: `Error: Parse Error: Expected HTTP/` (code `HPE_INVALID_CONSTANT`).',
    "Node.js cause: `res.setHeader('Content-Length', n)` (or `writeHead()` with it) and then `write()`/`end()` with more than n bytes; by default Node sends what it is given without checking.",
    'Fix: compute the length from the bytes actually sent (`Buffer.byteLength(body)`, not the `length` of a string with multi-byte characters), or leave the header to Node; `response.strictContentLength = true` makes the server throw `ERR_HTTP_CONTENT_LENGTH_MISMATCH` instead of sending a broken message.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#responsestrictcontentlength',
  create(context) {
    return {
      exchange(exchange) {
        for (const message of messagesOf(exchange)) {
          const found = overrun(message);
          if (found === null) continue;
          context.report({
            message: `${describeMessage(message)}: Content-Length: ${found.declared} but ${found.declared + found.excess} B sent: ${found.excess} B excess in ${framesText(found.frames)}${nodeCitation(message)}`,
            connection: exchange.connection,
            exchange: exchange.index,
            frames: [...message.frames, ...found.frames],
          });
        }
      },
    };
  },
} satisfies Rule;
