import type { Rule } from '../src/lint/types.js';
import type { HeaderField } from '../src/http/types.js';
import type { MessageModel } from '../src/model/types.js';
import { describeMessage, framesText, messagesOf } from './lib/wire.js';

/**
 * The fields Node.js keeps only once in `message.headers` (duplicates are discarded: the list in
 * the `message.headers` documentation). Every one of them is meant to appear once.
 */
export const SINGLE_FIELDS: ReadonlySet<string> = new Set([
  'age',
  'authorization',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'proxy-authorization',
  'referer',
  'retry-after',
  'server',
  'user-agent',
]);

/** Single-instance fields that occur more than once, with their occurrences, in order of first appearance. */
export function duplicates(message: MessageModel): Array<{ name: string; fields: HeaderField[] }> {
  // Nearly every message repeats none: said without a Map per message (this runs on every message).
  if (!repeatsSingleField(message.headers)) return [];
  const byName = new Map<string, HeaderField[]>();
  for (const field of message.headers) {
    const lower = field.name.toLowerCase();
    if (!SINGLE_FIELDS.has(lower)) continue;
    const list = byName.get(lower);
    if (list === undefined) byName.set(lower, [field]);
    else list.push(field);
  }
  const found: Array<{ name: string; fields: HeaderField[] }> = [];
  for (const fields of byName.values()) {
    if (fields.length < 2) continue;
    // Different Content-Length values are a framing conflict (conflicting-framing reports them).
    if (fields[0].name.toLowerCase() === 'content-length' && new Set(fields.map((f) => f.value.trim())).size > 1) continue;
    found.push({ name: fields[0].name, fields });
  }
  return found;
}

/** Lower-case names of the single-instance fields seen so far in the message being checked. */
const seen: string[] = [];

function repeatsSingleField(headers: readonly HeaderField[]): boolean {
  let count = 0;
  for (const field of headers) {
    const lower = field.name.toLowerCase();
    if (!SINGLE_FIELDS.has(lower)) continue;
    for (let i = 0; i < count; i++) if (seen[i] === lower) return true;
    seen[count++] = lower;
  }
  return false;
}

const quoted = (value: string): string => JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);

export default {
  id: 'duplicate-header',
  severity: 'warning',
  title: 'A header field that must appear once appears several times',
  help: [
    'On the wire: a field that has a single value by definition (Host, Content-Length, Content-Type, Authorization, User-Agent, Referer, Location, …) occurs more than once in one message. Different hops may pick different instances: a cache or proxy routes on one Host, the application reads another.',
    "A Node.js server or client keeps the first occurrence in `message.headers` and discards the rest (unless `joinDuplicateHeaders` is set); all of them are in `message.rawHeaders` and `message.headersDistinct`. Repeated `Content-Length` fields, even equal ones, make Node's parser reject the message (`Parse Error: Duplicate Content-Length`, code `HPE_UNEXPECTED_CONTENT_LENGTH`: 400 on a server). curl sends and accepts duplicates as they are.",
    "Node.js cause: `setHeader('Host', …)` plus the one Node adds is not possible (setHeader replaces), so duplicates come from `rawHeaders` arrays passed to `writeHead`, a proxy appending a field the client already sent, or a hand-written request (a Host-header injection test).",
    'Fix: send each of these fields once; a proxy must replace, not append, Host and the framing headers.',
  ].join('\n\n'),
  docs: 'https://nodejs.org/docs/latest-v20.x/api/http.html#messageheaders',
  create(context) {
    return {
      exchange(exchange) {
        for (const message of messagesOf(exchange)) {
          for (const { name, fields } of duplicates(message)) {
            context.report({
              message: `${describeMessage(message)} has ${name} ${fields.length} times: ${fields.map((f) => `${quoted(f.value)} at offset ${f.offset}`).join(', ')} (${framesText(message.packing.headerFrames)}); Node keeps ${quoted(fields[0].value)}`,
              connection: exchange.connection,
              exchange: exchange.index,
              frames: message.packing.headerFrames,
            });
          }
        }
      },
    };
  },
} satisfies Rule;
