import { hasConnectionOption, headerValue } from '../src/http/headers.js';
import { formatDuration } from '../src/text/units.js';
import type { ConnectionModel, ExchangeModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';
import { hostOf } from './lib/wire.js';

/** SYN frames kept per client/server pair for the finding (the count goes on past it). */
const MAX_FRAMES = 50;

interface PairTally {
  client: string;
  server: string;
  connections: number;
  /** Sum of SYN → handshake ACK over the connections whose three frames were captured. */
  handshakeSeconds: number;
  ids: number[];
  frames: number[];
  /** Who made each connection one-shot: the client's request, the server's response, or the client hanging up unasked. */
  closedBy: { clientAsked: number; serverForced: number; clientHungUp: number };
}

interface ExchangeFacts {
  /** The client asked for the close: `Connection: close`, or HTTP/1.0 without keep-alive. */
  clientAskedClose: boolean;
  /** The server closed a keep-alive request's connection after a successful answer (`Connection: close` on a 1xx-3xx). */
  serverForcedClose: boolean;
  keepAliveTimeout: number | null;
  /** The request came from a command-line tool run once per request (its User-Agent): no client to fix. */
  oneShotClient: boolean;
}

/** The client's side of the close: an explicit `Connection: close`, or an HTTP/1.0 request without keep-alive. */
function clientAskedClose(x: ExchangeModel): boolean {
  const request = x.request;
  if (request === null) return false;
  // The model read `Connection: close` already (reuse.connectionClose): only HTTP/1.0 is looked at again.
  if (x.reuse.connectionClose.request) return true;
  return request.version === 'HTTP/1.0' && !hasConnectionOption(request.headers, 'keep-alive');
}

/**
 * The server's side: `Connection: close` on an answer to a request that wanted to keep the
 * connection. After an error (4xx, 5xx) closing is what a server should do (Node itself closes
 * after 400, 408, 413 with an unread body, 431): that is no missing keep-alive.
 */
function serverForcedClose(x: ExchangeModel, askedClose: boolean): boolean {
  const response = x.response;
  return !askedClose && response !== null && response.status !== null && response.status < 400 && x.reuse.connectionClose.response;
}

/** The User-Agent starts with one of the comma-separated prefixes (curl/, Wget/, …). */
function fromOneShotClient(x: ExchangeModel, prefixes: readonly string[]): boolean {
  const agent = x.request === null ? null : headerValue(x.request.headers, 'user-agent');
  return agent !== null && prefixes.some((prefix) => agent.startsWith(prefix));
}

/**
 * One exchange, then closed because of it: the client asked (`Connection: close`, HTTP/1.0), the
 * server closed after a successful answer, or the client hung up right away without being asked.
 * A response advertising `Keep-Alive: timeout=N` with N at or below keepalive-hint-too-short's
 * limit is that rule's case (the Agent dropped the socket because of the hint), so it is left out
 * here; so is a request from a tool run once per request (curl in a test script: each process
 * opens its own connection by design, and there is no Node.js client to fix).
 */
function closedAfterOneExchange(c: ConnectionModel, x: ExchangeFacts | undefined, hintLimit: number, closeWithin: number): boolean {
  if (x === undefined || c.exchanges !== 1 || c.end !== 'close' || c.midStream || c.handshake.syn === null) return false;
  if (c.protocolSwitch !== null || c.closing.first === null || x.oneShotClient) return false;
  if (x.clientAskedClose || x.serverForcedClose) return true;
  const hintTooShort = x.keepAliveTimeout !== null && x.keepAliveTimeout <= hintLimit;
  return c.closing.first.by === 'client' && !hintTooShort && c.closing.idleBefore !== null && c.closing.idleBefore <= closeWithin;
}

/** Which side to fix: "closed because the client's requests said Connection: close (3), the server's responses did (2)". */
function closedByText(by: PairTally['closedBy']): string {
  const parts = [
    by.clientAsked > 0 ? `the client's requests asked for it (Connection: close or HTTP/1.0: ${by.clientAsked})` : null,
    by.serverForced > 0 ? `the server's successful responses said Connection: close (${by.serverForced})` : null,
    by.clientHungUp > 0 ? `the client closed unasked right after the response (${by.clientHungUp})` : null,
  ].filter((p) => p !== null);
  return `why: ${parts.join(', ')}`;
}

const rule: Rule = {
  id: 'connection-per-request',
  severity: 'warning',
  title: 'Every request opened its own TCP connection (no keep-alive)',
  help: [
    'On the wire: two or more connections from the same client host to the same server endpoint, each carrying exactly one request/response and closed right after it. Every request pays a three-way handshake before it can be sent and a FIN exchange after it (and leaves a socket in TIME_WAIT), which on a real network costs at least one extra round trip per request.',
    'What peers see: nothing fails. curl prints "Closing connection" after each transfer instead of "Connection #0 to host … left intact"; a Node.js client sees every request on a new socket (`req.reusedSocket` is always false).',
    'Node.js cause: `http.request({ agent: false })`, an `http.Agent` created without `keepAlive: true`, or a `Connection: close` request header — all three make the client send `Connection: close` and the server close after the response. A `fetch()` given a new undici `Agent` per request closes its socket the same way, without the header. In front of a Node.js server, a reverse proxy speaking HTTP/1.0 to it (nginx\'s default `proxy_http_version 1.0`, which also sends `Connection: close`) opens one upstream connection per request. On the server side, a successful response sent with `Connection: close` (`res.setHeader(\'Connection\', \'close\')`, `res.shouldKeepAlive = false`) forces the same.',
    'Not counted: a connection closed after an error response (closing then is right), and requests whose User-Agent names a tool run once per request (`oneShotClients`: curl, Wget, HTTPie, ApacheBench in a test script each open their own connection by design).',
    'Fix: share one `new http.Agent({ keepAlive: true })` (the global agent of Node.js ≥ 19 already keeps sockets alive) and do not set `Connection: close` by hand; behind nginx, `proxy_http_version 1.1;` with `proxy_set_header Connection "";` and an `upstream { keepalive N; }`.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#new-agentoptions',
  options: {
    minConnections: { type: 'number', default: 2, description: 'One-exchange connections between the same client host and server endpoint before it is reported.' },
    closeWithin: { type: 'number', default: 1, description: 'Seconds after the response within which a client close without `Connection: close` still counts as "closed after it".' },
    oneShotClients: {
      type: 'string',
      default: 'curl/,Wget/,HTTPie/,ApacheBench/',
      description: 'Comma-separated User-Agent prefixes of tools run once per request, whose connections are not counted (empty: count every client).',
    },
    hintLimit: {
      type: 'number',
      default: 2,
      description: 'Keep-Alive timeout (s) at or below which a client-side close is left to keepalive-hint-too-short (keep it equal to that rule\'s maxTimeout).',
    },
  },
  create(context) {
    const minConnections = Number(context.options.minConnections);
    const hintLimit = Number(context.options.hintLimit);
    const closeWithin = Number(context.options.closeWithin);
    const oneShotClients = String(context.options.oneShotClients)
      .split(',')
      .map((prefix) => prefix.trim())
      .filter((prefix) => prefix !== '');
    // Only the single exchange of each open connection is remembered, and only its two facts.
    const open = new Map<number, ExchangeFacts>();
    const pairs = new Map<string, PairTally>();
    return {
      exchange(x: ExchangeModel) {
        const askedClose = clientAskedClose(x);
        open.set(x.connection, {
          clientAskedClose: askedClose,
          serverForcedClose: serverForcedClose(x, askedClose),
          keepAliveTimeout: x.reuse.keepAlive?.timeout ?? null,
          oneShotClient: fromOneShotClient(x, oneShotClients),
        });
      },
      connection(c) {
        const facts = open.get(c.id);
        open.delete(c.id);
        if (!closedAfterOneExchange(c, facts, hintLimit, closeWithin)) return;
        const key = `${hostOf(c.client)} ${c.server}`;
        let tally = pairs.get(key);
        if (tally === undefined) {
          tally = { client: hostOf(c.client), server: c.server, connections: 0, handshakeSeconds: 0, ids: [], frames: [], closedBy: { clientAsked: 0, serverForced: 0, clientHungUp: 0 } };
          pairs.set(key, tally);
        }
        tally.connections++;
        const x = facts as ExchangeFacts;
        if (x.clientAskedClose) tally.closedBy.clientAsked++;
        else if (x.serverForcedClose) tally.closedBy.serverForced++;
        else tally.closedBy.clientHungUp++;
        const { syn, ack } = c.handshake;
        if (syn !== null && ack !== null) tally.handshakeSeconds += ack.time - syn.time;
        if (tally.frames.length < MAX_FRAMES && syn !== null) {
          tally.frames.push(syn.frame);
          tally.ids.push(c.id);
        }
      },
      end() {
        for (const t of pairs.values()) {
          if (t.connections < minConnections) continue;
          const shown = t.ids.length < t.connections ? `${t.ids.join(', ')}, …` : t.ids.join(', ');
          context.report({
            message: `${t.connections} connections from ${t.client} to ${t.server} each carried one exchange and were closed after it (connections ${shown}; SYN in frames ${t.frames.join(', ')}): ${t.connections} handshakes took ${formatDuration(t.handshakeSeconds)} in all; ${closedByText(t.closedBy)}`,
            connection: null,
            exchange: null,
            frames: t.frames,
          });
        }
      },
    };
  },
};

export default rule;
