import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bodyBytes, previewBody } from '../../src/tui/body-bytes.js';
import type { MessageModel } from '../../src/model/types.js';

/** A response at stream offset 0 whose head is `head` and whose body follows up to bodyEnd. */
function message(head: string, bodyEnd: number, framing: Partial<NonNullable<MessageModel['framing']>>, headers: [string, string][]): MessageModel {
  return {
    offsets: { headStart: 0, headEnd: head.length, bodyEnd },
    framing: { kind: 'content-length', actualBodyBytes: bodyEnd - head.length, missingBytes: 0, chunks: null, chunkSizes: null, ...framing },
    headers: headers.map(([name, value]) => ({ name, value, offset: 0 })),
  } as unknown as MessageModel;
}

const HEAD = 'HTTP/1.1 200 OK\r\n\r\n';

describe('body bytes cut from the stream by the model offsets', () => {
  it('Content-Length: the bytes between the end of the head and the end of the body, not the next message', () => {
    const stream = Buffer.from(`${HEAD}hello worldHTTP/1.1 204 No Content\r\n\r\n`, 'latin1');
    const m = message(HEAD, HEAD.length + 11, {}, [['Content-Type', 'text/plain']]);
    expect(Buffer.from(bodyBytes(m, stream)!).toString()).toBe('hello world');
    expect(previewBody(m, stream)?.text).toBe('hello world');
  });

  it('chunked: de-chunked with the sizes the model recorded; a chunk extension leaves the wire bytes', () => {
    const wire = `${HEAD}5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n`;
    const m = message(HEAD, wire.length, { kind: 'chunked', chunks: 2, chunkSizes: [5, 1] }, []);
    expect(Buffer.from(bodyBytes(m, Buffer.from(wire, 'latin1'))!).toString()).toBe('hello!');
    const ext = `${HEAD}5;x=1\r\nhello\r\n0\r\n\r\n`;
    const me = message(HEAD, ext.length, { kind: 'chunked', chunks: 1, chunkSizes: [5] }, []);
    expect(Buffer.from(bodyBytes(me, Buffer.from(ext, 'latin1'))!).toString()).toBe('5;x=1\r\nhello\r\n0\r\n\r\n');
  });

  it('gzip is decoded for the preview (model/body.ts)', () => {
    const gz = gzipSync(Buffer.from('{"a":1}'));
    const stream = Buffer.concat([Buffer.from(HEAD, 'latin1'), gz]);
    const m = message(HEAD, stream.length, {}, [['Content-Encoding', 'gzip'], ['Content-Type', 'application/json']]);
    const view = previewBody(m, stream)!;
    expect([view.decodedFrom, view.text, view.kept]).toEqual(['gzip', '{"a":1}', gz.length]);
  });
});
