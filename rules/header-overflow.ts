import type { Rule } from '../src/lint/types.js';
import { nodeCitation } from './lib/node-verdict.js';
import { framesText, isServerRefusal, responseCloseText, seconds } from './lib/wire.js';

/** Node's default `maxHeaderSize` (`--max-http-header-size`): 16 KiB. */
export const NODE_MAX_HEADER_SIZE = 16 * 1024;

export default {
  id: 'header-overflow',
  severity: 'warning',
  title: "The request's header section was too large: 431 Request Header Fields Too Large",
  help: [
    'On the wire: `HTTP/1.1 431 Request Header Fields Too Large` with `Connection: close`, then the server closes, after a request whose header section exceeded the server\'s limit. The message gives the size of the header section the server received.',
    'curl prints the 431 response (or "curl: (22) The requested URL returned error: 431" with `--fail`). A Node.js client gets `statusCode` 431. The reverse case, a response whose header section is too large for a Node.js client, fails there with `Error: Parse Error: Header overflow` (code `HPE_HEADER_OVERFLOW`).',
    'Node.js cause: the header section (start line and all header lines) exceeded `maxHeaderSize`, 16 KiB by default (`http.maxHeaderSize`, the `maxHeaderSize` option of `http.createServer`, or `--max-http-header-size`). Typical culprits: large or accumulated cookies, long `Authorization` tokens, big custom headers forwarded by a proxy.',
    'Fix: trim what the client sends (cookies scoped by path, tokens by reference); raise `maxHeaderSize` on the server only if the size is legitimate, and keep every hop (proxies, load balancers) consistent.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#httpmaxheadersize',
  create(context) {
    return {
      exchange(exchange) {
        const response = exchange.response;
        if (response === null || !isServerRefusal(exchange, 431)) return;
        const request = exchange.request;
        let subject = 'a request that was not captured';
        if (request !== null) {
          const size = `${request.framing === null ? 'at least ' : ''}${request.headSize} B`;
          const limit = request.headSize > NODE_MAX_HEADER_SIZE ? `over Node's default maxHeaderSize of ${NODE_MAX_HEADER_SIZE} B` : `under Node's default maxHeaderSize of ${NODE_MAX_HEADER_SIZE} B, so the server's limit is lower`;
          subject = `a ${size} header section with ${request.headers.length} fields (${framesText(request.packing.headerFrames)}), ${limit}, ${seconds(response.times.start - request.times.start)} after the request began`;
        }
        context.report({
          message: `431 Request Header Fields Too Large (frame ${response.frames[0]}) for ${subject}${responseCloseText(response)}${request === null ? '' : nodeCitation(request)}`,
          connection: exchange.connection,
          exchange: exchange.index,
          frames: [...(request?.packing.headerFrames ?? []), ...response.frames, ...(response.endFrame === null ? [] : [response.endFrame])],
        });
      },
    };
  },
} satisfies Rule;
