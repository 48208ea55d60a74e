/**
 * bodyView(): the kept body bytes decoded for display (gzip, deflate in both wrappings, br), text
 * when the type (or the bytes) say text, base64 otherwise, and a note for what the bytes do not
 * tell: the limit cut them, the prefix is too short to decode, the coding is not what the header
 * says, the capture lost some or all of them. The end-to-end tests at the bottom run synthetic
 * captures through `wirelens report --json --bodies`.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/http/types.js';
import { bodyView } from '../../src/model/body.js';
import { formatBytes } from '../../src/text/units.js';
import type { MessageModel } from '../../src/model/types.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { msg, reportJson, type NestedReport } from '../helpers/report-json.js';

/** The default --body-limit with --bodies: nothing in these tests is cut by it unless they say so. */
const LIMIT = { bodyLimit: 65536 };

/** A response whose kept body is `kept`, of `actual` body bytes counted by the framing, `missing` of them not captured. */
function message(headers: Array<[string, string]>, kept: Uint8Array | null, actual = kept?.length ?? 0, missing = 0): Message {
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
    framing: { kind: 'content-length', reason: 'content-length', declared: actual, actualBodyBytes: actual, missingBytes: missing },
    ...(kept ? { bodyPrefix: kept } : {}),
    offsets: { headStart: 0, headEnd: 100, bodyEnd: 100 + actual },
    headerFrames: [6],
    bodyFrames: [6],
    firstFrame: 6,
    lastFrame: 6,
    times: { start: 1, headersEnd: 1, end: 1 },
    complete: true,
    bodyCaptured: missing === 0 ? 'all' : missing === actual ? 'none' : 'partial',
    deviations: [],
  };
}

const TEXT = '<!doctype html><p>hello, wirelens — ünïcödé</p>\n'.repeat(20);
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

