import type { ExchangeModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';

/** The pipelined requests of a connection after its first: reported as one finding at its close. */
interface Rest {
  count: number;
  first: { exchange: number; frame: number } | null;
  last: { exchange: number; frame: number } | null;
}

const rule: Rule = {
  id: 'pipelining',
  severity: 'note',
  title: 'Pipelined request: sent before the previous response had completed',
  help: [
    'On the wire: the client sent a request on a connection while the response to its previous request had not yet completed (often several requests in one segment). HTTP/1.1 allows this, but the server must answer in order. The first such request of a connection is reported at once; the others (a load tool pipelining hundreds) in one finding when the connection closes.',
    'What it means: responses come back one after the other in request order — a slow response delays every response behind it (head-of-line blocking), and a server that closes or fails mid-way loses every request queued behind. Browsers and Node.js\'s Agent do not pipeline; curl no longer does.',
    'Node.js: the server handles pipelined requests one at a time and queues their responses; past `server.maxRequestsPerSocket` the extra ones get 503 (see max-requests-per-socket).',
    'Fix: usually none needed; for concurrency use several connections (an Agent with `maxSockets`) or HTTP/2 instead.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#servermaxrequestspersocket',
  create(context) {
    // The frame that ended the previous response on each open connection.
    const previousEnd = new Map<number, number | null>();
    // Pipelined requests after each connection's first (reported at once), summed up at the close.
    const more = new Map<number, Rest>();
    return {
      exchange(x: ExchangeModel) {
        const before = previousEnd.get(x.connection);
        previousEnd.set(x.connection, x.response?.endFrame ?? null);
        if (!x.pipelined || x.request === null) return;
        const requestFrame = x.request.frames[0];
        const rest = more.get(x.connection);
        if (rest !== undefined) {
          rest.count++;
          rest.first ??= { exchange: x.index, frame: requestFrame };
          rest.last = { exchange: x.index, frame: requestFrame };
          return;
        }
        more.set(x.connection, { count: 0, first: null, last: null });
        const prev = before !== undefined && before !== null ? ` (it ended in frame ${before})` : '';
        context.report({
          message: `${x.request.startLine} (frame ${requestFrame}) was sent before response ${x.index - 1} had completed${prev}`,
          connection: x.connection,
          exchange: x.index,
          frames: before !== undefined && before !== null ? [requestFrame, before] : [requestFrame],
        });
      },
      connection(c) {
        previousEnd.delete(c.id);
        const rest = more.get(c.id);
        more.delete(c.id);
        if (rest === undefined || rest.first === null || rest.last === null) return;
        const { first, last } = rest;
        const frames = first.frame === last.frame ? `frame ${first.frame}` : `frames ${first.frame}–${last.frame}`;
        // Every exchange in between was pipelined too, or only some: say which.
        const span = last.exchange - first.exchange + 1 === rest.count ? `exchanges ${first.exchange}–${last.exchange}` : `between exchanges ${first.exchange} and ${last.exchange}`;
        const which = rest.count === 1 ? `1 more request on connection ${c.id} (exchange ${first.exchange}, ${frames}) was` : `${rest.count} more requests on connection ${c.id} (${span}, ${frames}) were`;
        context.report({
          message: `${which} also sent before the previous response had completed`,
          connection: c.id,
          exchange: first.exchange,
          frames: [first.frame, last.frame],
        });
      },
    };
  },
};

export default rule;
