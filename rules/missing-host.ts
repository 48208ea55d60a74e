import type { Rule } from '../src/lint/types.js';
import type { MessageModel } from '../src/model/types.js';
import { headerValue } from '../src/model/reuse.js';
import { describeMessage, framesText } from './lib/wire.js';

/** An HTTP/1.1 request whose (complete) header section has no Host field. */
export function lacksHost(request: MessageModel): boolean {
  return request.kind === 'request' && request.version === 'HTTP/1.1' && request.framing !== null && headerValue(request.headers, 'Host') === null;
}

export default {
  id: 'missing-host',
  severity: 'warning',
  title: 'An HTTP/1.1 request without a Host header',
  help: [
    'On the wire: a request line ending in `HTTP/1.1` and a complete header section with no `Host` field. RFC 9112 §3.2 requires it in every HTTP/1.1 request (empty for an authority-less target), and a server must answer 400 when it is missing.',
    'A Node.js 20 server answers `400 Bad Request` and closes (its `requireHostHeader` option defaults to true); curl then prints that 400 (or "curl: (22) The requested URL returned error: 400" with `--fail`), a Node.js client gets `statusCode` 400. Other servers and proxies may route the request to a default virtual host instead.',
    "Node.js cause: Node's own clients always send Host (`http.request` fills it from `host`/`port`), so the request was written by hand: a raw socket client or test, `setHeader('Host', …)` removed with `removeHeader`, or a proxy that dropped it.",
    'Fix: send `Host: <host>[:<port>]` in every HTTP/1.1 request; servers that must accept such requests can set `requireHostHeader: false` in `http.createServer` options.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#httpcreateserveroptions-requestlistener',
  create(context) {
    return {
      exchange(exchange) {
        const request = exchange.request;
        if (request === null || !lacksHost(request)) return;
        context.report({
          message: `${describeMessage(request)} is HTTP/1.1 but has no Host among its ${request.headers.length} header field${request.headers.length === 1 ? '' : 's'} (${framesText(request.packing.headerFrames)})`,
          connection: exchange.connection,
          exchange: exchange.index,
          frames: request.packing.headerFrames,
        });
      },
    };
  },
} satisfies Rule;