describe('bodyView', () => {
  it('no body bytes kept → undefined', () => {
    expect(bodyView(message([['Content-Type', 'text/plain']], null), LIMIT)).toBeUndefined();
    expect(bodyView(message([['Content-Type', 'text/plain']], new Uint8Array(0)), LIMIT)).toBeUndefined();
  });

  it('plain text/html: text as is, kept = bytes', () => {
    const raw = utf8(TEXT);
    expect(bodyView(message([['Content-Type', 'text/html; charset=utf-8']], raw), LIMIT)).toEqual({
      kept: raw.length,
      truncated: false,
      contentType: 'text/html; charset=utf-8',
      decodedFrom: null,
      decodedSize: null,
      text: TEXT,
      base64: null,
      note: null,
    });
  });

  it('gzip (and x-gzip) decoded for display; kept counts the compressed bytes', () => {
    const gz = new Uint8Array(gzipSync(TEXT));
    for (const coding of ['gzip', 'x-gzip', ' GZIP ']) {
      expect(bodyView(message([['Content-Type', 'text/html'], ['Content-Encoding', coding]], gz), LIMIT)).toEqual({
        kept: gz.length,
        truncated: false,
        contentType: 'text/html',
        decodedFrom: coding.trim().toLowerCase(),
        decodedSize: Buffer.byteLength(TEXT),
        text: TEXT,
        base64: null,
        note: null,
      });
    }
  });

  it('deflate: zlib-wrapped (RFC 9110) and raw deflate (what some servers send) both decode', () => {
    const zlibWrapped = new Uint8Array(deflateSync(TEXT));
    const raw = new Uint8Array(deflateRawSync(TEXT));
    expect(zlibWrapped[0]).toBe(0x78); // the zlib header: the two are really different inputs
    for (const bytes of [zlibWrapped, raw]) {
      const view = bodyView(message([['Content-Type', 'text/html'], ['Content-Encoding', 'deflate']], bytes), LIMIT);
      expect(view).toMatchObject({ decodedFrom: 'deflate', text: TEXT, kept: bytes.length, base64: null });
    }
  });

  it('br decoded', () => {
    const br = new Uint8Array(brotliCompressSync(TEXT));
    expect(bodyView(message([['Content-Type', 'text/html'], ['Content-Encoding', 'br']], br), LIMIT)).toMatchObject({
      decodedFrom: 'br',
      decodedSize: Buffer.byteLength(TEXT),
      text: TEXT,
      kept: br.length,
      truncated: false,
      note: null,
    });
  });

  it('a truncated gzip prefix (--body-limit) still decodes as far as it goes', () => {
    // 200 SHA-256 hex lines: 13 000 bytes that gzip only to about half, so a 2000-byte prefix
    // holds whole deflate blocks' worth of output.
    const original = Array.from({ length: 200 }, (_, i) => createHash('sha256').update(String(i)).digest('hex')).join('\n');
    const gz = new Uint8Array(gzipSync(original));
    expect(gz.length).toBeGreaterThan(4000);
    // The total is given as 5000 (rather than gz.length) so the note does not depend on the zlib build.
    const view = bodyView(message([['Content-Type', 'text/plain'], ['Content-Encoding', 'gzip']], gz.subarray(0, 2000), 5000), { bodyLimit: 2000 });
    expect(view).toMatchObject({ kept: 2000, truncated: true, decodedFrom: 'gzip', decodedSize: null, base64: null, note: 'decoded from the first 2000 B of 4.9 KiB of gzip data (--body-limit 2000)' });
    const text = view?.text as string;
    expect(text.length).toBeGreaterThan(2000);
    expect(text.length).toBeLessThan(original.length);
    expect(text).toBe(original.slice(0, text.length));
  });

  it('a truncated br prefix decodes partially too', () => {
    const original = Array.from({ length: 200 }, (_, i) => createHash('sha256').update(`b${i}`).digest('hex')).join('\n');
    const br = new Uint8Array(brotliCompressSync(original));
    const view = bodyView(message([['Content-Type', 'text/plain'], ['Content-Encoding', 'br']], br.subarray(0, 2000), 5000), { bodyLimit: 2000 });
    const text = view?.text as string;
    expect(view).toMatchObject({ kept: 2000, truncated: true, decodedFrom: 'br', note: 'decoded from the first 2000 B of 4.9 KiB of br data (--body-limit 2000)' });
    expect(text.length).toBeGreaterThan(1000);
    expect(text).toBe(original.slice(0, text.length));
  });

  it('binary content type → base64 of the raw bytes, no text', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x01]);
    expect(bodyView(message([['Content-Type', 'image/png']], png), LIMIT)).toEqual({
      kept: 10,
      truncated: false,
      contentType: 'image/png',
      decodedFrom: null,
      decodedSize: null,
      text: null,
      base64: 'iVBORw0KGgoAAQ==',
      note: null,
    });
  });

  it('no content type: printable bytes are text, control bytes make it base64', () => {
    expect(bodyView(message([], utf8('plain\twords\r\n')), LIMIT)).toMatchObject({ contentType: null, text: 'plain\twords\r\n', base64: null });
    expect(bodyView(message([], Uint8Array.from([0x41, 0x00, 0x42])), LIMIT)).toMatchObject({ contentType: null, text: null, base64: 'QQBC' });
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'application/problem+json', 'application/vnd.api+json', 'application/xml', 'application/x-www-form-urlencoded', 'text/csv'])(
    '%s → text',
    (type) => {
      expect(bodyView(message([['Content-Type', type]], utf8('{"id":1,"name":"ü"}')), LIMIT)?.text).toBe('{"id":1,"name":"ü"}');
    },
  );

  it('gzip-encoded JSON → decoded text', () => {
    const json = JSON.stringify({ items: Array.from({ length: 30 }, (_, i) => ({ i })) });
    const gz = new Uint8Array(gzipSync(json));
    expect(bodyView(message([['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']], gz), LIMIT)).toMatchObject({ decodedFrom: 'gzip', text: json });
  });

  it('Content-Encoding identity is no encoding', () => {
    expect(bodyView(message([['Content-Type', 'text/plain'], ['Content-Encoding', 'identity']], utf8('hi')), LIMIT)).toMatchObject({ decodedFrom: null, text: 'hi', base64: null });
  });

  it('binary bytes that do not decode under their Content-Encoding are base64, not mojibake text, with the decoder\'s reason', () => {
    // Bug fixed: a corrupt gzip body with a text type used to be shown as UTF-8 of the compressed bytes.
    const bogus = Uint8Array.from([0x1f, 0x8b, 0x99, 0xff, 0x00, 0x10]);
    expect(bodyView(message([['Content-Type', 'text/html'], ['Content-Encoding', 'gzip']], bogus), LIMIT)).toEqual({
      kept: 6,
      truncated: false,
      contentType: 'text/html',
      decodedFrom: null,
      decodedSize: null,
      text: null,
      base64: 'H4uZ/wAQ',
      note: 'Content-Encoding: gzip, but the body is not gzip data (unknown compression method); shown undecoded',
    });
  });

  it('plain JSON labelled Content-Encoding: gzip is shown as it is, with a note that it did not decode', () => {
    // Bug fixed: it was "27 B of application/json, not text", with nothing saying decoding had failed.
    const json = '{"ok":true,"items":[1,2,3]}';
    expect(bodyView(message([['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']], utf8(json)), LIMIT)).toEqual({
      kept: 27,
      truncated: false,
      contentType: 'application/json',
      decodedFrom: null,
      decodedSize: null,
      text: json,
      base64: null,
      note: 'Content-Encoding: gzip, but the body is not gzip data (incorrect header check); shown undecoded',
    });
  });

  it('the same for deflate (the zlib-wrapped attempt\'s error is reported) and br (whose error says only its code)', () => {
    const json = utf8('{"ok":true,"items":[1,2,3]}');
    expect(bodyView(message([['Content-Type', 'application/json'], ['Content-Encoding', 'deflate']], json), LIMIT)).toMatchObject({
      decodedFrom: null,
      decodedSize: null,
      text: '{"ok":true,"items":[1,2,3]}',
      note: 'Content-Encoding: deflate, but the body is not deflate data (incorrect header check); shown undecoded',
    });
    expect(bodyView(message([['Content-Type', 'application/json'], ['Content-Encoding', 'br']], json), LIMIT)).toMatchObject({
      decodedFrom: null,
      decodedSize: null,
      text: '{"ok":true,"items":[1,2,3]}',
      note: 'Content-Encoding: br, but the body is not br data (Decompression failed: ERR__ERROR_FORMAT_PADDING_2); shown undecoded',
    });
  });

  it('a coding wirelens does not undo (compress, or a list of codings): shown undecoded, text only if the bytes are text', () => {
    expect(bodyView(message([['Content-Type', 'text/plain'], ['Content-Encoding', 'gzip, br']], utf8('abc')), LIMIT)).toEqual({
      kept: 3,
      truncated: false,
      contentType: 'text/plain',
      decodedFrom: null,
      decodedSize: null,
      text: 'abc',
      base64: null,
      note: 'Content-Encoding: gzip, br is not one wirelens decodes; shown undecoded',
    });
    expect(bodyView(message([['Content-Type', 'text/plain'], ['Content-Encoding', 'compress']], Uint8Array.from([0x1f, 0x9d, 0x90])), LIMIT)).toMatchObject({
      text: null,
      base64: 'H52Q',
      note: 'Content-Encoding: compress is not one wirelens decodes; shown undecoded',
    });
  });

  it('a body cut by --body-limit says so: kept bytes, the total, the limit', () => {
    expect(bodyView(message([['Content-Type', 'text/plain']], utf8('0123'), 10), { bodyLimit: 4 })).toEqual({
      kept: 4,
      truncated: true,
      contentType: 'text/plain',
      decodedFrom: null,
      decodedSize: null,
      text: '0123',
      base64: null,
      note: 'the first 4 B of 10 B (--body-limit 4)',
    });
  });

  it('br cut at 50 bytes (--body-limit 50) decodes its prefix and says from how much', () => {
    const original = Array.from({ length: 60 }, (_, i) => createHash('sha256').update(`b${i}`).digest('hex')).join('\n');
    const br = new Uint8Array(brotliCompressSync(original));
    const view = bodyView(message([['Content-Type', 'text/plain'], ['Content-Encoding', 'br']], br.subarray(0, 50), 1229), { bodyLimit: 50 });
    expect(view).toMatchObject({ kept: 50, truncated: true, decodedFrom: 'br', base64: null, note: 'decoded from the first 50 B of 1.2 KiB of br data (--body-limit 50)' });
    const text = view?.text as string;
    expect(text.length).toBeGreaterThan(0);
    expect(text).toBe(original.slice(0, text.length));
  });

  it('br cut too short to decode anything: no text, the raw bytes in base64, and why', () => {
    // Bug fixed: this printed nothing at all (the decoded text was '' and nobody said why).
    const br = new Uint8Array(brotliCompressSync(TEXT));
    expect(brotliDecompressSync(br.subarray(0, 40), { finishFlush: constants.BROTLI_OPERATION_FLUSH }).length).toBe(0);
    expect(bodyView(message([['Content-Type', 'text/html'], ['Content-Encoding', 'br']], br.subarray(0, 40), 1229), { bodyLimit: 40 })).toEqual({
      kept: 40,
      truncated: true,
      contentType: 'text/html',
      decodedFrom: null,
      decodedSize: null,
      text: null,
      base64: Buffer.from(br.subarray(0, 40)).toString('base64'),
      note: 'the first 40 B of 1.2 KiB of br data are too few to decode any of it (--body-limit 40)',
    });
  });

  it('a body the capture lost entirely: nothing kept, and the note says how much is missing', () => {
    expect(bodyView(message([['Content-Type', 'text/plain']], null, 733, 733), LIMIT)).toEqual({
      kept: 0,
      truncated: true,
      contentType: 'text/plain',
      decodedFrom: null,
      decodedSize: null,
      text: null,
      base64: null,
      note: '733 B not captured',
    });
  });

  it('a body with a hole: the prefix before it, why it stops there, and how much is missing', () => {
    expect(bodyView(message([['Content-Type', 'text/plain']], utf8('abc'), 10, 4), LIMIT)).toMatchObject({
      kept: 3,
      truncated: true,
      text: 'abc',
      note: 'the first 3 B of 10 B (the bytes after them were not captured); 4 B of 10 B not captured',
    });
    // The limit, not the hole, cut it.
    expect(bodyView(message([['Content-Type', 'text/plain']], utf8('ab'), 10, 4), { bodyLimit: 2 })).toMatchObject({
      note: 'the first 2 B of 10 B (--body-limit 2); 4 B of 10 B not captured',
    });
    // The hole is at the start: nothing before it to show.
    expect(bodyView(message([['Content-Type', 'text/plain']], null, 10, 4), LIMIT)).toMatchObject({
      kept: 0,
      text: null,
      base64: null,
      note: 'nothing shown: the body starts with bytes not captured; 4 B of 10 B not captured',
    });
    expect(bodyView(message([['Content-Type', 'text/plain']], null, 10, 4), { bodyLimit: 0 })).toMatchObject({
      note: 'nothing kept (--body-limit 0); 4 B of 10 B not captured',
    });
  });
});

