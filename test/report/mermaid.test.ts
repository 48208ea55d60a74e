/**
 * renderMermaid: a sequenceDiagram Mermaid accepts. The statements are checked against the
 * sequenceDiagram grammar as documented (participant … as …, A->>B: text, A-->>B: text,
 * Note left of/right of/over …: text); the output of every scenario capture was also parsed by
 * mermaid.parse() (mermaid 11.17, headless with jsdom), which is not a dependency of wirelens.
 */
import { describe, expect, it } from 'vitest';
import { escapeMermaid, renderMermaid } from '../../src/report/mermaid.js';
import type { SegmentRow } from '../../src/model/segments.js';
import { capture, realCaptures } from '../helpers/captures.js';
import { labelledConnections, outOfOrderCapture } from '../helpers/segments.js';

const STATEMENT = /^ {2}(participant [CS] as (client|server) \S.*|[CS]-?->>[CS]: \S.*|Note (left of C|right of S|over C,S): \S.*)$/;

/** What Mermaid would read as syntax inside a statement's text: `;`, a `#` not starting an entity code, `<`, `>`, `%`. */
function hasUnescaped(text: string): boolean {
  return /[;<>%]/.test(text.replace(/#\d+;/g, '')) || /#(?!\d+;)/.test(text);
}

async function diagrams(file: string): Promise<Map<number, string>> {
  const { rows, connections } = await labelledConnections(file);
  return new Map(connections.map((c) => [c.id, renderMermaid(c, rows.get(c.id) ?? [])]));
}

describe('renderMermaid', () => {
  it('draws the keep-alive reuse race with participants, arrows, times, frames and notes', async () => {
    const text = (await diagrams(capture('19-keepalive-reuse-race.pcapng'))).get(1)!;
    expect(text.split('\n')).toEqual([
      'sequenceDiagram',
      '  participant C as client 127.0.0.1:35278',
      '  participant S as server 127.0.0.1:5119',
      '  C->>S: SYN · 0µs · frame 1',
      '  S->>C: SYN-ACK · 21µs · frame 2',
      '  C->>S: ACK · 42µs · frame 3',
      '  C->>S: req 1 headers · 1.8ms · frame 4',
      '  S->>C: ACK · 1.8ms · frame 5',
      '  S->>C: resp 1 headers+body 15 B · 4.3ms · frame 6',
      '  C->>S: ACK · 4.3ms · frame 7',
      '  Note over C,S: 2.004s idle',
      '  S->>C: FIN · 2.009s · frame 8',
      '  Note right of S: server closed its side (FIN)',
      '  C->>S: ACK · 2.050s · frame 9',
      '  C->>S: req 2 headers · 2.110s · frame 10',
      '  S->>C: RST · 2.110s · frame 11',
      '  Note right of S: server reset the connection (RST)',
      '',
    ]);
  });

  it('notes an interim response, dots a retransmission and marks out-of-order data', async () => {
    const hints = (await diagrams(capture('18-expect-100-continue.pcapng'))).get(1)!.split('\n');
    expect(hints).toContain('  S->>C: 1xx 1 headers · 3.8ms · frame 6');
    expect(hints[hints.indexOf('  S->>C: 1xx 1 headers · 3.8ms · frame 6') + 1]).toBe('  Note right of S: interim response (1xx) to request 1');
    const synthetic = (await diagrams(outOfOrderCapture())).get(1)!.split('\n');
    expect(synthetic).toContain('  S->>C: resp 1 body 5 B (out of order) · 5.0ms · frame 6');
    expect(synthetic).toContain('  S-->>C: retransmission · 206.0ms · frame 8');
  });

  it('writes only statements of the sequenceDiagram grammar, with nothing left unescaped, for every scenario capture', async () => {
    for (const name of realCaptures()) {
      for (const [id, text] of await diagrams(capture(name))) {
        const [first, ...statements] = text.trimEnd().split('\n');
        expect(first, `${name} ${id}`).toBe('sequenceDiagram');
        for (const line of statements) {
          expect(line, `${name} ${id}`).toMatch(STATEMENT);
          const text = line.startsWith('  participant') ? line : line.slice(line.indexOf(': ') + 2);
          expect(hasUnescaped(text), line).toBe(false);
        }
      }
    }
  });

  it('escapes what Mermaid reads as syntax as entity codes, and never breaks a line', () => {
    expect(escapeMermaid('a;b #1 <br> 100% x\r\ny')).toBe('a#59;b #35;1 #60;br#62; 100#37; x  y');
    const rows: SegmentRow[] = [
      { connection: 1, frame: 1, time: 0, direction: 'client', flags: 24, seq: 1, ack: 1, length: 3, fileOffset: 0, kind: 'in-order', label: 'req 1; #x', exchange: 1, message: 'request' },
    ];
    expect(renderMermaid({ id: 1, client: '[2001:db8::1]:5000', server: 'h;#:80' }, rows)).toBe(
      'sequenceDiagram\n  participant C as client [2001:db8::1]:5000\n  participant S as server h#59;#35;:80\n  C->>S: req 1#59; #35;x · 0µs · frame 1\n',
    );
  });
});
