import type { DeviationCode } from '../src/http/types.js';
import type { Rule } from '../src/lint/types.js';
import type { MessageModel } from '../src/model/types.js';
import { deviationsIn, reportDeviations } from './lib/wire.js';

/** The deviations that make a message's body length ambiguous or undecidable (RFC 9112 §6.3 ¶3–5). */
export const FRAMING_CONFLICTS: ReadonlySet<DeviationCode> = new Set<DeviationCode>([
  'conflicting-content-length',
  'invalid-content-length',
  'content-length-with-transfer-encoding',
  'invalid-transfer-encoding',
]);

export function framingConflicts(message: MessageModel) {
  return deviationsIn(message, FRAMING_CONFLICTS);
}

export default {
  id: 'conflicting-framing',
  severity: 'error',
  title: 'The message length is ambiguous: conflicting or invalid Content-Length / Transfer-Encoding',
  help: [
    'On the wire: a message carries `Content-Length` together with `Transfer-Encoding`, several different `Content-Length` values, a `Content-Length` that is not a plain number, or (on a request) a `Transfer-Encoding` whose last coding is not `chunked`. RFC 9112 §6.3 makes such a message either unframeable or framed by `Transfer-Encoding` alone; two parsers that choose differently disagree on where the next message starts, which is how request smuggling works.',
    'A Node.js server rejects the request in its parser and answers `400 Bad Request` with `Connection: close` (see bad-request); a Node.js client rejects such a response with `Error: Parse Error: Content-Length can\'t be present with Transfer-Encoding`, `Parse Error: Duplicate Content-Length` (code `HPE_UNEXPECTED_CONTENT_LENGTH`), `Parse Error: Invalid character in Content-Length` (code `HPE_INVALID_CONTENT_LENGTH`) or `Parse Error: Request has invalid \`Transfer-Encoding\`` (code `HPE_INVALID_TRANSFER_ENCODING`). curl and proxies may read the same bytes differently.',
    "Node.js cause: headers set by hand next to the ones Node or a framework adds — `setHeader('Content-Length', …)` on a response that is also `Transfer-Encoding: chunked`, a proxy copying the upstream's `Content-Length` after re-encoding the body, or an array of lengths passed to `setHeader`.",
    'Fix: set exactly one framing header (or none, and let Node choose); a proxy must drop `Content-Length` and `Transfer-Encoding` from the upstream response when it changes the body.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#event-clienterror',
  create(context) {
    return reportDeviations(context, framingConflicts);
  },
} satisfies Rule;
