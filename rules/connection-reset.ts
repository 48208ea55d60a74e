import { formatDuration } from '../src/text/units.js';
import type { ConnectionModel, EndedBy, ExchangeModel, MessageModel } from '../src/model/types.js';
import type { FrameAt } from '../src/tcp/connection.js';
import type { Rule } from '../src/lint/types.js';
import { earlyAnswer } from '../src/model/early-answer.js';
import { abandonedByClient, CLIENT_ABORT_STALL_OPTION, isEventStream } from './lib/wire.js';

/** Node's own error responses, after which its server destroys the socket: their rules own that RST. */
const NODE_ERROR_STATUSES = new Set([400, 408, 431]);

const isRst = (endedBy: EndedBy | null | undefined): boolean => endedBy === 'client-rst' || endedBy === 'server-rst';

/**
 * Whether a more specific rule already explains a RST on this exchange's connection, read from the
 * same facts those rules use: the reuse race (a request after the server's FIN/RST), a request
 * the RST left unanswered (empty-reply / no-response), a message the RST cut short
 * (incomplete-message, content-length-underrun, response-stalled-after-headers), or Node's
 * 400/408/431 (bad-request, request-timeout, header-overflow).
 */
function explainsRst(x: ExchangeModel, answeredEarly: boolean, abandoned: boolean): boolean {
  if (x.reuse.reused && (x.before.serverFin !== null || x.before.serverRst !== null)) return true;
  if (isRst(x.timing.unanswered?.endedBy)) return true;
  // A request answered early, a response its client abandoned: no other rule's finding (neither
  // peer sent a short message), so this one says what the RST did.
  if (isRst(x.request?.stall?.endedBy) && !answeredEarly) return true;
  if (isRst(x.response?.stall?.endedBy) && !abandoned) return true;
  return x.response?.status != null && NODE_ERROR_STATUSES.has(x.response.status);
}

/** A request the server answered before its body was complete: the answer, and the body bytes still to come. */
interface EarlyRefusal {
  status: number | null;
  frame: number;
  missing: number | null;
}

function earlyRefusal(x: ExchangeModel, answer: MessageModel | null): EarlyRefusal | null {
  const request = x.request;
  if (answer === null || request === null || request.stall === null || request.stall.in !== 'body') return null;
  return { status: answer.status, frame: answer.frames[0], missing: request.stall.missingBytes };
}

/** " — it answered 413 (frame 58) before the request's body was complete, …": why the server's RST came. */
function refusalText(r: EarlyRefusal): string {
  const unread = r.missing !== null ? `${r.missing} B of it` : 'the rest of it';
  return ` — it answered ${r.status ?? 'with an invalid status line'} (frame ${r.frame}) before the request's body was complete and closed with ${unread} still to come: data arriving for a closed socket makes the kernel reset the connection`;
}

/** A response its client closed on while it was still arriving (abandonedByClient). */
interface Abandoned {
  status: number | null;
  arrived: number;
  declared: number | null;
  silence: number;
  /** A server-sent event stream: its client ends it by closing, so its RST is no finding. */
  eventStream: boolean;
}

function abandoned(x: ExchangeModel, clientAbortStall: number): Abandoned | null {
  const response = x.response;
  if (response === null || response.stall === null || !abandonedByClient(response, clientAbortStall)) return null;
  const framing = response.framing;
  return {
    status: response.status,
    arrived: framing?.actualBodyBytes ?? 0,
    declared: framing?.kind === 'content-length' ? framing.declared : null,
    silence: response.stall.duration,
    eventStream: isEventStream(response),
  };
}

/** " — it closed while the 200 response was still arriving (…)": why the client's RST came. */
function abandonedText(a: Abandoned): string {
  const what = a.status === null ? 'the response' : `the ${a.status} response`;
  const amount = a.declared !== null ? `${a.arrived} of ${a.declared} B` : `${a.arrived} B`;
  return ` — it closed while ${what} was still arriving (${amount}, the last byte ${formatDuration(a.silence)} before): the client gave up on it (an AbortSignal or a timeout, a cancelled download); the server's next write fails with EPIPE or ECONNRESET`;
}

/** The first RST of the connection, and who sent it. */
function firstRst(c: ConnectionModel): (FrameAt & { by: 'client' | 'server' }) | null {
  const { clientRst, serverRst } = c.teardown;
  if (clientRst !== null && (serverRst === null || clientRst.frame < serverRst.frame)) return { ...clientRst, by: 'client' };
  return serverRst === null ? null : { ...serverRst, by: 'server' };
}

/**
 * The way TLS connections end when a side closes first: its FIN, then the peer's close_notify
 * alert (a few bytes) for a socket already closed, answered by the kernel with a RST. Node's TLS
 * sockets do it on every `agent.destroy()` or `socket.end()` of the client: no fault.
 */
function tlsCloseNotify(c: ConnectionModel, rst: { by: 'client' | 'server' }): boolean {
  const first = c.closing.first;
  return c.protocol === 'tls' && first !== null && first.kind === 'fin' && first.by === rst.by;
}

