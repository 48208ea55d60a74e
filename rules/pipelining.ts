import type { ExchangeModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';

const rule: Rule = {
  id: 'pipelining',
  severity: 'note',
  title: 'Pipelined request: sent before the previous response had completed',
  help: [
    'On the wire: the client sent a request on a connection while the response to its previous request had not yet completed (often several requests in one segment). HTTP/1.1 allows this, but the server must answer in order.',
    'What it means: responses come back one after the other in request order — a slow response delays every response behind it (head-of-line blocking), and a server that closes or fails mid-way loses every request queued behind. Browsers and Node.js\'s Agent do not pipeline; curl no longer does.',
    'Node.js: the server handles pipelined requests one at a time and queues their responses; past `server.maxRequestsPerSocket` the extra ones get 503 (see max-requests-per-socket).',
    'Fix: usually none needed; for concurrency use several connections (an Agent with `maxSockets`) or HTTP/2 instead.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#servermaxrequestspersocket',
  create(context) {
    // The frame that ended the previous response on each open connection.
    const previousEnd = new Map<number, number | null>();
    return {
      exchange(x: ExchangeModel) {
        const before = previousEnd.get(x.connection);
        previousEnd.set(x.connection, x.response?.endFrame ?? null);
        if (!x.pipelined || x.request === null) return;
        const requestFrame = x.request.frames[0];
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
      },
    };
  },
};

export default rule;
