import { formatDuration } from '../src/text/units.js';
import type { ConnectionModel, ExchangeModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';
import { rememberLastResponse, type LastResponse } from './lib/wire.js';

/** A connection the server closed idle, earlier than it advertised. */
interface EarlyClose {
  id: number;
  exchange: number;
  timeout: number;
  hintFrame: number;
  closeFrame: number;
  closeTime: number;
  idle: number;
  /** The first refusal of a connection to the server after the close (Infinity: none yet). */
  refusedAt: number;
}

/** Per server endpoint: early closes not yet confirmed, the latest accepted connection start, recent refusals. */
interface Server {
  suspects: EarlyClose[];
  latestStart: { id: number; time: number; frame: number } | null;
  /** Start times of the latest refused connections (SYN answered by RST), in the order their records came. */
  refusals: number[];
}

/** Suspects kept per server while waiting for a later connection (a shutdown closes many at once). */
const MAX_SUSPECTS = 16;

/**
 * Refusal times kept per server, for an early close whose record comes after them (records come as
 * connections settle, not as they start); later refusals are stamped on the suspects themselves.
 */
const MAX_REFUSALS = 16;

/** Whether a connection to the server was refused after the close and before `until`: it had gone away (a restart). */
function wentAway(close: EarlyClose, until: number): boolean {
  return close.refusedAt < until;
}

/**
 * The server closed an idle keep-alive connection well before the `Keep-Alive: timeout=N` it
 * advertised, and went on accepting connections afterwards. The second half is what tells a
 * timeout shorter than advertised from a shutdown (`server.close()` + `closeIdleConnections()`
 * closes idle connections at once and accepts nothing new): it is only certain once a connection
 * to the same server starts after the close. A connection refused in between (a restart: the old
 * process gone, the new one not listening yet) shows it was a shutdown after all.
 */
const rule: Rule = {
  id: 'keepalive-timeout-mismatch',
  severity: 'warning',
  title: 'Server closed an idle connection earlier than its Keep-Alive timeout said',
  help: [
    'On the wire: a response advertised `Keep-Alive: timeout=N`; the connection then sat idle and the server closed it (its FIN or RST) noticeably before N seconds had passed — while it kept serving: new connections to it follow. (A server shutting down closes its idle connections at once and takes no new ones; that is not reported, nor is a restart — a connection refused between the close and the next one served.)',
    'What peers see: clients that trust the header keep the socket for up to N seconds and send their next request on a connection the server has already closed: the keep-alive reuse race — `Error: socket hang up` / `read ECONNRESET` in Node.js with `req.reusedSocket` true, "Connection died, retrying a fresh connect" in curl.',
    'Cause: the advertised hint and the real idle timeout disagree — a proxy or load balancer in front of the server with a shorter idle timeout, or a server whose header is configured separately from its timer. Node.js itself closes about 1 s after `server.keepAliveTimeout` and advertises `floor(keepAliveTimeout / 1000)`, i.e. later than it says, never earlier.',
    'Fix: make the advertised `timeout=` no longer than the shortest idle timeout on the path (server, proxy, load balancer); keep client idle timeouts below it.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#serverkeepalivetimeout',
  options: {
    tolerance: { type: 'number', default: 1, description: 'Seconds before the advertised timeout within which an idle close is not reported.' },
  },
  create(context) {
    const tolerance = Number(context.options.tolerance);
    const last = new Map<number, LastResponse>();
    const servers = new Map<string, Server>();

    const earlyClose = (c: ConnectionModel, r: LastResponse | undefined): EarlyClose | null => {
      const first = c.closing.first;
      if (r === undefined || r.timeout === null || r.connectionClose || first === null || first.by !== 'server') return null;
      const idle = c.closing.idleBefore;
      if (idle === null || idle >= r.timeout - tolerance) return null;
      return { id: c.id, exchange: r.exchange, timeout: r.timeout, hintFrame: r.frame, closeFrame: first.frame, closeTime: first.time, idle, refusedAt: Infinity };
    };

    const report = (e: EarlyClose, next: { id: number; frame: number }) => {
      context.report({
        message: `response ${e.exchange} advertised Keep-Alive: timeout=${e.timeout} (frame ${e.hintFrame}), but the server closed the idle connection after ${formatDuration(e.idle)} (frame ${e.closeFrame}) and went on serving (connection ${next.id}, SYN frame ${next.frame})`,
        connection: e.id,
        exchange: e.exchange,
        frames: [e.hintFrame, e.closeFrame, next.frame],
      });
    };

    return {
      exchange(x: ExchangeModel) {
        rememberLastResponse(last, x);
      },
      connection(c) {
        const r = last.get(c.id);
        last.delete(c.id);
        let server = servers.get(c.server);
        if (server === undefined) {
          server = { suspects: [], latestStart: null, refusals: [] };
          servers.set(c.server, server);
        }
        if (c.handshake.refused) {
          for (const s of server.suspects) if (c.startTime > s.closeTime && c.startTime < s.refusedAt) s.refusedAt = c.startTime;
          server.refusals.push(c.startTime);
          if (server.refusals.length > MAX_REFUSALS) server.refusals.shift();
        }
        // An accepted connection (SYN-ACK seen) proves the server was still serving at its start.
        const accepted = c.handshake.syn !== null && c.handshake.synAck !== null;
        const start = accepted ? { id: c.id, time: c.startTime, frame: (c.handshake.syn as { frame: number }).frame } : null;
        if (start !== null) {
          const confirmed = server.suspects.filter((s) => start.time > s.closeTime);
          server.suspects = server.suspects.filter((s) => start.time <= s.closeTime);
          // Refused between the close and this start: a restart, the close was the old process' shutdown.
          for (const s of confirmed) if (!wentAway(s, start.time)) report(s, start);
          if (server.latestStart === null || start.time > server.latestStart.time) server.latestStart = start;
        }
        const early = earlyClose(c, r);
        if (early === null) return;
        for (const t of server.refusals) if (t > early.closeTime && t < early.refusedAt) early.refusedAt = t;
        const next = server.latestStart;
        if (next === null || next.time <= early.closeTime) {
          if (server.suspects.length < MAX_SUSPECTS) server.suspects.push(early);
        } else if (!wentAway(early, next.time)) report(early, next);
      },
    };
  },
};

export default rule;