/** handshake-incomplete's second case: a SYN-ACK never acknowledged, no data. */
function unacknowledgedSynAck(c: ConnectionModel): boolean {
  return c.handshake.synAck !== null && c.handshake.ack === null && c.bytes.client + c.bytes.server === 0;
}

const rule: Rule = {
  id: 'connection-reset',
  severity: 'warning',
  title: 'Connection ended with a RST instead of an orderly FIN',
  help: [
    'On the wire: one side ended the connection with a TCP RST (an abortive close) rather than a FIN. Anything still in flight or unread is discarded by both TCP stacks. (Reported only when no more specific finding — the keep-alive reuse race, an empty reply, a cut-off message, a refused connection — already explains the RST.)',
    'What peers see: the other side\'s next read or write fails: Node.js `Error: read ECONNRESET` (or `Error: socket hang up`, code `ECONNRESET`, when no response had started), curl "(56) Recv failure: Connection reset by peer". After a complete exchange it may go unnoticed — but a RST can also destroy data the peer had not read yet.',
    'Node.js causes: `socket.destroy()` / `req.destroy()` / `res.destroy()`, `server.closeAllConnections()`, closing a socket that still has unread input (the kernel then sends RST), a process that crashed or exited with sockets open, or SO_LINGER 0. A common case of unread input: a server that answers an upload before reading its body (413 Payload Too Large, 401) with `Connection: close` — the message then says so. curl usually still shows the answer; a Node.js client still writing the body gets `Error: write EPIPE` (or `read ECONNRESET`) on the request, sometimes without ever seeing the response. The other common case: a client that gives up on a response still arriving — fetch() aborted by its `AbortSignal` (or `AbortSignal.timeout()`), `req.destroy()` on a timeout, `curl --max-time`, a browser leaving the page — closes with the rest unread; the message then says how much had arrived. The server sees `res` emit `close` before `finish` and its next write fail with `EPIPE`/`ECONNRESET`. (A client closing a server-sent event stream this way is how event streams end, and a TLS connection whose first closer resets it after the peer\'s close_notify alert is how TLS connections end: neither is reported.)',
    'Fix: end connections with `end()` (FIN) and let the peer finish; use `server.close()` + `closeIdleConnections()` for shutdown; read or drain request bodies before closing. To refuse an upload, do it before the body is sent: handle `checkContinue` on the server (clients such as curl send `Expect: 100-continue` for large bodies) and answer without `100 Continue`; otherwise `req.resume()` the body before ending the response. When a client gave up on a response, that was its choice: give it a longer timeout if it gave up too soon, and on the server stop the work when `res` emits `close` before `finish`.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#servercloseallconnections',
  options: { clientAbortStall: CLIENT_ABORT_STALL_OPTION },
  create(context) {
    // Connections whose RST a more specific rule explains (ids of open connections only).
    const explained = new Set<number>();
    const clientAbortStall = Number(context.options.clientAbortStall);
    // Open connections with a request the server answered early (the last such one).
    const refusals = new Map<number, EarlyRefusal>();
    // Open connections with a response the client abandoned.
    const abandons = new Map<number, Abandoned>();
    return {
      exchange(x: ExchangeModel) {
        const answer = earlyAnswer(x);
        const left = abandoned(x, clientAbortStall);
        if (explainsRst(x, answer !== null, left !== null)) explained.add(x.connection);
        const refusal = earlyRefusal(x, answer);
        if (refusal !== null) refusals.set(x.connection, refusal);
        // Closing is how a client ends an event stream; the RST (events still unread) is no fault.
        if (left?.eventStream === true) explained.add(x.connection);
        else if (left !== null) abandons.set(x.connection, left);
      },
      connection(c) {
        const covered = explained.delete(c.id);
        const refusal = refusals.get(c.id) ?? null;
        refusals.delete(c.id);
        const left = abandons.get(c.id) ?? null;
        abandons.delete(c.id);
        if (c.teardown.kind !== 'rst' || covered || c.handshake.refused || unacknowledgedSynAck(c)) return;
        const rst = firstRst(c);
        if (rst === null || tlsCloseNotify(c, rst)) return;
        const exchanges = c.exchanges ?? 0;
        const after =
          c.closing.idleBefore !== null && c.closing.first?.frame === rst.frame ? `, ${formatDuration(c.closing.idleBefore)} after the last exchange` : '';
        const fin = c.closing.first !== null && c.closing.first.kind === 'fin' ? ` (after the ${c.closing.first.by}'s FIN in frame ${c.closing.first.frame})` : '';
        const why = refusal !== null && rst.by === 'server' ? refusal : null;
        const gaveUp = left !== null && rst.by === 'client' ? abandonedText(left) : '';
        context.report({
          message: `connection ${c.id} (${c.client} → ${c.server}, ${exchanges} exchange${exchanges === 1 ? '' : 's'}) was reset by the ${rst.by}: RST in frame ${rst.frame}${fin}${after}${why !== null ? refusalText(why) : ''}${gaveUp}`,
          connection: c.id,
          exchange: null,
          frames: why !== null ? [why.frame, rst.frame] : [rst.frame],
        });
      },
    };
  },
};

export default rule;
