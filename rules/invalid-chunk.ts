import type { Deviation, DeviationCode } from '../src/http/types.js';
import type { MessageModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';
import { deviationsIn, reportDeviations } from './lib/wire.js';

/** Deviations inside a chunked body's framing. */
const CHUNK_FAULTS: ReadonlySet<DeviationCode> = new Set<DeviationCode>(['invalid-chunk-size', 'missing-chunk-crlf', 'chunk-extensions-overflow']);

export function chunkFaults(message: MessageModel): readonly Deviation[] {
  return deviationsIn(message, CHUNK_FAULTS);
}

export default {
  id: 'invalid-chunk',
  severity: 'error',
  title: 'A chunked body is malformed',
  help: [
    'On the wire: inside a `Transfer-Encoding: chunked` body, a chunk-size line that is not hexadecimal, chunk data not followed by CRLF, or a chunk-size line whose extensions (`;name=value`) are oversized. After such a fault the rest of the body cannot be framed reliably.',
    'A Node.js client fails the response with `Error: Parse Error: Invalid character in chunk size` (code `HPE_INVALID_CHUNK_SIZE`), `HPE_CHUNK_EXTENSIONS_OVERFLOW` for oversized extensions, or a strict-CRLF error (`HPE_STRICT`/`HPE_LF_EXPECTED`, by llhttp version) for the missing CRLF; a Node.js server answers such a request with `400 Bad Request` and closes. curl fails with "curl: (56) Illegal or missing hexadecimal sequence in chunked-encoding" or a similar chunked-encoding error.',
    "Node.js cause: Node writes chunk framing itself, so a broken chunk usually means someone wrote it by hand: `res.setHeader('Transfer-Encoding', 'chunked')` and then writing pre-chunked data, `socket.write()` bypassing the response, or a proxy splicing bodies.",
    'Fix: never write chunk framing yourself; let `res.write()` do it, and strip `Transfer-Encoding` when forwarding a body that is already decoded.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#event-clienterror',
  create(context) {
    return reportDeviations(context, chunkFaults);
  },
} satisfies Rule;
