import type { ConnectionModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';

const rule: Rule = {
  id: 'connection-refused',
  severity: 'error',
  title: 'Connection refused: SYN answered by RST',
  help: [
    'On the wire: the client\'s SYN was answered by a RST instead of a SYN-ACK — nothing was listening on that address and port (or a firewall rejected it).',
    'What peers see: Node.js `Error: connect ECONNREFUSED 127.0.0.1:5000` (code `ECONNREFUSED`); curl "(7) Failed to connect to 127.0.0.1 port 5000 after 0 ms: Couldn\'t connect to server" ("Connection refused" in its verbose output).',
    'Causes: the server was not started yet, had already stopped, or listens on another port or interface (e.g. `::1` vs `127.0.0.1`, or `localhost` resolving to IPv6 first); a client started before the server\'s `listen()` callback ran.',
    'Fix: connect to the address the server actually listens on; start the client after the server\'s \'listening\' event; retry with back-off while a service starts.',
    'Not reported: a refused attempt the client recovered from at once — it connected to the same port on another address within 0.3 s (`handshake.fallback`). That is Node.js 20\'s `autoSelectFamily` (on by default) or curl trying each address of `localhost`: `::1` refused, then 127.0.0.1 served. The application saw no error; listening on both (`server.listen(port)` without a host, or `::`) saves the round trip.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#httprequestoptions-callback',
  create(context) {
    return {
      connection(c: ConnectionModel) {
        const { syn } = c.handshake;
        const rst = c.teardown.serverRst;
        // The client fell back to another address of the host and was not told of this refusal.
        if (!c.handshake.refused || syn === null || c.handshake.fallback !== null) return;
        context.report({
          message: `SYN from ${c.client} to ${c.server} (frame ${syn.frame}) was answered by RST${rst !== null ? ` (frame ${rst.frame})` : ''}: nothing was listening`,
          connection: c.id,
          exchange: null,
          frames: rst !== null ? [syn.frame, rst.frame] : [syn.frame],
        });
      },
    };
  },
};

export default rule;
