/**
 * bodyView(): the kept body bytes decoded for display (gzip, deflate in both wrappings, br), text
 * when the type (or the bytes) say text, base64 otherwise.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/http/types.js';
import { bodyView } from '../../src/model/body.js';

/** A response whose kept body is `kept`, of `actual` body bytes on the wire. */
function message(headers: Array<[string, string]>, kept: Uint8Array | null, actual = kept?.length ?? 0): Message {
  return {
    kind: 'response',
    direction: 'server',
    index: 1,
    startLine: 'HTTP/1.1 200 OK',
    status: 200,
    reason: 'OK',
    version: 'HTTP/1.1',
    headers: headers.map(([name, value], i) => ({ name, value, offset: 17 + i * 20 })),
    headSize: 100,
    framing: { kind: 'content-length', reason: 'content-length', declared: actual, actualBodyBytes: actual },
    ...(kept ? { bodyPrefix: kept } : {}),
    offsets: { headStart: 0, headEnd: 100, bodyEnd: 100 + actual },
    headerFrames: [6],
    bodyFrames: [6],
    firstFrame: 6,
    lastFrame: 6,
    times: { start: 1, headersEnd: 1, end: 1 },
    complete: true,
    deviations: [],
  };
}

const TEXT = '<!doctype html><p>hello, wirelens — ünïcödé</p>\n'.repeat(20);
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('bodyView', () => {
  it('no body bytes kept → undefined', () => {
    expect(bodyView(message([['Content-Type', 'text/plain']], null))).toBeUndefined();
    expect(bodyView(message([['Content-Type', 'text/plain']], new Uint8Array(0)))).toBeUndefined();
  });

  it('plain text/html: text as is, kept = bytes', () => {
    const raw = utf8(TEXT);
    expect(bodyView(message([['Content-Type', 'text/html; charset=utf-8']], raw))).toEqual({
      kept: raw.length,
      truncated: false,
      contentType: 'text/html; charset=utf-8',
      decodedFrom: null,
      text: TEXT,
      base64: null,
    });
  });

  it('gzip (and x-gzip) decoded for display; kept counts the compressed bytes', () => {
    const gz = new Uint8Array(gzipSync(TEXT));
    for (const coding of ['gzip', 'x-gzip', ' GZIP ']) {
      expect(bodyView(message([['Content-Type', 'text/html'], ['Content-Encoding', coding]], gz))).toEqual({
        kept: gz.length,
        truncated: false,
        contentType: 'text/html',
        decodedFrom: coding.trim().toLowerCase(),
        text: TEXT,
        base64: null,
      });
    }
  });

  it('deflate: zlib-wrapped (RFC 9110) and raw deflate (what some servers send) both decode', () => {
    const zlibWrapped = new Uint8Array(deflateSync(TEXT));
    const raw = new Uint8Array(deflateRawSync(TEXT));
    expect(zlibWrapped[0]).toBe(0x78); // the zlib header: the two are really different inputs
    for (const bytes of [zlibWrapped, raw]) {
      const view = bodyView(message([['Content-Type', 'text/html'], ['Content-Encoding', 'deflate']], bytes));
      expect(view).toMatchObject({ decodedFrom: 'deflate', text: TEXT, kept: bytes.length, base64: null });
    }
  });

  it('br decoded', () => {
    const br = new Uint8Array(brotliCompressSync(TEXT));
    expect(bodyView(message([['Content-Type', 'text/html'], ['Content-Encoding', 'br']], br))).toMatchObject({
      decodedFrom: 'br',
      text: TEXT,
      kept: br.length,
      truncated: false,
    });
  });

  it('a truncated gzip prefix (--body-limit) still decodes as far as it goes', () => {
    // 200 SHA-256 hex lines: 13 000 bytes that gzip only to about half, so a 2000-byte prefix
    // holds whole deflate blocks' worth of output.
    const original = Array.from({ length: 200 }, (_, i) => createHash('sha256').update(String(i)).digest('hex')).join('\n');
    const gz = new Uint8Array(gzipSync(original));
    expect(gz.length).toBeGreaterThan(4000);
    const view = bodyView(message([['Content-Type', 'text/plain'], ['Content-Encoding', 'gzip']], gz.subarray(0, 2000), gz.length));
    expect(view).toMatchObject({ kept: 2000, truncated: true, decodedFrom: 'gzip', base64: null });
    const text = view?.text as string;
    expect(text.length).toBeGreaterThan(2000);
    expect(text.length).toBeLessThan(original.length);
    expect(text).toBe(original.slice(0, text.length));
  });

  it('a truncated br prefix decodes partially too', () => {
    const original = Array.from({ length: 200 }, (_, i) => createHash('sha256').update(`b${i}`).digest('hex')).join('\n');
    const br = new Uint8Array(brotliCompressSync(original));
    const view = bodyView(message([['Content-Type', 'text/plain'], ['Content-Encoding', 'br']], br.subarray(0, 2000), br.length));
    const text = view?.text as string;
    expect(view).toMatchObject({ kept: 2000, truncated: true, decodedFrom: 'br' });
    expect(text.length).toBeGreaterThan(1000);
    expect(text).toBe(original.slice(0, text.length));
  });

  it('binary content type → base64 of the raw bytes, no text', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x01]);
    expect(bodyView(message([['Content-Type', 'image/png']], png))).toEqual({
      kept: 10,
      truncated: false,
      contentType: 'image/png',
      decodedFrom: null,
      text: null,
      base64: 'iVBORw0KGgoAAQ==',
    });
  });

  it('no content type: printable bytes are text, control bytes make it base64', () => {
    expect(bodyView(message([], utf8('plain\twords\r\n')))).toMatchObject({ contentType: null, text: 'plain\twords\r\n', base64: null });
    expect(bodyView(message([], Uint8Array.from([0x41, 0x00, 0x42])))).toMatchObject({ contentType: null, text: null, base64: 'QQBC' });
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'application/problem+json', 'application/vnd.api+json', 'application/xml', 'application/x-www-form-urlencoded', 'text/csv'])(
    '%s → text',
    (type) => {
      expect(bodyView(message([['Content-Type', type]], utf8('{"id":1,"name":"ü"}')))?.text).toBe('{"id":1,"name":"ü"}');
    },
  );

  it('gzip-encoded JSON → decoded text', () => {
    const json = JSON.stringify({ items: Array.from({ length: 30 }, (_, i) => ({ i })) });
    const gz = new Uint8Array(gzipSync(json));
    expect(bodyView(message([['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']], gz))).toMatchObject({ decodedFrom: 'gzip', text: json });
  });

  it('Content-Encoding identity is no encoding', () => {
    expect(bodyView(message([['Content-Type', 'text/plain'], ['Content-Encoding', 'identity']], utf8('hi')))).toMatchObject({ decodedFrom: null, text: 'hi', base64: null });
  });

  it('bytes that do not decode under their Content-Encoding are base64, not mojibake text', () => {
    // Bug fixed: a corrupt gzip body with a text type used to be shown as UTF-8 of the compressed bytes.
    const bogus = Uint8Array.from([0x1f, 0x8b, 0x99, 0xff, 0x00, 0x10]);
    expect(bodyView(message([['Content-Type', 'text/html'], ['Content-Encoding', 'gzip']], bogus))).toEqual({
      kept: 6,
      truncated: false,
      contentType: 'text/html',
      decodedFrom: null,
      text: null,
      base64: 'H4uZ/wAQ',
    });
    // A coding we do not undo (compress, or a list of codings) is treated the same way.
    const view = bodyView(message([['Content-Type', 'text/plain'], ['Content-Encoding', 'gzip, br']], utf8('abc')));
    expect(view).toMatchObject({ decodedFrom: null, text: null, base64: 'YWJj' });
  });

  it('truncated compares the kept bytes with the body bytes on the wire', () => {
    expect(bodyView(message([['Content-Type', 'text/plain']], utf8('0123'), 10))).toMatchObject({ kept: 4, truncated: true, text: '0123' });
  });
});
