import { formatDuration } from '../src/text/units.js';
import type { ConnectionModel, ExchangeModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';
import { hostOf, rememberLastResponse, type LastResponse } from './lib/wire.js';

/** A connection the client dropped right after a response hinting `timeout` ≤ maxTimeout. */
interface Dropped {
  id: number;
  exchange: number;
  timeout: number;
  hintFrame: number;
  closeFrame: number;
  closeTime: number;
  after: number;
}

/** Per client host → server endpoint: the last dropped connection and the latest connection start. */
interface Pair {
  dropped: Dropped | null;
  latestStart: { id: number; time: number; frame: number } | null;
  reported: boolean;
}


/**
 * Node.js ≥ 19 Agents subtract 1 s from the server's Keep-Alive hint and Node 20's fetch (undici)
 * 2 s, so `timeout=1` (Agent) or `timeout=2` (fetch) means "drop the socket now". Seen on the wire
 * as: the last response hints timeout ≤ maxTimeout, the client closes first within closeWithin, and
 * the next request from that host to that server comes on a new connection. Reported once per
 * client host/server pair, when the new connection is seen.
 */
const rule: Rule = {
  id: 'keepalive-hint-too-short',
  severity: 'warning',
  title: 'Keep-Alive: timeout hint so short that clients drop the connection after every response',
  help: [
    'On the wire: responses advertise `Keep-Alive: timeout=2` or less; the client closes the connection right after each response (its FIN comes first, within milliseconds) and opens a new connection — a new handshake — for its next request. Keep-alive is on in both programs and still every request pays a connection.',
    'What peers see: nothing fails; every request gets a fresh socket (`req.reusedSocket` false), as with `agent: false`. curl, which ignores the hint, would reuse the connection.',
    'Node.js cause: Node.js clients keep a socket for the server\'s hint minus a safety margin, and drop it at once when nothing is left: `http.Agent` (Node ≥ 19) subtracts 1 s, so `timeout=1` (or 0) drops it; `fetch()` (undici, bundled in Node 20: `keepAliveTimeoutThreshold` 2 s) subtracts 2 s, so `timeout=2` drops it too. A Node server sends `timeout=floor(server.keepAliveTimeout / 1000)`: `keepAliveTimeout` below 3000 ms advertises 2 or less.',
    'Fix: set `server.keepAliveTimeout` to at least 3000 ms (better: longer than the clients\' idle time, e.g. 5000 — the default — or more behind a load balancer).',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#serverkeepalivetimeout',
  options: {
    maxTimeout: { type: 'number', default: 2, description: 'Advertised Keep-Alive timeout (s) at or below which the hint is too short (2: fetch subtracts 2 s, http.Agent 1 s).' },
    closeWithin: { type: 'number', default: 0.5, description: 'Seconds after the response within which the client\'s close counts as dropping the socket because of the hint (an Agent keeping a `timeout=2` socket for its 1 s is not).' },
  },
  create(context) {
    const maxTimeout = Number(context.options.maxTimeout);
    const closeWithin = Number(context.options.closeWithin);
    const last = new Map<number, LastResponse>();
    const pairs = new Map<string, Pair>();

    const droppedBecauseOfHint = (c: ConnectionModel, r: LastResponse | undefined): Dropped | null => {
      const first = c.closing.first;
      if (r === undefined || r.timeout === null || r.timeout > maxTimeout || r.connectionClose) return null;
      if (first === null || first.by !== 'client' || c.closing.idleBefore === null || c.closing.idleBefore > closeWithin) return null;
      return { id: c.id, exchange: r.exchange, timeout: r.timeout, hintFrame: r.frame, closeFrame: first.frame, closeTime: first.time, after: c.closing.idleBefore };
    };

    const report = (d: Dropped, next: { id: number; frame: number }) => {
      context.report({
        message: `response ${d.exchange} on connection ${d.id} advertised Keep-Alive: timeout=${d.timeout} (frame ${d.hintFrame}); the client closed the connection ${formatDuration(d.after)} later (frame ${d.closeFrame}) and opened connection ${next.id} (SYN frame ${next.frame}) for its next request`,
        connection: d.id,
        exchange: d.exchange,
        frames: [d.hintFrame, d.closeFrame, next.frame],
      });
    };

    return {
      exchange(x: ExchangeModel) {
        rememberLastResponse(last, x);
      },
      connection(c) {
        const r = last.get(c.id);
        last.delete(c.id);
        if (c.exchanges === null || c.exchanges === 0 || c.handshake.syn === null) return;
        const key = `${hostOf(c.client)} ${c.server}`;
        let pair = pairs.get(key);
        if (pair === undefined) {
          pair = { dropped: null, latestStart: null, reported: false };
          pairs.set(key, pair);
        }
        if (pair.reported) return;
        const start = { id: c.id, time: c.startTime, frame: c.handshake.syn.frame };
        // This connection is the new one a dropped connection was replaced with…
        if (pair.dropped !== null && start.time >= pair.dropped.closeTime) {
          pair.reported = true;
          report(pair.dropped, start);
          return;
        }
        const dropped = droppedBecauseOfHint(c, r);
        // …or its replacement ended (and was recorded) before it.
        if (dropped !== null && pair.latestStart !== null && pair.latestStart.time >= dropped.closeTime) {
          pair.reported = true;
          report(dropped, pair.latestStart);
          return;
        }
        if (dropped !== null) pair.dropped = dropped;
        if (pair.latestStart === null || start.time > pair.latestStart.time) pair.latestStart = start;
      },
    };
  },
};

export default rule;
