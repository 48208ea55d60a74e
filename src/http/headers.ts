/**
 * Header-field helpers, the one home of the RFC 9110 rules every stage asks about fields: the
 * token alphabet (tchar), case-insensitive field-name comparison, field lookup, the `Connection`
 * options and the `Keep-Alive` parameters. Pure functions over parsed HeaderFields and bytes.
 */
import type { HeaderField } from './types.js';

/** tchar (RFC 9110 §5.6.2) by byte value: 1 for "!#$%&'*+-.^_`|~", DIGIT and ALPHA, else 0. */
export const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let b = 0x30; b <= 0x39; b++) TCHAR[b] = 1;
for (let b = 0x41; b <= 0x5a; b++) TCHAR[b] = 1;
for (let b = 0x61; b <= 0x7a; b++) TCHAR[b] = 1;

/** Whether byte `c` is a tchar (RFC 9110 §5.6.2). */
export function isTchar(c: number): boolean {
  return TCHAR[c] === 1;
}

/** token = 1*tchar (RFC 9110 §5.6.2): a method, a field name, a transfer coding. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Whether `text` is a token: one or more tchars, nothing else. */
export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

/**
 * Whether a field name equals `lower` (an all-lower-case name) ignoring ASCII case (field names
 * are case-insensitive, RFC 9110 §5.1). Compares in place: lower-casing every field name for every
 * lookup allocated a string per field.
 */
export function isField(name: string, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** First value of a header field, case-insensitively (null when absent). */
export function headerValue(headers: readonly HeaderField[], name: string): string | null {
  const lower = name.toLowerCase();
  for (const field of headers) if (isField(field.name, lower)) return field.value;
  return null;
}

/** Every value of a header field, in order. */
export function headerValues(headers: readonly HeaderField[], name: string): string[] {
  const lower = name.toLowerCase();
  const values: string[] = [];
  for (const field of headers) if (isField(field.name, lower)) values.push(field.value);
  return values;
}

/** Whether any header field is named `name` (case-insensitively). */
export function hasField(headers: readonly HeaderField[], name: string): boolean {
  const lower = name.toLowerCase();
  for (const field of headers) if (isField(field.name, lower)) return true;
  return false;
}

/**
 * Whether a `Connection` field lists `option` (RFC 9110 §7.6.1: a comma-separated list of
 * tokens, case-insensitive, in any number of fields). A substring is no match: `closed` is not
 * `close`.
 */
export function hasConnectionOption(headers: readonly HeaderField[], option: string): boolean {
  const lower = option.toLowerCase();
  for (const field of headers) {
    if (!isField(field.name, 'connection')) continue;
    for (const element of field.value.split(',')) if (isField(element.trim(), lower)) return true;
  }
  return false;
}

/** Whether a message's `Connection` field lists the `close` option (null: no message, false). */
export function hasConnectionClose(message: { readonly headers: readonly HeaderField[] } | null): boolean {
  return message !== null && hasConnectionOption(message.headers, 'close');
}

/** The parameters of a `Keep-Alive` field; null where one is absent or not a number. */
export interface KeepAliveParams {
  timeout: number | null;
  max: number | null;
}

const KEEP_ALIVE_TIMEOUT = /(?:^|[,;\s])timeout\s*=\s*"?(\d+)/i;
const KEEP_ALIVE_MAX = /(?:^|[,;\s])max\s*=\s*"?(\d+)/i;

/** `Keep-Alive: timeout=5, max=100` → { timeout: 5, max: 100 } (RFC 2068 §19.7.1.1 syntax); null for no field. */
export function parseKeepAlive(value: string | null): KeepAliveParams | null {
  if (value === null) return null;
  const timeout = KEEP_ALIVE_TIMEOUT.exec(value);
  const max = KEEP_ALIVE_MAX.exec(value);
  return { timeout: timeout ? Number(timeout[1]) : null, max: max ? Number(max[1]) : null };
}
