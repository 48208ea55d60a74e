/**
 * Zeek's log definitions as wirelens writes them: each log's fields with Zeek's names and types
 * (docs.zeek.org, base/protocols/conn/main.zeek `Conn::Info` and base/protocols/http/main.zeek
 * `HTTP::Info`, Zeek 7), how a value of each type is written in Zeek's ASCII (TSV) format and in
 * its JSON format, and the uid that links the logs.
 *
 * Values: a string, number or boolean; null for unset (TSV `-`, left out of JSON, as Zeek does);
 * an array for set[…] and vector[…] fields (TSV: `,`-separated, `(empty)` when empty).
 */
import { createHash } from 'node:crypto';

export type ZeekType = 'time' | 'string' | 'addr' | 'port' | 'enum' | 'interval' | 'count' | 'bool' | 'set[string]' | 'set[enum]' | 'vector[string]' | 'vector[count]';
export type ZeekValue = string | number | boolean | null | readonly (string | number)[];

export interface ZeekLog {
  path: 'conn' | 'http' | 'wirelens';
  fields: ReadonlyArray<readonly [name: string, type: ZeekType]>;
}

const ID: ZeekLog['fields'] = [
  ['id.orig_h', 'addr'],
  ['id.orig_p', 'port'],
  ['id.resp_h', 'addr'],
  ['id.resp_p', 'port'],
];

export const CONN_LOG: ZeekLog = {
  path: 'conn',
  fields: [
    ['ts', 'time'],
    ['uid', 'string'],
    ...ID,
    ['proto', 'enum'],
    ['service', 'string'],
    ['duration', 'interval'],
    ['orig_bytes', 'count'],
    ['resp_bytes', 'count'],
    ['conn_state', 'string'],
    ['local_orig', 'bool'],
    ['local_resp', 'bool'],
    ['missed_bytes', 'count'],
    ['history', 'string'],
    ['orig_pkts', 'count'],
    ['orig_ip_bytes', 'count'],
    ['resp_pkts', 'count'],
    ['resp_ip_bytes', 'count'],
    ['tunnel_parents', 'set[string]'],
  ],
};

export const HTTP_LOG: ZeekLog = {
  path: 'http',
  fields: [
    ['ts', 'time'],
    ['uid', 'string'],
    ...ID,
    ['trans_depth', 'count'],
    ['method', 'string'],
    ['host', 'string'],
    ['uri', 'string'],
    ['referrer', 'string'],
    ['version', 'string'],
    ['user_agent', 'string'],
    ['origin', 'string'],
    ['request_body_len', 'count'],
    ['response_body_len', 'count'],
    ['status_code', 'count'],
    ['status_msg', 'string'],
    ['info_code', 'count'],
    ['info_msg', 'string'],
    ['tags', 'set[enum]'],
    ['username', 'string'],
    ['password', 'string'],
    ['proxied', 'set[string]'],
    ['orig_fuids', 'vector[string]'],
    ['orig_filenames', 'vector[string]'],
    ['orig_mime_types', 'vector[string]'],
    ['resp_fuids', 'vector[string]'],
    ['resp_filenames', 'vector[string]'],
    ['resp_mime_types', 'vector[string]'],
  ],
};

/** wirelens's own log: one line per finding, keyed by the connection's uid and the exchange's trans_depth. */
export const WIRELENS_LOG: ZeekLog = {
  path: 'wirelens',
  fields: [
    ['ts', 'time'],
    ['uid', 'string'],
    ...ID,
    ['trans_depth', 'count'],
    ['rule_id', 'string'],
    ['severity', 'enum'],
    ['frames', 'vector[count]'],
    ['message', 'string'],
  ],
};

export const ZEEK_LOGS = [CONN_LOG, HTTP_LOG, WIRELENS_LOG] as const;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A Zeek-style connection uid (`C` + base62), deterministic: 96 bits of SHA-1 over the capture's
 * name and the connection id, so the same capture always gives the same uids and two captures
 * exported into one place do not collide.
 */
export function zeekUid(file: string, connection: number): string {
  const digest = createHash('sha1').update(`${file}\0${connection}`).digest();
  let n = 0n;
  for (let i = 0; i < 12; i++) n = (n << 8n) | BigInt(digest[i]);
  let text = '';
  while (n > 0n) {
    text = BASE62[Number(n % 62n)] + text;
    n /= 62n;
  }
  return `C${text.padStart(17, '0')}`;
}

// eslint-disable-next-line no-control-regex
const TSV_UNSAFE = /[\x00-\x1f\x7f-\x9f\\]/g;

/**
 * A string as Zeek's ASCII writer escapes it: the separator, C0/C1 controls and `\` as \xHH. Other
 * characters are written as UTF-8, as Zeek does with LogAscii::enable_utf_8 (rule messages say
 * `µs` and `→`; a header's byte 0x80–0xFF is its latin1 character).
 */
function escapeTsv(text: string, inSet: boolean): string {
  let out = text.replace(TSV_UNSAFE, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (inSet) out = out.replaceAll(',', '\\x2c');
  // An empty string is written as the empty marker; a value that reads as a marker is escaped.
  if (out === '') return '(empty)';
  if (out === '-') return '\\x2d';
  if (out === '(empty)') return '\\x28empty)';
  return out;
}

export function tsvValue(value: ZeekValue, type: ZeekType): string {
  if (value === null) return '-';
  if (Array.isArray(value)) return value.length === 0 ? '(empty)' : value.map((v) => escapeTsv(String(v), true)).join(',');
  switch (type) {
    case 'time':
    case 'interval':
      return (value as number).toFixed(6);
    case 'bool':
      return value ? 'T' : 'F';
    default:
      return escapeTsv(String(value), false);
  }
}

/** One TSV line of `log` (values in the log's field order). */
export function tsvLine(log: ZeekLog, values: readonly ZeekValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i ? '\t' : '') + tsvValue(values[i], log.fields[i][1]);
  return `${line}\n`;
}

/** One JSON line of `log`, as Zeek's JSON writer gives it: unset fields left out; `extra` keys (`_path`, `_file`) first. */
export function jsonLine(log: ZeekLog, values: readonly ZeekValue[], extra: Record<string, string> | null): string {
  const record: Record<string, unknown> = extra === null ? {} : { ...extra };
  for (let i = 0; i < values.length; i++) if (values[i] !== null) record[log.fields[i][0]] = values[i];
  return `${JSON.stringify(record)}\n`;
}

/** Zeek's `#open`/`#close` time format (network time when reading a trace): YYYY-MM-DD-HH-MM-SS, UTC. */
export function zeekDate(seconds: number): string {
  const d = new Date(seconds * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}-${p(d.getUTCHours())}-${p(d.getUTCMinutes())}-${p(d.getUTCSeconds())}`;
}

/** The header lines of a TSV log. */
export function tsvHeader(log: ZeekLog, open: number): string {
  return [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    `#path\t${log.path}`,
    `#open\t${zeekDate(open)}`,
    `#fields\t${log.fields.map((f) => f[0]).join('\t')}`,
    `#types\t${log.fields.map((f) => f[1]).join('\t')}`,
    '',
  ].join('\n');
}
