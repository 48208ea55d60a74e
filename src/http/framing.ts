/**
 * Body framing: ONE function that decides how a message's body is delimited, in the order of
 * RFC 9112 §6.3 "Message Body Length". The parser calls it once per message, at the end of the
 * header section; everything it cannot know itself (the request method a response answers) comes
 * in `FramingInput`.
 */
import { isField } from './headers.js';
import { DEVIATION, type DeviationCode, type FramingKind, type FramingReason, type HeaderField, type MessageKind } from './types.js';

export interface FramingInput {
  kind: MessageKind;
  /** Responses: the status code (undefined when the status line was unreadable). */
  status?: number;
  /** Responses: the method of the request this response answers; null when unknown / unmatched. */
  requestMethod: string | null;
  headers: readonly HeaderField[];
}

/** A framing problem, located at the field line that caused it. */
export interface FramingIssue {
  code: DeviationCode;
  offset: number;
  message: string;
}

export interface FramingDecision {
  kind: FramingKind;
  reason: FramingReason;
  /** The Content-Length (kind 'content-length' only). */
  declared?: number;
  issues: FramingIssue[];
}

/** Content-Length fields read together: a value, or why there is none. */
export type ContentLengthReading =
  | { state: 'absent' }
  | { state: 'valid'; value: number; issues: FramingIssue[] }
  | { state: 'invalid'; issues: FramingIssue[] };

/** Longest digit string accepted: 15 digits stays below Number.MAX_SAFE_INTEGER. */
const MAX_LENGTH_DIGITS = 15;

/**
 * All Content-Length fields of a header section (RFC 9110 §8.6). Each field may hold a list
 * (`42, 42`); all elements must be 1*DIGIT. Equal values are accepted as one (recorded), different
 * ones are a conflict.
 */
export function readContentLength(headers: readonly HeaderField[]): ContentLengthReading {
  // Nearly every message: no Content-Length, or one whose value is plain digits. Said without the
  // arrays, split and regular expressions of the general reading below (this runs for every message).
  let only: HeaderField | null = null;
  let count = 0;
  for (const field of headers) {
    if (!isField(field.name, 'content-length')) continue;
    only = field;
    count++;
  }
  if (count === 0) return ABSENT;
  if (count === 1) {
    const value = plainLength((only as HeaderField).value);
    if (value !== null) return { state: 'valid', value, issues: [] };
  }
  return readContentLengthFields(headers);
}

const ABSENT: ContentLengthReading = { state: 'absent' };

/** 1 to MAX_LENGTH_DIGITS decimal digits and nothing else: their value; null otherwise. */
function plainLength(text: string): number | null {
  if (text.length === 0 || text.length > MAX_LENGTH_DIGITS) return null;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return null;
    value = value * 10 + d;
  }
  return value;
}

/** The general reading: list elements, invalid values, repeated and conflicting lengths. */
function readContentLengthFields(headers: readonly HeaderField[]): ContentLengthReading {
  const values: Array<{ value: number; offset: number }> = [];
  const issues: FramingIssue[] = [];
  let present = false;
  for (const field of headers) {
    if (!isField(field.name, 'content-length')) continue;
    present = true;
    for (const element of field.value.split(',')) {
      const text = element.trim();
      if (!/^[0-9]+$/.test(text) || text.replace(/^0+(?=.)/, '').length > MAX_LENGTH_DIGITS) {
        issues.push({
          code: DEVIATION.INVALID_CONTENT_LENGTH,
          offset: field.offset,
          message: `Content-Length ${JSON.stringify(field.value)} is not a decimal length`,
        });
      } else {
        values.push({ value: Number(text), offset: field.offset });
      }
    }
  }
  if (!present) return { state: 'absent' };
  if (issues.length > 0) return { state: 'invalid', issues };
  const first = values[0];
  const other = values.find((v) => v.value !== first.value);
  if (other !== undefined) {
    issues.push({
      code: DEVIATION.CONFLICTING_CONTENT_LENGTH,
      offset: other.offset,
      message: `Content-Length values ${first.value} and ${other.value} differ`,
    });
    return { state: 'invalid', issues };
  }
  if (values.length > 1) {
    issues.push({
      code: DEVIATION.MULTIPLE_CONTENT_LENGTH,
      offset: values[1].offset,
      message: `Content-Length ${first.value} is given ${values.length} times`,
    });
  }
  return { state: 'valid', value: first.value, issues };
}

