import { connToJson, formatConnsTable } from '../report/conns.js';
import { analyseTcp } from './pipeline.js';
import { ExitCode } from './usage-error.js';
import { parseCommandArgs } from './args.js';
import { connsSpec } from './specs.js';
import { reportCaptureError, type Io } from './io.js';

export const connsHelp = `wirelens conns FILE [--json]
  List the TCP connections in a capture (FILE may be - for stdin).
  --json   machine-readable: { "frames", "connections": [...] }`;

export async function runConns(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(connsSpec, args);
  const file = positionals[0];
  const { read, tracker, firstTime } = await analyseTcp(file);
  const records = tracker.connections();
  const captureStart = firstTime ?? 0;
  const conns = records.map((c) => connToJson(c, captureStart));
  if (values.json) {
    io.out(JSON.stringify({ frames: read.stats.frames, connections: conns }, null, 2) + '\n');
  } else {
    io.out(formatConnsTable(conns, read.stats.frames));
  }
  return reportCaptureError(read.error, io) ? ExitCode.BAD_INPUT : ExitCode.OK;
}
