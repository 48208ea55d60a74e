import { formatDuration } from '../src/text/units.js';
import type { ConnectionModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';

/**
 * A SYN never answered (no SYN-ACK, no RST: that is connection-refused), or a SYN-ACK the client
 * never acknowledged — and no data flowed, so this is not merely a handshake frame the capture lost.
 */
const rule: Rule = {
  id: 'handshake-incomplete',
  severity: 'warning',
  title: 'TCP handshake never completed',
  help: [
    'On the wire: a SYN with no SYN-ACK in the capture (SYN retransmissions may follow), or a SYN-ACK that the client never acknowledged. No data was exchanged on the connection.',
    'What peers see: the client waits for its connect timeout. Node.js: `Error: connect ETIMEDOUT 10.0.0.1:80` after the operating system\'s SYN retries (about 2 minutes on Linux) unless the request has a `timeout` (then the \'timeout\' event fires and the application aborts it); curl "(28) Failed to connect to host port 80 after N ms: Timeout was reached" (or "Connection timed out after N milliseconds" with `--connect-timeout`).',
    'Causes: the server host is unreachable or down, a firewall drops the SYN (instead of rejecting it), the server\'s accept backlog is full (SYN-ACK dropped or never acknowledged), or packet loss; also a capture that stopped right after the SYN.',
    'Fix: check the address, routes and firewalls; raise the listen backlog of an overloaded server; give clients a connect timeout (`timeout` option / `AbortSignal.timeout()`) and retry.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#httprequestoptions-callback',
  create(context) {
    return {
      connection(c: ConnectionModel) {
        const { syn, synAck, ack, refused } = c.handshake;
        if (syn === null || refused || c.bytes.client + c.bytes.server > 0) return;
        if (synAck === null) {
          if (c.frames.server > 0) return;
          const syns = c.frames.client;
          // Retries span the wait; a single SYN's wait ends where the capture does, which the record does not carry.
          const span = syns > 1 ? ` over ${formatDuration(c.endTime - syn.time)}` : '';
          const end = c.end === 'capture-end' ? ' before the capture ended' : '';
          context.report({
            message: `SYN from ${c.client} to ${c.server} (frame ${syn.frame}) got no SYN-ACK${end}: ${syns} SYN frame${syns === 1 ? '' : 's'}${span}`,
            connection: c.id,
            exchange: null,
            frames: [syn.frame],
          });
        } else if (ack === null) {
          context.report({
            message: `SYN-ACK from ${c.server} (frame ${synAck.frame}) to the SYN in frame ${syn.frame} was never acknowledged by ${c.client}`,
            connection: c.id,
            exchange: null,
            frames: [syn.frame, synAck.frame],
          });
        }
      },
    };
  },
};

export default rule;
