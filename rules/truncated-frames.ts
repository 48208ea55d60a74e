import type { CaptureSummary, ConnectionModel } from '../src/model/types.js';
import type { Rule } from '../src/lint/types.js';

const rule: Rule = {
  id: 'truncated-frames',
  severity: 'warning',
  title: 'Frames captured shorter than they were on the wire (snap length)',
  help: [
    'On the wire: the capture kept only the first bytes of some frames (the snap length, `-s`), so their payload is partly missing from the file even though the peers received all of it.',
    'What it means: a fault of the capture, not of the peers. Headers or bodies in those frames are incomplete in the analysis: lengths, chunk sizes and body contents after the cut cannot be checked. Frames cut inside the IP/TCP headers cannot be attributed to a connection at all.',
    'Fix: capture again with the full snap length: `tcpdump -s 0` (the default in modern tcpdump is 262144 bytes; older versions and some tools default to 68 or 96 bytes), or `dumpcap -s 0` / Wireshark\'s "Limit each packet" unchecked.',
  ].join('\n\n'),
  docs: 'https://www.tcpdump.org/manpages/tcpdump.1.html',
  create(context) {
    return {
      connection(c: ConnectionModel) {
        if (c.truncatedFrames === 0) return;
        context.report({
          message: `${c.truncatedFrames} frame${c.truncatedFrames === 1 ? '' : 's'} of connection ${c.id} (${c.client} → ${c.server}, frames ${c.firstFrame}–${c.lastFrame}) lost payload to the snap length`,
          connection: c.id,
          exchange: null,
          // The model counts truncated frames per connection without numbering them.
          frames: [c.firstFrame, c.lastFrame],
        });
      },
      end(summary: CaptureSummary) {
        // Frames cut inside their headers never reach a connection: only the decode stats know them.
        const cut = summary.decode.truncated;
        if (cut === 0) return;
        context.report({
          message: `${cut} frame${cut === 1 ? ' was' : 's were'} cut by the snap length inside their IP/TCP headers and could not be decoded`,
          connection: null,
          exchange: null,
          frames: [],
        });
      },
    };
  },
};

export default rule;
