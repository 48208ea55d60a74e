import type { ExchangeModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';

/** The limit a connection advertised, and the first response that said Connection: close. */
interface Seen {
  max: number | null;
  closeSaid: { exchange: number; frame: number } | null;
}

/**
 * A 503 on a connection past its limit: its index is beyond the advertised `max=`, or an earlier
 * response already said `Connection: close` (Node's 'dropRequest').
 */
const rule: Rule = {
  id: 'service-unavailable-drop',
  severity: 'warning',
  title: '503 for a request past the connection\'s request limit (dropped)',
  help: [
    'On the wire: a `503 Service Unavailable` answered a request on a connection that was already past its advertised `Keep-Alive: max=N` or after a response that said `Connection: close`. The request was not processed.',
    'What peers see: curl shows "HTTP/1.1 503 Service Unavailable" (with `--fail`, exit 22: "The requested URL returned error: 503"); a Node.js client gets a normal response with `res.statusCode === 503` and an empty body.',
    'Node.js cause: `server.maxRequestsPerSocket`; requests beyond it are dropped with 503 and emit the server\'s \'dropRequest\' event. The client ignored the `Connection: close` of the response at the limit (often because it pipelined).',
    'Fix: retry the request on a new connection; clients must honour `Connection: close`; or raise `server.maxRequestsPerSocket`.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#event-droprequest',
  create(context) {
    const open = new Map<number, Seen>();
    return {
      exchange(x: ExchangeModel) {
        let seen = open.get(x.connection);
        if (seen === undefined) {
          seen = { max: null, closeSaid: null };
          open.set(x.connection, seen);
        }
        const response = x.response;
        if (response === null) return;
        if (response.status === 503) {
          const pastMax = seen.max !== null && x.index > seen.max;
          if (pastMax || seen.closeSaid !== null) {
            const why = [
              pastMax ? `past the advertised max=${seen.max}` : null,
              seen.closeSaid !== null ? `after response ${seen.closeSaid.exchange} said Connection: close (frame ${seen.closeSaid.frame})` : null,
            ].filter((s) => s !== null);
            context.report({
              message: `request ${x.index} (${x.request?.startLine ?? 'request not captured'}) was answered 503 (frame ${response.frames[0]}), ${why.join(' and ')}: dropped unprocessed`,
              connection: x.connection,
              exchange: x.index,
              frames: [...(seen.closeSaid !== null ? [seen.closeSaid.frame] : []), ...(x.request !== null ? [x.request.frames[0]] : []), response.frames[0]],
            });
          }
        }
        seen.max ??= x.reuse.keepAlive?.max ?? null;
        if (x.reuse.connectionClose.response && seen.closeSaid === null) seen.closeSaid = { exchange: x.index, frame: response.frames[0] };
      },
      connection(c) {
        open.delete(c.id);
      },
    };
  },
};

export default rule;
