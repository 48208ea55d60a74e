import { formatDuration } from '../src/text/units.js';
import type { ConnectionModel, ExchangeModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';

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
}

interface ExchangeFacts {
  connectionClose: boolean;
  keepAliveTimeout: number | null;
}

/** The host part of `ip:port` / `[v6]:port`: one client host may use many ports. */
function hostOf(endpoint: string): string {
  const colon = endpoint.lastIndexOf(':');
  const host = colon < 0 ? endpoint : endpoint.slice(0, colon);
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * One exchange, then closed because of it: `Connection: close` on either message, or the client
 * hung up right away without being asked. A response advertising `Keep-Alive: timeout=N` with N at
 * or below keepalive-hint-too-short's limit is that rule's case (the Agent dropped the socket
 * because of the hint), so it is left out here.
 */
function closedAfterOneExchange(c: ConnectionModel, x: ExchangeFacts | undefined, hintLimit: number, closeWithin: number): boolean {
  if (x === undefined || c.exchanges !== 1 || c.end !== 'close' || c.midStream || c.handshake.syn === null) return false;
  if (c.protocolSwitch !== null || c.closing.first === null) return false;
  if (x.connectionClose) return true;
  const hintTooShort = x.keepAliveTimeout !== null && x.keepAliveTimeout <= hintLimit;
  return c.closing.first.by === 'client' && !hintTooShort && c.closing.idleBefore !== null && c.closing.idleBefore <= closeWithin;
}

const rule: Rule = {
  id: 'connection-per-request',
  severity: 'warning',
  title: 'Every request opened its own TCP connection (no keep-alive)',
  help: [
    'On the wire: two or more connections from the same client host to the same server endpoint, each carrying exactly one request/response and closed right after it. Every request pays a three-way handshake before it can be sent and a FIN exchange after it (and leaves a socket in TIME_WAIT), which on a real network costs at least one extra round trip per request.',
    'What peers see: nothing fails. curl prints "Closing connection" after each transfer instead of "Connection #0 to host … left intact"; a Node.js client sees every request on a new socket (`req.reusedSocket` is always false).',
    'Node.js cause: `http.request({ agent: false })`, an `http.Agent` created without `keepAlive: true`, or a `Connection: close` request header — all three make the client send `Connection: close` and the server close after the response.',
    'Fix: share one `new http.Agent({ keepAlive: true })` (the global agent of Node.js ≥ 19 already keeps sockets alive) and do not set `Connection: close` by hand.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#new-agentoptions',
  options: {
    minConnections: { type: 'number', default: 2, description: 'One-exchange connections between the same client host and server endpoint before it is reported.' },
    closeWithin: { type: 'number', default: 1, description: 'Seconds after the response within which a client close without `Connection: close` still counts as "closed after it".' },
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
    // Only the single exchange of each open connection is remembered, and only its two facts.
    const open = new Map<number, ExchangeFacts>();
    const pairs = new Map<string, PairTally>();
    return {
      exchange(x: ExchangeModel) {
        open.set(x.connection, {
          connectionClose: x.reuse.connectionClose.request || x.reuse.connectionClose.response,
          keepAliveTimeout: x.reuse.keepAlive?.timeout ?? null,
        });
      },
      connection(c) {
        const facts = open.get(c.id);
        open.delete(c.id);
        if (!closedAfterOneExchange(c, facts, hintLimit, closeWithin)) return;
        const key = `${hostOf(c.client)} ${c.server}`;
        let tally = pairs.get(key);
        if (tally === undefined) {
          tally = { client: hostOf(c.client), server: c.server, connections: 0, handshakeSeconds: 0, ids: [], frames: [] };
          pairs.set(key, tally);
        }
        tally.connections++;
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
            message: `${t.connections} connections from ${t.client} to ${t.server} each carried one exchange and were closed after it (connections ${shown}; SYN in frames ${t.frames.join(', ')}): ${t.connections} handshakes took ${formatDuration(t.handshakeSeconds)} in all`,
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
