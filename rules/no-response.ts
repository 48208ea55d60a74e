import type { Rule } from '../src/lint/types.js';
import { describeWithFrames, endedByText, seconds, silentWait } from './lib/wire.js';

export default {
  id: 'no-response',
  severity: 'warning',
  title: 'A complete request got no response before the client gave up',
  help: [
    'On the wire: the request arrived complete, the server sent not one byte back, and after waiting the client closed the connection (FIN or RST). The message says how long the client waited. (When the capture ends during the wait instead, unanswered-request reports it.)',
    'curl waits until its own limit: "curl: (28) Operation timed out after 1501 milliseconds with 0 bytes received" with `--max-time`. A Node.js client waits for ever unless it set a timeout; `req.setTimeout()`/`timeout` emits `timeout`, and the `req.destroy()` that follows rejects the request with `Error: socket hang up` (code `ECONNRESET`).',
    'Node.js causes: the handler never wrote or ended the response. `res.writeHead()` alone sends nothing: Node keeps the headers until the first `write()` or `end()`, so `headersSent` is true while the wire is empty. Also an await that never settles, or a handler that returned without responding. On the client side, `req.destroy()` before the response looks the same on the wire.',
    'Fix: make every path end the response (`res.end()` in a `finally`, an error middleware); set `server.requestTimeout`/`server.timeout` so a stuck handler still frees the socket, and a client timeout that matches how long a response may legitimately take.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#responsewriteheadstatuscode-statusmessage-headers',
  create(context) {
    // Certain as soon as the exchange is handed on: its wait names the close frame that ended it.
    return {
      exchange(exchange) {
        const found = silentWait(exchange, 'client');
        if (found === null) return;
        const { request, wait } = found;
        context.report({
          message: `no response in ${seconds(wait.waited)} to ${describeWithFrames(request)}; ${endedByText(wait.endedBy, wait.frame)}`,
          connection: exchange.connection,
          exchange: exchange.index,
          frames: [...request.frames, ...(wait.frame === null ? [] : [wait.frame])],
        });
      },
    };
  },
} satisfies Rule;
