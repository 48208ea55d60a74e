import { parseArgs } from 'node:util';
import { ModelBuilder, DEFAULT_BODY_LIMIT } from '../model/builder.js';
import { SCHEMA_VERSION, type ConnectionModel } from '../model/types.js';
import { formatConnection } from '../report/text.js';
import { reportCaptureError, type Io } from './io.js';
import { analyseTcp } from './pipeline.js';
import { ExitCode, UsageError } from './usage-error.js';
import { STDIN_NAME } from '../capture/source.js';

export const reportHelp = `wirelens report FILE [--json] [--bodies] [--body-limit BYTES]
  Every connection's handshake and teardown, then each HTTP exchange: request → status, sizes,
  timing, reuse, header/body packing, framing, deviations, and the frames behind each.
  --json              the model as JSON (schemaVersion ${SCHEMA_VERSION}; see README "report --json")
  --bodies            include message bodies (decoded from gzip/deflate/br; text or base64)
  --body-limit BYTES  body bytes kept per message (default ${DEFAULT_BODY_LIMIT})`;

export async function runReport(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      bodies: { type: 'boolean', default: false },
      'body-limit': { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('report takes exactly one capture file (or - for stdin)');
  const file = positionals[0];
  const bodyLimit = parseBodyLimit(values['body-limit'], values.bodies ?? false);
  const json = values.json ?? false;

  let captureStart: number | null = null;
  let connections = 0;
  let exchanges = 0;
  // The capture-point caveat is the same for every connection of a loopback capture: say it once.
  let lastNote: string | null = null;
  if (json) io.out(`{"schemaVersion":${SCHEMA_VERSION},"file":${JSON.stringify(file === '-' ? STDIN_NAME : file)},"connections":[`);
  const builder = new ModelBuilder({
    bodyLimit,
    bodies: values.bodies ?? false,
    onConnection: (conn: ConnectionModel) => {
      if (json) {
        // Two writes rather than one concatenation: the connection's JSON can be megabytes.
        io.out(connections ? ',\n' : '\n');
        io.out(JSON.stringify(conn));
      }
      else {
        const note = conn.capturePoint.note;
        io.out(`${connections ? '\n' : ''}${formatConnection(conn, captureStart ?? conn.startTime, note !== lastNote)}`);
        if (note) lastNote = note;
      }
      connections++;
      exchanges += conn.exchanges.length;
    },
  });
  const { read, firstTime, lastTime } = await analyseTcp(file, builder.trackerOptions(), {
    afterFrame: (time) => {
      if (captureStart === null) captureStart = time;
      builder.tick(time);
    },
  });
  builder.finish();

  if (json) {
    const error = read.error ? { code: read.error.code, offset: read.error.offset, message: read.error.message } : null;
    io.out(`\n],"format":${JSON.stringify(read.stats.format)},"frames":${read.stats.frames},"firstTime":${firstTime},"lastTime":${lastTime},"error":${JSON.stringify(error)}}\n`);
  } else {
    io.out(`\n${read.stats.frames} frames, ${connections} TCP connection${connections === 1 ? '' : 's'}, ${exchanges} HTTP exchange${exchanges === 1 ? '' : 's'}\n`);
  }
  return reportCaptureError(read.error, io) ? ExitCode.BAD_INPUT : ExitCode.OK;
}

/**
 * Body bytes to keep per message. Bodies are shown only with --bodies (text and JSON alike), so
 * without it none are kept: a long keep-alive connection would otherwise hold 64 KiB per exchange
 * until it closes, for nothing.
 */
export function parseBodyLimit(text: string | undefined, bodies: boolean): number {
  if (text === undefined) return bodies ? DEFAULT_BODY_LIMIT : 0;
  // Digits only: Number('') is 0 and Number('0x10') is 16, neither is what the user meant.
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`--body-limit must be a whole number of bytes, not '${text}'`);
  return n;
}
