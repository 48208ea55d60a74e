import { parseArgs } from 'node:util';
import { connToJson, formatConnsTable } from '../report/conns.js';
import type { ConnectionRecord } from '../tcp/connection.js';
import { analyseTcp } from './pipeline.js';
import { ExitCode, UsageError } from './usage-error.js';
import { reportCaptureError, type Io } from './io.js';

export const connsHelp = `wirelens conns FILE [--json]
  List the TCP connections in a capture (FILE may be - for stdin).
  --json   machine-readable: { "frames", "connections": [...] }`;

export async function runConns(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('conns takes exactly one capture file (or - for stdin)');
  const file = positionals[0];
  const records: ConnectionRecord[] = [];
  const { read, firstTime } = await analyseTcp(file, { onConnectionFinal: (record) => records.push(record) });
  records.sort((a, b) => a.id - b.id);
  const captureStart = firstTime ?? 0;
  const conns = records.map((c) => connToJson(c, captureStart));
  if (values.json) {
    io.out(JSON.stringify({ frames: read.stats.frames, connections: conns }, null, 2) + '\n');
  } else {
    io.out(formatConnsTable(conns, read.stats.frames));
  }
  return reportCaptureError(read.error, io) ? ExitCode.BAD_INPUT : ExitCode.OK;
}