/** The transfer codings of all Transfer-Encoding fields, lower-cased, in order (parameters dropped). */
export function readTransferCodings(headers: readonly HeaderField[]): { codings: string[]; offset: number } | null {
  let codings: string[] | null = null;
  let offset = 0;
  for (const field of headers) {
    if (!isField(field.name, 'transfer-encoding')) continue;
    if (codings === null) {
      codings = [];
      offset = field.offset;
    }
    for (const element of field.value.split(',')) {
      const coding = element.split(';')[0].trim().toLowerCase();
      if (coding !== '') codings.push(coding);
    }
  }
  return codings === null ? null : { codings, offset };
}

/**
 * RFC 9112 §6.3, in order:
 *  1. "Any response to a HEAD request and any response with a 1xx (Informational), 204 (No
 *     Content), or 304 (Not Modified) status code is always terminated by the first empty line
 *     after the header fields … and thus cannot contain a message body or trailer section."
 *     (101 is the exception of ¶2's kind: the connection becomes another protocol.)
 *  2. "Any 2xx (Successful) response to a CONNECT request implies that the connection will become
 *     a tunnel immediately after the empty line that concludes the header fields."
 *  3. "If a message is received with both a Transfer-Encoding and a Content-Length header field,
 *     the Transfer-Encoding overrides the Content-Length. Such a message might indicate an attempt
 *     to perform request smuggling … or response splitting … and ought to be handled as an error."
 *  4. "If a Transfer-Encoding header field is present and the chunked transfer coding is the final
 *     encoding, the message body length is determined by reading and decoding the chunked data …
 *     If … in a response and the chunked transfer coding is not the final encoding, the message
 *     body length is determined by reading the connection until it is closed by the server. If
 *     … in a request and the chunked transfer coding is not the final encoding, the message body
 *     length cannot be determined reliably; the server MUST respond with the 400 (Bad Request)."
 *  5. "If a message is received without Transfer-Encoding and with an invalid Content-Length
 *     header field, then the message framing is invalid and the recipient MUST treat it as an
 *     unrecoverable error."
 *  6. "If a valid Content-Length header field is present without Transfer-Encoding, its decimal
 *     value defines the expected message body length in octets."
 *  7. "If this is a request message and none of the above are true, then the message body length
 *     is zero (no message body is present)."
 *  8. "Otherwise, this is a response message without a declared message body length, so the
 *     message body length is determined by the number of octets received prior to the server
 *     closing the connection."
 * Content-Length syntax problems are recorded whenever the field is present (they are header
 * facts), Transfer-Encoding problems only where the field is consulted.
 */
export function decideFraming(input: FramingInput): FramingDecision {
  const length = readContentLength(input.headers);
  const issues: FramingIssue[] = length.state === 'absent' ? [] : [...length.issues];
  const done = (kind: FramingKind, reason: FramingReason, declared?: number): FramingDecision =>
    declared === undefined ? { kind, reason, issues } : { kind, reason, declared, issues };

  if (input.kind === 'response') {
    const status = input.status;
    const method = input.requestMethod;
    // ¶1 (and ¶2 for 101)
    if (method === 'HEAD') return done('none', 'head-response');
    if (status !== undefined && status >= 100 && status < 200) {
      return status === 101 ? done('tunnel', 'switching-protocols') : done('none', 'informational');
    }
    if (status === 204) return done('none', 'no-content');
    if (status === 304) return done('none', 'not-modified');
    // ¶2
    if (method === 'CONNECT' && status !== undefined && status >= 200 && status < 300) {
      return done('tunnel', 'connect-tunnel');
    }
  }

  // ¶3, ¶4
  const te = readTransferCodings(input.headers);
  if (te !== null) {
    if (length.state !== 'absent') {
      issues.push({
        code: DEVIATION.CONTENT_LENGTH_WITH_TRANSFER_ENCODING,
        offset: te.offset,
        message: 'Content-Length and Transfer-Encoding together; Transfer-Encoding wins',
      });
    }
    if (te.codings[te.codings.length - 1] === 'chunked') return done('chunked', 'chunked');
    if (input.kind === 'response') return done('close', 'transfer-encoding-not-chunked');
    issues.push({
      code: DEVIATION.INVALID_TRANSFER_ENCODING,
      offset: te.offset,
      message: `request Transfer-Encoding "${te.codings.join(', ')}" does not end in chunked`,
    });
    return done('invalid', 'invalid-transfer-encoding');
  }

  // ¶5, ¶6
  if (length.state === 'invalid') return done('invalid', 'invalid-content-length');
  if (length.state === 'valid') return done('content-length', 'content-length', length.value);

  // ¶7, ¶8
  return input.kind === 'request' ? done('none', 'request-without-length') : done('close', 'response-without-length');
}