/** `wirelens report --json --bodies …` on a synthetic capture, nested (connections with their exchanges). */
async function reportBodies(cap: SyntheticCapture, extra: string[] = []): Promise<NestedReport> {
  return reportJson(cap.writeTemp(), ['--bodies', ...extra]);
}

/** The response of the connection's exchange at `exchange` (0-based: exchange index 1 is 0). */
function response(model: NestedReport, exchange: number): MessageModel {
  return msg(model.connections[0].exchanges[exchange].response);
}

const HEAD = (headers: string, length: number) => `HTTP/1.1 200 OK\r\n${headers}Content-Length: ${length}\r\n\r\n`;

describe('bodies end to end (report --json --bodies on synthetic captures)', () => {
  it('--body-limit 50 on a br body: the decodable prefix of the 50 kept bytes, and a note', async () => {
    const original = Array.from({ length: 60 }, (_, i) => createHash('sha256').update(`b${i}`).digest('hex')).join('\n');
    const br = brotliCompressSync(original);
    const cap = new SyntheticCapture();
    cap
      .conversation()
      .handshake()
      .send('client', 'GET /br HTTP/1.1\r\nHost: a\r\n\r\n')
      .send('server', Buffer.concat([Buffer.from(HEAD('Content-Type: text/plain\r\nContent-Encoding: br\r\n', br.length), 'latin1'), br]));
    const body = response(await reportBodies(cap, ['--body-limit', '50']), 0).body;
    expect(body).toMatchObject({ kept: 50, truncated: true, contentType: 'text/plain', decodedFrom: 'br', base64: null });
    expect(body?.note).toBe(`decoded from the first 50 B of ${formatBytes(br.length)} of br data (--body-limit 50)`);
    expect(body?.text?.length).toBeGreaterThan(0);
    expect(original.startsWith(body?.text as string)).toBe(true);
  });

  it('plain JSON labelled gzip: shown as sent, with the decoder\'s complaint', async () => {
    const json = '{"ok":true,"items":[1,2,3]}';
    const cap = new SyntheticCapture();
    cap
      .conversation()
      .handshake()
      .send('client', 'GET /j HTTP/1.1\r\nHost: a\r\n\r\n')
      .send('server', HEAD('Content-Type: application/json\r\nContent-Encoding: gzip\r\n', json.length) + json);
    expect(response(await reportBodies(cap), 0).body).toEqual({
      kept: 27,
      truncated: false,
      contentType: 'application/json',
      decodedFrom: null,
      decodedSize: null,
      text: json,
      base64: null,
      note: 'Content-Encoding: gzip, but the body is not gzip data (incorrect header check); shown undecoded',
    });
  });

  it('a Content-Length body acknowledged but never captured: gap-in-message, missingBytes 733, "733 B not captured"', async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation({ clientPort: 40001 })
      .handshake() // 1-3
      .send('client', 'GET /f HTTP/1.1\r\nHost: a\r\n\r\n') // 4
      .send('server', HEAD('Content-Type: text/plain\r\n', 733)) // 5: the 66-byte head
      .lose('server', 733)
      .ack('client') // 6: acknowledges the 733 bytes the capture never saw
      .send('client', 'GET /g HTTP/1.1\r\nHost: a\r\n\r\n') // 7
      .send('server', HEAD('', 2) + 'ok'); // 8
    const model = await reportBodies(cap);
    expect(model.connections[0].gaps).toEqual([{ direction: 'server', offset: 66, length: 733, frameAfter: 6, cause: 'acked-unseen' }]);
    const lost = response(model, 0);
    expect(lost.framing).toEqual({
      kind: 'content-length',
      reason: 'content-length',
      declared: 733,
      actualBodyBytes: 733,
      missingBytes: 733,
      // Every key present: the chunked and excess facts do not apply.
      chunks: null,
      chunkSizes: null,
      lastChunk: null,
      trailers: null,
      excess: null,
    });
    expect(lost.complete).toBe(true);
    expect(lost.deviations.map((d) => [d.code, d.offset, d.length, d.frames])).toEqual([['gap-in-message', 66, 733, [6]]]);
    expect(lost.frames).toEqual([5]);
    expect(lost.body).toEqual({ kept: 0, truncated: true, contentType: 'text/plain', decodedFrom: null, decodedSize: null, text: null, base64: null, note: '733 B not captured' });
    const next = response(model, 1);
    expect([next.framing?.missingBytes, next.offsets.headStart, next.body?.text, next.body?.note]).toEqual([0, 799, 'ok', null]);
  });

  it('a body with a hole in the middle: the bytes before it are kept, those after are not', async () => {
    const cap = new SyntheticCapture();
    cap
      .conversation()
      .handshake() // 1-3
      .send('client', 'GET /h HTTP/1.1\r\nHost: a\r\n\r\n') // 4
      .send('server', HEAD('Content-Type: text/plain\r\n', 10) + 'abc') // 5
      .lose('server', 4)
      .send('server', 'wxy') // 6: out of order until the ACK
      .ack('client'); // 7
    const res = response(await reportBodies(cap), 0);
    expect(res.framing).toMatchObject({ declared: 10, actualBodyBytes: 10, missingBytes: 4 });
    expect(res.complete).toBe(true);
    expect(res.body).toEqual({
      kept: 3,
      truncated: true,
      contentType: 'text/plain',
      decodedFrom: null,
      decodedSize: null,
      text: 'abc',
      base64: null,
      note: 'the first 3 B of 10 B (the bytes after them were not captured); 4 B of 10 B not captured',
    });
  });
});
