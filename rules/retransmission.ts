import type { ConnectionModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';

const rule: Rule = {
  id: 'retransmission',
  severity: 'note',
  title: 'TCP segments retransmitted or out of order',
  help: [
    'On the wire: segments carrying bytes already sent (retransmissions) or arriving ahead of a hole (out of order). TCP keep-alive probes are not counted, nor — on a connection with a capture gap — segments held behind a hole the capture never filled (capture-gap reports those). The receiver got each byte once; the capture shows the repair.',
    'What it means: packet loss or reordering between the peers (or at the capture point) — not an HTTP fault. Each loss costs at least a round trip (fast retransmit) or a retransmission timeout (200 ms+ on Linux), which shows up as slow responses, not as errors. Retransmissions whose bytes differ from the first copy are counted separately as conflicting overlaps: those are suspicious (a middlebox rewriting data, or an evasion attempt).',
    'Fix: none in the application. Look at the network path (drops, duplex or MTU mismatches, congested links) if it is frequent.',
  ].join('\n\n'),
  docs: 'https://www.wireshark.org/docs/wsug_html_chunked/ChAdvTCPAnalysis.html',
  create(context) {
    return {
      connection(c: ConnectionModel) {
        const retx = c.retransmissions.client + c.retransmissions.server;
        // Segments held behind a hole the capture never filled are capture-gap's (the peers had the bytes).
        const ooo = c.gaps.length > 0 ? 0 : c.outOfOrder.client + c.outOfOrder.server;
        if (retx + ooo === 0) return;
        const parts = [
          retx > 0 ? `${retx} retransmitted segment${retx === 1 ? '' : 's'} (client ${c.retransmissions.client}, server ${c.retransmissions.server})` : null,
          ooo > 0 ? `${ooo} out of order (client ${c.outOfOrder.client}, server ${c.outOfOrder.server})` : null,
          c.conflictingOverlaps > 0 ? `${c.conflictingOverlaps} with bytes differing from the first copy` : null,
        ].filter((p) => p !== null);
        context.report({
          message: `connection ${c.id} (${c.client} → ${c.server}): ${parts.join(', ')}`,
          connection: c.id,
          exchange: null,
          // The model counts them but does not list their frames: the connection's span is what rests on them.
          frames: [c.firstFrame, c.lastFrame],
        });
      },
    };
  },
};

export default rule;
