import type { ExchangeModel, MessageModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';

/** Leading request-less responses of an open connection, held until we know whether it was picked up mid-stream. */
interface Leading {
  stillLeading: boolean;
  held: { index: number; response: MessageModel }[];
}

/** At most this many leading unmatched responses are held per connection (the rest are counted). */
const MAX_HELD = 8;

const rule: Rule = {
  id: 'unmatched-response',
  severity: 'warning',
  title: 'Response without an outstanding request',
  help: [
    'On the wire: a response (status line, headers, maybe a body) arrived on a connection where no request was waiting for one. Responses at the very start of a connection the capture picked up mid-stream are not reported: their requests were sent before the capture began. Nor are responses whose request the capture lost (a gap in the client\'s stream before them, reported by capture-gap): the report says `request not captured` for those.',
    'What peers see: the stream is out of step. A client that pipelines or reuses the connection reads this response as the answer to its next request — wrong data for the wrong request — or, on an idle Node.js keep-alive socket, the Agent treats the unexpected bytes as an error and destroys the socket; with llhttp the extra bytes may also surface as `Parse Error: Expected HTTP/` (`HPE_INVALID_CONSTANT`).',
    'Causes: an earlier framing error (a `Content-Length` smaller than the body, so the rest is read as a new message — see content-length-overrun), a server that writes two responses for one request (e.g. a handler that calls `res.end()` twice through a raw socket, or an error handler that writes after the response was sent), or requests lost from the capture.',
    'Fix: make every response\'s framing exact (correct `Content-Length` or chunked) and write exactly one response per request.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#class-httpserverresponse',
  create(context) {
    const open = new Map<number, Leading>();
    const report = (connection: number, index: number, response: MessageModel) => {
      context.report({
        message: `response ${response.startLine} (frame ${response.frames[0]}) arrived with no request waiting for it on connection ${connection}`,
        connection,
        exchange: index,
        frames: [response.frames[0]],
      });
    };
    return {
      exchange(x: ExchangeModel) {
        let state = open.get(x.connection);
        if (state === undefined) {
          state = { stillLeading: true, held: [] };
          open.set(x.connection, state);
        }
        // A request lost in a capture gap was still sent: the capture's fault, not the server's.
        const response = x.request === null && x.lost === null ? (x.response ?? x.interim[0] ?? null) : null;
        if (response === null) {
          state.stillLeading = false;
          return;
        }
        // Not at the start: certain now, whatever the connection's start was.
        if (!state.stillLeading) report(x.connection, x.index, response);
        else if (state.held.length < MAX_HELD) state.held.push({ index: x.index, response });
      },
      connection(c) {
        const state = open.get(c.id);
        open.delete(c.id);
        if (state === undefined || c.midStream) return;
        for (const h of state.held) report(c.id, h.index, h.response);
      },
    };
  },
};

export default rule;
