import type { ConnectionModel, ExchangeModel } from '../src/model/types.js';
import { plural } from '../src/text/plural.js';
import type { StreamGapRecord } from '../src/tcp/connection.js';
import type { Rule } from '../src/lint/types.js';

const CAUSES: Record<NonNullable<StreamGapRecord['cause']>, string> = {
  'acked-unseen': 'acknowledged by the peer but never captured',
  'buffer-limit': 'dropped when the out-of-order buffer was full',
  close: 'still missing when the connection closed',
  'end-of-capture': 'still missing when the capture ended',
  truncated: 'cut by the snap length',
};

function describe(g: StreamGapRecord): string {
  const size = g.length === 'unknown' ? 'an unknown number of bytes' : `${g.length} B`;
  const why = g.cause !== undefined ? `, ${CAUSES[g.cause]}` : '';
  return `${size} of the ${g.direction}'s stream at offset ${g.offset} (before frame ${g.frameAfter}${why})`;
}

/** `; whole messages lost in them: 2 requests, 1 response (their exchanges say "not captured")`. */
function lostText(counts: { request: number; response: number } | undefined): string {
  if (counts === undefined) return '';
  const parts = [counts.request > 0 && plural(counts.request, 'request'), counts.response > 0 && plural(counts.response, 'response')].filter(Boolean);
  return `; whole messages lost in them: ${parts.join(', ')} (their exchanges say "not captured")`;
}

const rule: Rule = {
  id: 'capture-gap',
  severity: 'warning',
  title: 'Bytes missing from a TCP stream: the capture lost packets',
  help: [
    'On the wire: the receiver acknowledged bytes that are not in the capture (or the stream ended with a hole in it). The packets were on the wire, but the capture did not record them — capture buffer overrun, a busy capture host, or capturing on an interface that did not see every packet.',
    'What it means: this is a fault of the capture, not of the peers (they got the bytes, as their ACKs show). HTTP analysis after the gap is approximate: a message that spans it is marked incomplete, and its length checks cannot be trusted. A message lost whole is named in its exchange (`request not captured` / `response not captured`) and the responses and requests around it are still paired as sent: a response with its request lost is not an unmatched-response, a request whose answer was lost is not a no-response, and the next request is not pipelining. Do not base a verdict about the application on the affected messages.',
    'Fix: capture again with a bigger buffer (`tcpdump -B 16384`), write straight to a file (`-w`) without name resolution (`-n`), filter to the traffic you need (e.g. `tcp port 3000`), and capture on the host of one of the peers.',
  ].join('\n\n'),
  docs: 'https://www.tcpdump.org/manpages/tcpdump.1.html',
  create(context) {
    // Whole messages lost in the gaps, per open connection (most connections have none: no entry).
    const lost = new Map<number, { request: number; response: number }>();
    return {
      exchange(x: ExchangeModel) {
        if (x.lost === null) return;
        const counts = lost.get(x.connection) ?? { request: 0, response: 0 };
        counts[x.lost.message]++;
        lost.set(x.connection, counts);
      },
      connection(c: ConnectionModel) {
        const messages = lost.get(c.id);
        lost.delete(c.id);
        if (c.gaps.length === 0) return;
        const known = c.gaps.reduce((sum, g) => sum + (g.length === 'unknown' ? 0 : g.length), 0);
        const unknown = c.gaps.some((g) => g.length === 'unknown');
        const total = `${known} B${unknown ? ' and more' : ''}`;
        const first = describe(c.gaps[0]);
        const more = c.gaps.length > 1 ? `; first: ${first}` : `: ${first}`;
        context.report({
          message: `connection ${c.id} (${c.client} → ${c.server}) is missing ${total} in ${c.gaps.length} gap${c.gaps.length === 1 ? '' : 's'}${more}${lostText(messages)}`,
          connection: c.id,
          exchange: null,
          frames: c.gaps.map((g) => g.frameAfter),
        });
      },
    };
  },
};

export default rule;
