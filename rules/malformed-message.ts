import type { DeviationCode } from '../src/http/types.js';
import type { Rule } from '../src/lint/types.js';
import type { MessageModel } from '../src/model/types.js';
import { deviationsIn, reportDeviations } from './lib/wire.js';

/** Start-line and field-line faults a strict parser (llhttp, as in Node.js) rejects. */
export const LINE_FAULTS: ReadonlySet<DeviationCode> = new Set<DeviationCode>([
  'invalid-start-line',
  'invalid-version',
  'invalid-token',
  'missing-colon',
  'space-before-colon',
  'obs-fold',
  'bare-lf',
  'invalid-header-value',
]);

export function lineFaults(message: MessageModel) {
  return deviationsIn(message, LINE_FAULTS);
}

export default {
  id: 'malformed-message',
  severity: 'error',
  title: 'A start line or header line a strict parser rejects',
  help: [
    'On the wire: a request or status line without the `method SP target SP version` / `version SP status SP reason` shape, an HTTP version that is not `HTTP/1.x`, a method or field name with characters outside the token set, a header line without a colon, whitespace before the colon, a line folded onto the next (obs-fold), a line ending in LF without CR, or control characters in a field value. The message names the fault and its byte offset in the stream; wirelens reads on leniently, a strict peer does not.',
    'A Node.js server rejects the request in its parser, emits `clientError` and by default answers `HTTP/1.1 400 Bad Request` with `Connection: close` and closes (see bad-request). A Node.js client rejects such a response, e.g. `Error: Parse Error: Expected HTTP/` (code `HPE_INVALID_CONSTANT`), `Parse Error: Invalid header value char` / `Invalid header token` (code `HPE_INVALID_HEADER_TOKEN`), `HPE_INVALID_VERSION`, `HPE_CR_EXPECTED`. curl fails with "curl: (8) Weird server reply" for a bad status line, or "Header without colon" for a bad header line.',
    "Node.js cause: Node validates what `setHeader`/`writeHead` are given (`ERR_INVALID_HTTP_TOKEN`, `ERR_INVALID_CHAR`), so malformed lines come from raw `socket.write()`, a hand-written client or test, a proxy, or a target URL with unescaped spaces (`GET /hello world HTTP/1.1`).",
    'Fix: build requests with `http.request`/`fetch` and responses with the response API; percent-encode targets (`encodeURI`); never write HTTP by hand on the socket.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#event-clienterror',
  create(context) {
    return reportDeviations(context, lineFaults);
  },
} satisfies Rule;
