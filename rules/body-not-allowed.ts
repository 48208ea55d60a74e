import type { Rule } from '../src/lint/types.js';
import type { FramingReason } from '../src/http/types.js';
import type { MessageModel } from '../src/model/types.js';
import { nodeCitation } from './lib/node-verdict.js';
import { describeMessage, framesText, messagesOf } from './lib/wire.js';

/** Why the response could have no body, in the words of RFC 9112 §6.3 ¶1. */
const NO_BODY_BECAUSE: Partial<Record<FramingReason, string>> = {
  'head-response': 'a response to HEAD',
  informational: 'a 1xx interim response',
  'no-content': '204 No Content',
  'not-modified': '304 Not Modified',
};

export default {
  id: 'body-not-allowed',
  severity: 'error',
  title: 'Body bytes after a response that cannot have a body',
  help: [
    'On the wire: bytes followed the header section of a response that has no body by definition (a response to HEAD, a 1xx, 204 No Content, 304 Not Modified: RFC 9112 §6.3 ¶1), and they do not start the next response. Every receiver frames the response as ending with its header section, so the extra bytes are read as the start of the next message.',
    'A Node.js client either parses them as the next response (`Error: Parse Error: Expected HTTP/`, code `HPE_INVALID_CONSTANT`) or finds them on the idle kept-alive socket and loses it; the response that is read next on the connection may be garbage. curl does not read them as a body either and may report them with the next transfer on the connection.',
    "Node.js cause: Node drops the body of HEAD/204/304 responses itself, so this usually comes from raw `socket.write()`, a proxy that forwards a body for a HEAD request, or a server framework that computes headers and body separately.",
    'Fix: send no body for these responses; a proxy must stop after the header section of a response to HEAD.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#class-httpserverresponse',
  create(context) {
    return {
      exchange(exchange) {
        for (const message of messagesOf(exchange)) {
          const excess = bodyNotAllowed(message);
          if (excess === null) continue;
          const because = message.framing === null ? undefined : NO_BODY_BECAUSE[message.framing.reason];
          context.report({
            message: `${describeMessage(message)} cannot have a body${because === undefined ? '' : ` (${because})`}, yet ${excess.bytes} B followed its header section in ${framesText(excess.frames)}${nodeCitation(message)}`,
            connection: exchange.connection,
            exchange: exchange.index,
            frames: [...message.frames, ...excess.frames],
          });
        }
      },
    };
  },
} satisfies Rule;

export function bodyNotAllowed(message: MessageModel): { bytes: number; frames: number[] } | null {
  const excess = message.framing?.excess ?? null;
  return excess !== null && excess.code === 'body-not-allowed' ? excess : null;
}
