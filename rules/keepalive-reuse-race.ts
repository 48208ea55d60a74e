import { formatDuration } from '../src/text/units.js';
import type { ExchangeModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';

/**
 * The race: a request on a reused keep-alive connection, sent after the server had already closed
 * it (FIN or RST) without having said `Connection: close` (that case is
 * request-after-connection-close: the client was told). Certain when the exchange completes.
 */
const rule: Rule = {
  id: 'keepalive-reuse-race',
  severity: 'error',
  title: 'Request sent on a keep-alive connection the server had already closed',
  help: [
    'On the wire: the connection sat idle after a response; the server closed it (its FIN, usually after its keep-alive timeout); the client then sent its next request on that same connection. A socket the server has closed cannot answer: the server\'s TCP stack replies with RST (or nothing), and the request is lost.',
    'What peers see: a Node.js client gets `Error: socket hang up` or `Error: read ECONNRESET` (code `ECONNRESET`) on a request whose `req.reusedSocket` is true. curl notices the dead connection and says "Connection died, retrying a fresh connect"; clients that do not retry fail the request.',
    'Node.js cause: the client keeps idle sockets longer than the server\'s `server.keepAliveTimeout` (default 5 s; the response advertises `Keep-Alive: timeout=N`, and Node closes about 1 s after N). The request crossed the server\'s FIN on the wire.',
    'Fix: make the client\'s idle timeout shorter than the server\'s (e.g. Agent `timeout`, or an agent that honours the `Keep-Alive` hint), or raise `server.keepAliveTimeout`; and retry idempotent requests when `req.reusedSocket && err.code === \'ECONNRESET\'`.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#requestreusedsocket',
  create(context) {
    return {
      exchange(x: ExchangeModel) {
        const close = x.before.serverFin ?? x.before.serverRst;
        if (!x.reuse.reused || close === null || x.request === null || x.before.connectionClose !== null) return;
        const requestFrame = x.request.frames[0];
        const kind = x.before.serverFin !== null ? 'FIN' : 'RST';
        const after = x.before.requestAfterServerFin ?? (x.timing.requestStart !== null ? x.timing.requestStart - close.time : null);
        const idle = x.reuse.idleBefore !== null ? ` after ${formatDuration(x.reuse.idleBefore)} idle` : '';
        const answer = outcome(x);
        context.report({
          message: `${x.request.startLine} (frame ${requestFrame}) reused connection ${x.connection}${idle}, ${after !== null ? `${formatDuration(after)} ` : ''}after the server had closed it (${kind} in frame ${close.frame})${answer}`,
          connection: x.connection,
          exchange: x.index,
          frames: [close.frame, requestFrame],
        });
      },
    };
  },
};

/** What came back for the request: the server's RST, nothing, or (unusually) a response. */
function outcome(x: ExchangeModel): string {
  if (x.response !== null) return `; it was answered ${x.response.status ?? '(unparsable status)'} all the same`;
  const u = x.timing.unanswered;
  if (u === null) return '; no response followed';
  if (u.endedBy === 'capture-end') return `; no response before the capture ended ${formatDuration(u.waited)} later`;
  const [side, kind] = u.endedBy.split('-');
  return `; the ${side}'s ${kind.toUpperCase()} followed ${formatDuration(u.waited)} later, without a response`;
}

export default rule;
