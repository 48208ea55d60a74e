import type { ExchangeModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';

/** What one open connection has shown so far: the advertised limit and the response that reached it. */
interface Limit {
  max: number | null;
  maxFrame: number | null;
  closeSaid: { exchange: number; frame: number } | null;
  reported: boolean;
}

/**
 * Node's maxRequestsPerSocket on the wire: `Keep-Alive: …, max=N`, then a `Connection: close`
 * response after which the connection stays open — proven by a 503 answered on it later.
 */
const rule: Rule = {
  id: 'max-requests-per-socket',
  severity: 'warning',
  title: 'Server limit of requests per connection reached; the client kept sending',
  help: [
    'On the wire: responses advertised `Keep-Alive: timeout=T, max=N`; the response to request N carried `Connection: close` but the server did not close the connection; further requests on it were answered `503 Service Unavailable` (with an empty body).',
    'What peers see: the requests past the limit fail with 503 (curl shows "HTTP/1.1 503 Service Unavailable", exit 22 with `--fail`: "The requested URL returned error: 503"). A Node.js Agent honours `Connection: close` and moves to a new socket, so this shows up with pipelining or with clients that ignore the header.',
    'Node.js cause: `server.maxRequestsPerSocket = N`. At the limit Node sends `Connection: close` and keeps the socket open; later requests on it are dropped with 503 through the server\'s \'dropRequest\' event.',
    'Fix: the client must open a new connection after `Connection: close` (do not pipeline past `max=`); or raise `server.maxRequestsPerSocket` (0 = no limit).',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#servermaxrequestspersocket',
  create(context) {
    const open = new Map<number, Limit>();
    return {
      exchange(x: ExchangeModel) {
        let limit = open.get(x.connection);
        if (limit === undefined) {
          limit = { max: null, maxFrame: null, closeSaid: null, reported: false };
          open.set(x.connection, limit);
        }
        const response = x.response;
        if (response === null) return;
        const max = x.reuse.keepAlive?.max ?? null;
        if (max !== null && limit.max === null) {
          limit.max = max;
          limit.maxFrame = response.frames[0];
        }
        if (response.status === 503 && limit.max !== null && limit.closeSaid !== null && !limit.reported) {
          limit.reported = true;
          context.report({
            message: `responses advertised Keep-Alive max=${limit.max} (frame ${limit.maxFrame}); response ${limit.closeSaid.exchange} said Connection: close (frame ${limit.closeSaid.frame}) but the connection stayed open, and request ${x.index} was answered 503 (frame ${response.frames[0]})`,
            connection: x.connection,
            exchange: limit.closeSaid.exchange,
            frames: [limit.maxFrame as number, limit.closeSaid.frame, response.frames[0]],
          });
        }
        if (x.reuse.connectionClose.response && limit.closeSaid === null) limit.closeSaid = { exchange: x.index, frame: response.frames[0] };
      },
      connection(c) {
        open.delete(c.id);
      },
    };
  },
};

export default rule;
