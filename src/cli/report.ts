import { parseArgs } from 'node:util';
import { analyse, sourceName } from '../analysis/analysis.js';
import { DEFAULT_BODY_LIMIT } from '../model/builder.js';
import { SCHEMA_VERSION } from '../model/types.js';
import { JsonReportWriter } from '../report/json-report.js';
import { TextReportWriter } from '../report/text-report.js';
import { finishRun, textIo, type Io } from './io.js';
import { UsageError } from './usage-error.js';

export const reportHelp = `wirelens report FILE [--json] [--conn ID [--exchange N]] [--headers] [--bodies] [--body-limit BYTES]
  A summary, then every connection's handshake and teardown and each HTTP exchange: request →
  status, sizes, timing, reuse, header/body packing, framing, stalls, deviations, and the frames
  behind each.
  --json              records as JSON (schemaVersion ${SCHEMA_VERSION}; see README "report --json"), streamed
  --conn ID           only this connection (ids as in \`wirelens conns\`)
  --exchange N        only exchange N of that connection
  --headers           every header field (by default: framing-related and repeated fields)
  --bodies            include message bodies (decoded from gzip/deflate/br; text or base64)
  --body-limit BYTES  body bytes kept per message (default ${DEFAULT_BODY_LIMIT})`;

export async function runReport(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      conn: { type: 'string' },
      exchange: { type: 'string' },
      headers: { type: 'boolean', default: false },
      bodies: { type: 'boolean', default: false },
      'body-limit': { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('report takes exactly one capture file (or - for stdin)');
  const file = positionals[0];
  const bodies = values.bodies ?? false;
  const bodyLimit = parseBodyLimit(values['body-limit'], bodies);
  const connection = values.conn === undefined ? undefined : parseId('--conn', values.conn);
  const exchange = values.exchange === undefined ? undefined : parseId('--exchange', values.exchange);
  if (exchange !== undefined && connection === undefined) throw new UsageError('--exchange N needs --conn ID (exchange numbers restart on every connection)');

  const out = values.json ? (s: string) => io.out(s) : textIo(io).out;
  const renderer = values.json
    ? new JsonReportWriter(out, sourceName(file), (id) => connection === undefined || id === connection)
    : new TextReportWriter(out, { connection, exchange, headers: values.headers ?? false });
  const summary = await analyse(file, { bodies, bodyLimit }, renderer);
  return finishRun(summary, io);
}

/** A 1-based id given on the command line. */
export function parseId(flag: string, text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a number from 1 up, not '${text}'`);
  return n;
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
