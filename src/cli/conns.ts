import { analyse, sourceName } from '../analysis/analysis.js';
import { ConnsJsonWriter, ConnsTableWriter } from '../report/conns.js';
import { parseCommandArgs } from './args.js';
import { finishRun, textIo, type Io } from './io.js';
import { connsSpec } from './specs.js';

export async function runConns(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(connsSpec, args);
  const file = positionals[0];
  const renderer = values.json ? new ConnsJsonWriter((s) => io.out(s), sourceName(file)) : new ConnsTableWriter(textIo(io).out);
  const summary = await analyse(file, { inspect: 'tcp' }, renderer);
  return finishRun(summary, io);
}
