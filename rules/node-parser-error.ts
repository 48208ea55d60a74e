import type { Rule } from '../src/lint/types.js';
import type { ExchangeModel, MessageModel } from '../src/model/types.js';
import { bodyNotAllowed } from './body-not-allowed.js';
import { framingConflicts } from './conflicting-framing.js';
import { overrun } from './content-length-overrun.js';
import { chunkFaults } from './invalid-chunk.js';
import { describeMessage, messagesOf, refusalOf } from './lib/wire.js';
import { nodeParseError, nodeVerdictText } from './lib/node-verdict.js';
import { lineFaults } from './malformed-message.js';

/**
 * Whether another finding already says what is wrong with this message, citing Node's verdict:
 * wirelens' own parser faults it (malformed-message, conflicting-framing, invalid-chunk,
 * content-length-overrun, body-not-allowed), or the server visibly refused the request as Node does (its 400 or 431
 * and close: bad-request, header-overflow). Reporting Node's error again would say the same thing
 * twice, at error level where the refusal is a warning. What is left is what only Node objects to:
 * the disagreement between the two parsers.
 */
function explainedElsewhere(message: MessageModel, exchange: ExchangeModel): boolean {
  if (lineFaults(message).length > 0 || framingConflicts(message).length > 0 || chunkFaults(message).length > 0) return true;
  if (overrun(message) !== null || bodyNotAllowed(message) !== null) return true;
  const refusal = message === exchange.request ? refusalOf(exchange) : null;
  return refusal === 400 || refusal === 431;
}

export default {
  id: 'node-parser-error',
  severity: 'error',
  title: "Node.js's own HTTP parser rejects these bytes",
  help: [
    "On the wire: bytes that the HTTP parser of the running Node.js (llhttp, which wirelens drives in memory with each connection's bytes: the client's as an `http.Server` reads them, the server's as `http.request` does) stops on with an `HPE_*` error. The message gives Node's code, its reason, the byte offset in the stream and the frame that carried that byte. Where wirelens' own (lenient) parser read on, the two parsers disagree about the bytes: the request-smuggling and desync signal. A fault wirelens finds itself is reported by its own rule (malformed-message, conflicting-framing, invalid-chunk, content-length-overrun, body-not-allowed), and a request the server refused as Node does by bad-request or header-overflow, each citing Node's verdict: this rule reports only what no other finding explains, so one problem is one finding.",
    "A Node.js server emits `clientError` with that code and, without a `clientError` listener, answers `400 Bad Request` (431 for `HPE_HEADER_OVERFLOW`) and closes. A Node.js client emits `error` on the request: `Error: Parse Error: <reason>` with `code` set to the `HPE_*` code and `bytesParsed`/`rawPacket` on the error; the socket is destroyed. Node's verdict is on by default in report, lint, export and live (`--no-node-verdict` turns it off). It is that of the Node.js version wirelens runs on (printed with it); `--node-max-header-size` and `--node-insecure-http-parser` give Node's parser the options your Node.js uses.",
    'Node.js cause: bytes that did not come from the `http` module: a proxy or load balancer, a non-Node peer, raw `socket.write()`, or a `maxHeaderSize` smaller than the peer sends.',
    "Fix: correct the sender (see the malformed-message, conflicting-framing and content-length-overrun findings on the same message); raise `maxHeaderSize` for header overflows; `insecureHTTPParser` only as a stopgap, since it accepts exactly the ambiguities smuggling uses.",
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#event-clienterror',
  create(context) {
    return {
      exchange(exchange) {
        for (const message of messagesOf(exchange)) {
          const node = nodeParseError(message);
          if (node === null || explainedElsewhere(message, exchange)) continue;
          context.report({
            message: `${describeMessage(message)}: ${nodeVerdictText(node)}`,
            connection: exchange.connection,
            exchange: exchange.index,
            frames: node.frame === null ? message.frames.slice(0, 1) : [node.frame],
          });
        }
      },
    };
  },
} satisfies Rule;
