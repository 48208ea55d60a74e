import { parseArgs } from 'node:util';
import { analyse, sourceName } from '../analysis/analysis.js';
import { ConnsJsonWriter, ConnsTableWriter } from '../report/conns.js';
import { finishRun, textIo, type Io } from './io.js';
import { UsageError } from './usage-error.js';

export const connsHelp = `wirelens conns FILE [--json]
  List the TCP connections in a capture (FILE may be - for stdin).
  --json   machine-readable: the same connection records as report --json, streamed`;

export async function runConns(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('conns takes exactly one capture file (or - for stdin)');
  const file = positionals[0];
  const renderer = values.json ? new ConnsJsonWriter((s) => io.out(s), sourceName(file)) : new ConnsTableWriter(textIo(io).out);
  const summary = await analyse(file, { inspect: 'tcp' }, renderer);
  return finishRun(summary, io);
}
