import { formatDuration } from '../src/text/units.js';
import type { ExchangeModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';

/**
 * Only the capture's end: a wait someone ended by closing is no-response / empty-reply (or the
 * keep-alive reuse race), which say who closed.
 */
const rule: Rule = {
  id: 'unanswered-request',
  severity: 'note',
  title: 'The capture ended while a request was waiting for its response',
  help: [
    'On the wire: a complete request, then no response byte at all before the capture stopped; the connection was still open.',
    'What it means: often only where the capture was stopped (the response came later). If the wait is long, the server may be stuck: curl would end with "(28) Operation timed out after N milliseconds with 0 bytes received" (with `--max-time`), a Node.js client waits until its own `timeout` fires (the server\'s `requestTimeout` and `headersTimeout` do not help: they limit receiving the request, not the handler).',
    'Node.js cause when the server is stuck: a handler that never calls `res.end()` (`res.writeHead()` alone sends nothing), or an awaited promise that never settles.',
    'Fix: capture longer to see the response; if the server is stuck, make sure every code path of the handler ends the response, and give clients a timeout.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#responseenddata-encoding-callback',
  create(context) {
    return {
      exchange(x: ExchangeModel) {
        const u = x.timing.unanswered;
        if (u === null || u.endedBy !== 'capture-end' || x.request === null) return;
        // The request's last frame is the capture's: no wait to speak of, only where the capture stopped.
        const waited = u.waited === 0 ? 'is the capture\'s last frame: it ended before a response could be seen' : `had waited ${formatDuration(u.waited)} without a response byte when the capture ended`;
        context.report({
          message: `${x.request.startLine} (frame ${x.request.frames[0]}) ${waited}`,
          connection: x.connection,
          exchange: x.index,
          frames: [x.request.frames[0]],
        });
      },
    };
  },
};

export default rule;
