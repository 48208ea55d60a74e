import type { ConnectionModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';

const rule: Rule = {
  id: 'retransmission',
  severity: 'note',
  title: 'TCP segments retransmitted or out of order',
  help: [
    'On the wire: segments carrying bytes already sent (retransmissions) or arriving ahead of a hole (out of order). TCP keep-alive and zero-window probes are not counted, nor — on a connection with a capture gap — segments held behind a hole the capture never filled (capture-gap reports those). The receiver got each byte once; the capture shows the repair. A connection whose only retransmissions were spurious — the receiver answered each with a D-SACK block (RFC 2883), saying it already had those bytes: the sender\'s timer fired before a delayed ACK, often when the reader had stopped reading — gets no finding: nothing was lost.',
    'What it means: packet loss or reordering between the peers (or at the capture point) — not an HTTP fault. Each loss costs at least a round trip (fast retransmit) or a retransmission timeout (200 ms+ on Linux), which shows up as slow responses, not as errors. Retransmissions whose bytes differ from the first copy are counted separately as conflicting overlaps: those are suspicious (a middlebox rewriting data, or an evasion attempt).',
    'Fix: none in the application. Look at the network path (drops, duplex or MTU mismatches, congested links) if it is frequent.',
  ].join('\n\n'),
  docs: 'https://www.wireshark.org/docs/wsug_html_chunked/ChAdvTCPAnalysis.html',
  create(context) {
    return {
      connection(c: ConnectionModel) {
        const retx = c.retransmissions.client + c.retransmissions.server;
        // Retransmissions the receiver reported it already had (D-SACK) lost nothing: a timer fired early.
        const spurious = c.spuriousRetransmissions.client + c.spuriousRetransmissions.server;
        // Segments held behind a hole the capture never filled are capture-gap's (the peers had the bytes).
        const ooo = c.gaps.length > 0 ? 0 : c.outOfOrder.client + c.outOfOrder.server;
        if (retx - spurious + ooo === 0) return;
        const firstRetx = firstOf(c.firstRetransmission);
        const firstOoo = ooo > 0 ? firstOf(c.firstOutOfOrder) : null;
        const parts = [
          retx > 0 ? `${retx} retransmitted segment${retx === 1 ? '' : 's'} (client ${c.retransmissions.client}, server ${c.retransmissions.server}; first in frame ${firstRetx}${spurious > 0 ? `; ${spurious} of them spurious: the receiver reported it had the bytes (D-SACK)` : ''})` : null,
          ooo > 0 ? `${ooo} out of order (client ${c.outOfOrder.client}, server ${c.outOfOrder.server}; first in frame ${firstOoo})` : null,
          c.conflictingOverlaps > 0 ? `${c.conflictingOverlaps} with bytes differing from the first copy` : null,
        ].filter((p) => p !== null);
        // The first retransmitted and out-of-order frames, where a reader starts looking (the counts cover the rest).
        const frames = [firstRetx, firstOoo].filter((f): f is number => f !== null).sort((a, b) => a - b);
        context.report({
          message: `connection ${c.id} (${c.client} → ${c.server}): ${parts.join(', ')}`,
          connection: c.id,
          exchange: null,
          frames: frames.length > 0 ? frames : [c.firstFrame, c.lastFrame],
        });
      },
    };
  },
};

/** The earlier of the two sides' first frames (null when neither has one). */
function firstOf(frames: Record<'client' | 'server', number | null>): number | null {
  const { client, server } = frames;
  if (client === null) return server;
  return server === null ? client : Math.min(client, server);
}

export default rule;
