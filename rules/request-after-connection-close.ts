import type { ExchangeModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';

/**
 * A request whose first byte left after a response on the same connection had said
 * `Connection: close`. `before.connectionClose` names any earlier such response, also one that
 * arrived after a pipelined request had already left — frame order tells which came first.
 */
const rule: Rule = {
  id: 'request-after-connection-close',
  severity: 'error',
  title: 'Request sent after the server said Connection: close',
  help: [
    'On the wire: a response carried `Connection: close` — the server announced it would take no further request on this connection — and the client then sent another request on it anyway.',
    'What peers see: the server will not process it. A Node.js server past `maxRequestsPerSocket` answers `503 Service Unavailable` (its \'dropRequest\' event); other servers close the connection, and the client then gets curl\'s "(52) Empty reply from server" or Node\'s `Error: socket hang up` (`ECONNRESET`).',
    'Cause: a client that ignores `Connection: close` (a hand-written HTTP client, a raw socket, a pool that does not read the response headers). Node.js\'s own Agent honours the header and discards the socket.',
    'Fix: after a response with `Connection: close`, open a new connection for the next request (and retry the dropped one there).',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#servermaxrequestspersocket',
  create(context) {
    return {
      exchange(x: ExchangeModel) {
        const said = x.before.connectionClose;
        if (said === null || x.request === null) return;
        const requestFrame = x.request.frames[0];
        // A pipelined request that left before the Connection: close response is not a violation.
        if (requestFrame <= said.frame) return;
        const answer = x.response === null ? 'no response' : `answered ${x.response.status ?? '(unparsable status)'}`;
        context.report({
          message: `${x.request.startLine} (frame ${requestFrame}) was sent after response ${said.exchange} said Connection: close (frame ${said.frame}); ${answer}`,
          connection: x.connection,
          exchange: x.index,
          frames: [said.frame, requestFrame],
        });
      },
    };
  },
};

export default rule;
