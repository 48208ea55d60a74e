import type { Rule } from '../src/lint/types.js';
import { isServerRefusal, requestProgress, responseCloseText, seconds } from './lib/wire.js';

export default {
  id: 'request-timeout',
  severity: 'warning',
  title: 'The server gave up waiting for the request: 408 Request Timeout',
  help: [
    'On the wire: `HTTP/1.1 408 Request Timeout` with `Connection: close` and an empty close-delimited body, then the server closes; usually the request was still incomplete (its header section or its body had not all arrived). The message says how long after the request began, and how far the request had got.',
    'curl prints the 408 response (exit 0, or "curl: (22) The requested URL returned error: 408" with `--fail`); if the client was still sending, it may instead see "curl: (55) Send failure: Connection reset by peer". A Node.js client gets a response with `statusCode` 408, or `Error: socket hang up` / `EPIPE` when its write hits the closed socket.',
    'Node.js cause: `server.headersTimeout` (default the smaller of 60 s and `requestTimeout`) when the header section was unfinished; `server.requestTimeout` (default 300 s) when the body was unfinished. On the client side: a request whose body is never written or ended (`req.flushHeaders()` then no `req.end()`), a slow upload, a client that announced `Content-Length` and sent less.',
    'Fix: end every request (`req.end()`) and make the declared length match the body; raise `requestTimeout` for legitimately slow uploads; keep both timeouts bounded (they protect the server).',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#serverrequesttimeout',
  create(context) {
    return {
      exchange(exchange) {
        const response = exchange.response;
        if (response === null || !isServerRefusal(exchange, 408)) return;
        const request = exchange.request;
        const since = request === null ? '' : ` ${seconds(response.times.start - request.times.start)} after the request began (frame ${request.frames[0]})`;
        const progress = request === null ? 'no request was seen' : requestProgress(request);
        const timer = request === null || request.complete ? '' : request.framing === null || request.stall?.in === 'header-section' ? ' (Node: headersTimeout)' : ' (Node: requestTimeout)';
        context.report({
          message: `408 Request Timeout (frame ${response.frames[0]})${since}: ${progress}${timer}${responseCloseText(response)}`,
          connection: exchange.connection,
          exchange: exchange.index,
          frames: [...(request?.frames ?? []), ...response.frames, ...(response.endFrame === null ? [] : [response.endFrame])],
        });
      },
    };
  },
} satisfies Rule;
