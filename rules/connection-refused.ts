import { formatDuration } from '../src/text/units.js';
import type { ConnectionModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';
import { hostOf } from './lib/wire.js';

/** A SYN of a refused connection, or of the accepted one that ended a run of refusals. */
interface Attempt {
  id: number;
  frame: number;
  time: number;
}

/** Refusals from one client host to one server since the first was reported. */
interface Run {
  host: string;
  server: string;
  first: Attempt;
  /** The refusals after the first (not reported one by one). */
  more: number;
  firstMore: Attempt | null;
  last: Attempt | null;
}

/** Runs kept at once (a port scan refuses thousands of distinct servers): the oldest is summed up and let go. */
const MAX_RUNS = 1024;

const rule: Rule = {
  id: 'connection-refused',
  severity: 'error',
  title: 'Connection refused: SYN answered by RST',
  help: [
    'On the wire: the client\'s SYN was answered by a RST instead of a SYN-ACK — nothing was listening on that address and port (or a firewall rejected it).',
    'What peers see: Node.js `Error: connect ECONNREFUSED 127.0.0.1:5000` (code `ECONNREFUSED`); curl "(7) Failed to connect to 127.0.0.1 port 5000 after 0 ms: Couldn\'t connect to server" ("Connection refused" in its verbose output).',
    'Causes: the server was not started yet, had already stopped, or listens on another port or interface (e.g. `::1` vs `127.0.0.1`, or `localhost` resolving to IPv6 first); a client started before the server\'s `listen()` callback ran.',
    'Fix: connect to the address the server actually listens on; start the client after the server\'s \'listening\' event; retry with back-off while a service starts.',
    'Repeated attempts (a client retrying while its server restarts or is down): the first refusal from a client host to a server is reported at once, the rest of the run in one finding when a connection to that server is accepted again (saying how long the server was unreachable) or when the capture ends.',
    'Not reported: a refused attempt the client recovered from at once — it connected to the same port on another address within 0.3 s (`handshake.fallback`). That is Node.js 20\'s `autoSelectFamily` (on by default) or curl trying each address of `localhost`: `::1` refused, then 127.0.0.1 served. The application saw no error; listening on both (`server.listen(port)` without a host, or `::`) saves the round trip.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#httprequestoptions-callback',
  create(context) {
    const runs = new Map<string, Run>();

    const reportFirst = (c: ConnectionModel, syn: { frame: number }) => {
      const rst = c.teardown.serverRst;
      context.report({
        message: `SYN from ${c.client} to ${c.server} (frame ${syn.frame}) was answered by RST${rst !== null ? ` (frame ${rst.frame})` : ''}: nothing was listening`,
        connection: c.id,
        exchange: null,
        frames: rst !== null ? [syn.frame, rst.frame] : [syn.frame],
      });
    };

    /** The refusals after the first, in one finding: until `accepted` (a connection got through) or the end of the capture. */
    const reportRest = (key: string, run: Run, accepted: Attempt | null) => {
      runs.delete(key);
      if (run.more === 0 || run.firstMore === null || run.last === null) return;
      const { host, server } = run;
      const until = accepted !== null ? `connection ${accepted.id} (SYN frame ${accepted.frame}) was accepted ${formatDuration(accepted.time - run.first.time)} after the first refusal` : 'none was accepted before the capture ended';
      context.report({
        message: `${run.more} more SYN${run.more === 1 ? '' : 's'} from ${host} to ${server} (${run.more === 1 ? `frame ${run.last.frame}` : `frames ${run.firstMore.frame}–${run.last.frame}`}) ${run.more === 1 ? 'was' : 'were'} answered by RST after the first (frame ${run.first.frame}), over ${formatDuration(run.last.time - run.first.time)}; ${until}`,
        connection: run.firstMore.id,
        exchange: null,
        frames: [run.firstMore.frame, run.last.frame],
      });
    };

    return {
      connection(c: ConnectionModel) {
        const { syn, synAck, refused } = c.handshake;
        // Nothing to do for an accepted connection while no run of refusals is open (the usual case).
        if (syn === null || (!refused && (synAck === null || runs.size === 0))) return;
        // The client fell back to another address of the host and was not told of this refusal.
        if (refused && c.handshake.fallback !== null) return;
        const host = hostOf(c.client);
        const key = `${host} → ${c.server}`;
        const run = runs.get(key);
        const attempt: Attempt = { id: c.id, frame: syn.frame, time: syn.time };
        if (!refused) {
          if (run !== undefined) reportRest(key, run, attempt);
          return;
        }
        if (run !== undefined) {
          run.more++;
          run.firstMore ??= attempt;
          run.last = attempt;
          return;
        }
        reportFirst(c, syn);
        runs.set(key, { host, server: c.server, first: attempt, more: 0, firstMore: null, last: null });
        if (runs.size > MAX_RUNS) {
          const [oldest, oldestRun] = runs.entries().next().value as [string, Run];
          reportRest(oldest, oldestRun, null);
        }
      },
      end() {
        for (const [key, run] of [...runs]) reportRest(key, run, null);
      },
    };
  },
};

export default rule;
