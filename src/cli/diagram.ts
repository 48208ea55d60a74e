/**
 * `wirelens diagram FILE --conn ID [--format text|mermaid] [--width N]`: one connection's TCP
 * segments as a ladder (report/ladder.ts) or a Mermaid sequence diagram (report/mermaid.ts).
 * Memory stays bounded by that connection: only its segments and exchanges are kept.
 */
import { analyse } from '../analysis/analysis.js';
import { SegmentLog } from '../model/segment-log.js';
import { labelSegments } from '../model/segments.js';
import type { ConnectionModel, ExchangeModel } from '../model/types.js';
import { renderLadder, MIN_WIDTH } from '../report/ladder.js';
import { renderMermaid } from '../report/mermaid.js';
import { parseCommandArgs } from './args.js';
import { finishRun, textIo, type Io } from './io.js';
import { diagramSpec } from './specs.js';
import { ExitCode, UsageError } from './usage-error.js';

const DEFAULT_WIDTH = 80;

interface DiagramOptions {
  file: string;
  connId: number;
  format: 'text' | 'mermaid';
  width: number;
}

export async function runDiagram(args: string[], io: Io): Promise<number> {
  const options = parseDiagramArgs(args);
  const log = new SegmentLog({ keep: (id) => id === options.connId });
  const exchanges: ExchangeModel[] = [];
  let connection: ConnectionModel | null = null;
  const summary = await analyse(options.file, {}, log, {
    exchange: (x) => {
      if (x.connection === options.connId) exchanges.push(x);
    },
    connectionClosed: (c) => {
      if (c.id === options.connId) connection = c;
    },
  });
  const found = connection as ConnectionModel | null;
  if (found !== null) {
    const rows = labelSegments(log.forConnection(found.id), exchanges);
    const out = textIo(io).out;
    if (options.format === 'mermaid') out(renderMermaid(found, rows));
    else out(`${heading(found, rows.length)}\n${renderLadder(rows, { width: options.width }).join('\n')}\n`);
  }
  const damaged = finishRun(summary, io) !== ExitCode.OK;
  // An unreadable input already said what is wrong: "no connection 1" would only mislead.
  if (found === null && !(damaged && summary.frames === 0)) {
    io.err(`wirelens: ${summary.file}: no connection ${options.connId} (${existing(summary.connections)}; see \`wirelens conns ${summary.file}\`)\n`);
    return ExitCode.BAD_INPUT;
  }
  return damaged ? ExitCode.BAD_INPUT : ExitCode.OK;
}

function heading(c: ConnectionModel, segments: number): string {
  return `connection ${c.id}: client ${c.client} → server ${c.server}, ${segments} segment${segments === 1 ? '' : 's'}, ${c.exchanges ?? 0} exchange${c.exchanges === 1 ? '' : 's'}`;
}

/** The ids that exist: connection ids are always 1…count. */
function existing(count: number): string {
  if (count === 0) return 'the capture has no TCP connections';
  return count === 1 ? 'the only connection is 1' : `connections are 1-${count}`;
}

function parseDiagramArgs(args: string[]): DiagramOptions {
  const { values, positionals } = parseCommandArgs(diagramSpec, args);
  const connId = Number(values.conn);
  if (values.conn === undefined || !Number.isInteger(connId) || connId < 1) {
    throw new UsageError('diagram needs --conn ID, a connection id from `wirelens conns` (1, 2, …)');
  }
  const format = values.format as DiagramOptions['format'];
  if (format !== 'text' && format !== 'mermaid') throw new UsageError(`--format must be text or mermaid, not '${values.format}'`);
  const width = values.width === undefined ? DEFAULT_WIDTH : Number(values.width);
  if (!Number.isInteger(width) || width < MIN_WIDTH) throw new UsageError(`--width must be a whole number of columns, at least ${MIN_WIDTH}, not '${values.width}'`);
  if (format === 'mermaid' && values.width !== undefined) throw new UsageError('--width is for the text ladder; a Mermaid diagram has no width');
  return { file: positionals[0], connId, format, width };
}
