import type { Rule } from '../src/lint/types.js';
import { describeMessage, framesText, messagesOf } from './lib/wire.js';

export default {
  id: 'too-many-headers',
  severity: 'warning',
  title: 'More header fields than Node.js keeps',
  help: [
    'On the wire: a message with more header fields than the limit (default 2000, the `max` option). Nothing fails visibly.',
    "A Node.js server or client parses the whole header section but keeps only the first `maxHeadersCount` fields (default 2000) in `message.headers`/`rawHeaders` and silently drops the rest, so a field that came late (an `Authorization`, a `Cookie`, a framing header) may be missing in the application. curl accepts them all.",
    'Node.js cause on the sending side: headers appended in a loop (one `Set-Cookie` or tracing field per item), or a proxy that accumulates fields on every hop.',
    'Fix: send fewer fields (combine list values in one field); raise `server.maxHeadersCount` / the `maxHeadersCount` request option only when the count is legitimate (0 means no limit).',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#servermaxheaderscount',
  options: {
    max: { type: 'number', default: 2000, description: 'Header fields a message may carry (Node.js maxHeadersCount).' },
  },
  create(context) {
    const max = Number(context.options.max);
    return {
      exchange(exchange) {
        for (const message of messagesOf(exchange)) {
          if (message.headers.length <= max) continue;
          context.report({
            message: `${describeMessage(message)} has ${message.headers.length} header fields, over the limit of ${max}: Node keeps the first ${max} and drops ${message.headers.length - max} (${framesText(message.packing.headerFrames)})`,
            connection: exchange.connection,
            exchange: exchange.index,
            frames: message.packing.headerFrames,
          });
        }
      },
    };
  },
} satisfies Rule;
