import type { Rule } from '../src/lint/types.js';
import { describeMessage, framesText, messagesOf } from './lib/wire.js';

export default {
  id: 'too-many-headers',
  severity: 'warning',
  title: 'More header fields than Node.js keeps',
  help: [
    'On the wire: a message with more header fields than the limit (default 1000, the `max` option). Nothing fails visibly.',
    "A Node.js 20 server or client parses the whole header section but keeps only the first 1000 fields in `message.headers` when `maxHeadersCount` is left unset, and silently drops the rest (measured on Node 20.20: 1,102 fields sent, 1000 in `req.headers`, 1023 in `rawHeaders`; the unset limit is the parser's 2000 entries of the flat name/value list, i.e. 1000 fields, although the docs give the default as 2000). With `server.maxHeadersCount` (or the `maxHeadersCount` request option) set to N, the first N fields are kept; 0 keeps them all. A field that came late (an `Authorization`, a `Cookie`, a framing header) may be missing in the application. curl accepts them all.",
    'Node.js cause on the sending side: headers appended in a loop (one `Set-Cookie` or tracing field per item), or a proxy that accumulates fields on every hop.',
    'Fix: send fewer fields (combine list values in one field); raise `server.maxHeadersCount` / the `maxHeadersCount` request option only when the count is legitimate (0 means no limit).',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#servermaxheaderscount',
  options: {
    max: { type: 'number', default: 1000, description: 'Header fields a message may carry: 1000 is what Node.js 20 keeps with maxHeadersCount unset; set it to your maxHeadersCount when you set one.' },
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
