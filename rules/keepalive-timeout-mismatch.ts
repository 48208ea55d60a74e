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
}

/** Per server endpoint: early closes not yet confirmed, and the latest accepted connection start. */
interface Server {
  suspects: EarlyClose[];
  latestStart: { id: number; time: number; frame: number } | null;
}

/** Suspects kept per server while waiting for a later connection (a shutdown closes many at once). */
const MAX_SUSPECTS = 16;

/**
 * The server closed an idle keep-alive connection well before the `Keep-Alive: timeout=N` it
 * advertised, and went on accepting connections afterwards. The second half is what tells a
 * timeout shorter than advertised from a shutdown (`server.close()` + `closeIdleConnections()`
 * closes idle connections at once and accepts nothing new): it is only certain once a connection
 * to the same server starts after the close.
 */
const rule: Rule = {
  id: 'keepalive-timeout-mismatch',
  severity: 'warning',
  title: 'Server closed an idle connection earlier than its Keep-Alive timeout said',
  help: [
    'On the wire: a response advertised `Keep-Alive: timeout=N`; the connection then sat idle and the server closed it (its FIN or RST) noticeably before N seconds had passed — while it kept serving: new connections to it follow. (A server shutting down closes its idle connections at once and takes no new ones; that is not reported.)',
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
      return { id: c.id, exchange: r.exchange, timeout: r.timeout, hintFrame: r.frame, closeFrame: first.frame, closeTime: first.time, idle };
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
          server = { suspects: [], latestStart: null };
          servers.set(c.server, server);
        }
        // An accepted connection (SYN-ACK seen) proves the server was still serving at its start.
        const accepted = c.handshake.syn !== null && c.handshake.synAck !== null;
        const start = accepted ? { id: c.id, time: c.startTime, frame: (c.handshake.syn as { frame: number }).frame } : null;
        if (start !== null) {
          const confirmed = server.suspects.filter((s) => start.time > s.closeTime);
          server.suspects = server.suspects.filter((s) => start.time <= s.closeTime);
          for (const s of confirmed) report(s, start);
          if (server.latestStart === null || start.time > server.latestStart.time) server.latestStart = start;
        }
        const early = earlyClose(c, r);
        if (early === null) return;
        if (server.latestStart !== null && server.latestStart.time > early.closeTime) report(early, server.latestStart);
        else if (server.suspects.length < MAX_SUSPECTS) server.suspects.push(early);
      },
    };
  },
};

export default rule;
