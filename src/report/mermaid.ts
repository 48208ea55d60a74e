/**
 * A connection's segments as a Mermaid sequence diagram (`sequenceDiagram`), for pasting into a
 * Markdown issue or a pull request (GitHub renders it): client and server as participants named
 * by their addresses, one `->>` arrow per segment labelled with what it carried, the time since
 * the first segment and the frame number; `-->>` (dotted) for retransmissions, keep-alive and
 * zero-window probes; notes for an interim (1xx) response, each side's FIN and RST, and long pauses.
 *
 * Text is escaped the way Mermaid reads it: `;` ends a statement and `#` starts an entity code,
 * so both (and `<`, `>`, `%`, which Mermaid treats as HTML and comments) are written as `#NN;`
 * entity codes; line breaks are never written inside a statement.
 */
import { IDLE_LINE_SECONDS } from './ladder.js';
import { formatDuration } from '../text/units.js';
import { SegmentFlag, type SegmentRow } from '../model/segments.js';
import type { ConnectionModel } from '../model/types.js';

export interface MermaidOptions {
  /** Time 0 (epoch seconds); default the first row's time. */
  start?: number;
}

/** The diagram's lines joined with newlines, ending with one. */
export function renderMermaid(connection: Pick<ConnectionModel, 'id' | 'client' | 'server'>, rows: readonly SegmentRow[], opts: MermaidOptions = {}): string {
  const lines = ['sequenceDiagram', `  participant C as client ${escapeMermaid(connection.client)}`, `  participant S as server ${escapeMermaid(connection.server)}`];
  const start = opts.start ?? rows[0]?.time ?? 0;
  let previous: number | null = null;
  for (const row of rows) {
    if (previous !== null && row.time - previous >= IDLE_LINE_SECONDS) lines.push(`  Note over C,S: ${escapeMermaid(`${formatDuration(row.time - previous)} idle`)}`);
    previous = row.time;
    const [from, to] = row.direction === 'client' ? ['C', 'S'] : ['S', 'C'];
    const weak = row.kind === 'retransmission' || row.kind === 'keep-alive' || row.kind === 'zero-window-probe' || row.kind === 'duplicate';
    const label = row.kind === 'out-of-order' ? `${row.label} (out of order)` : row.label;
    lines.push(`  ${from}${weak ? '-->>' : '->>'}${to}: ${escapeMermaid(`${label} · ${formatDuration(row.time - start)} · frame ${row.frame}`)}`);
    const note = noteFor(row);
    if (note !== null) lines.push(`  Note ${row.direction === 'client' ? 'left of C' : 'right of S'}: ${escapeMermaid(note)}`);
  }
  return `${lines.join('\n')}\n`;
}

function noteFor(row: SegmentRow): string | null {
  const side = row.direction;
  if ((row.flags & SegmentFlag.RST) !== 0) return `${side} reset the connection (RST)`;
  if ((row.flags & SegmentFlag.FIN) !== 0) return `${side} closed its side (FIN)`;
  if (row.message === 'interim' && row.label.includes('headers')) return `interim response (1xx) to request ${row.exchange}`;
  return null;
}

/** Characters Mermaid would read as syntax, as `#NN;` entity codes (`#` first, so codes stay intact). */
export function escapeMermaid(text: string): string {
  return text.replace(/[#;<>%\r\n]/g, (c) => (c === '\r' || c === '\n' ? ' ' : `#${c.charCodeAt(0)};`));
}
