import type { Rule } from '../src/lint/types.js';
import { describeWithFrames, endedByText, seconds, silentWait } from './lib/wire.js';

export default {
  id: 'empty-reply',
  severity: 'error',
  title: 'The server closed the connection without a response',
  help: [
    'On the wire: a complete request, then the server closed the connection (FIN or RST) without sending a single response byte. The message says how long after the request.',
    'curl fails with "curl: (52) Empty reply from server" (or "curl: (56) Recv failure: Connection reset by peer" on a RST). A Node.js client rejects the request with `Error: socket hang up` (code `ECONNRESET`).',
    "Node.js causes, identical on the wire: `req.destroy()`, `res.destroy()` or `req.socket.destroy()` in the handler; a `strictContentLength` mismatch that throws `ERR_HTTP_CONTENT_LENGTH_MISMATCH` before anything was sent, followed by a destroy; an uncaught exception that crashed the process (the kernel then closes its sockets). A request sent to a connection the server had already closed is the keep-alive reuse race instead (keepalive-reuse-race).",
    "Fix: answer errors with a status (`res.statusCode = 500; res.end()`) instead of destroying the socket; find the throw in the server's log; if the server must refuse, send `Connection: close` with a 4xx/5xx so the client knows why.",
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#messagedestroyerror',
  create(context) {
    // Certain as soon as the exchange is handed on: its wait names the close frame that ended it.
    return {
      exchange(exchange) {
        const found = silentWait(exchange, 'server');
        if (found === null) return;
        const { request, wait } = found;
        context.report({
          message: `${endedByText(wait.endedBy, wait.frame)} ${seconds(wait.waited)} after ${describeWithFrames(request)} without a response byte`,
          connection: exchange.connection,
          exchange: exchange.index,
          frames: [...request.frames, ...(wait.frame === null ? [] : [wait.frame])],
        });
      },
    };
  },
} satisfies Rule;
