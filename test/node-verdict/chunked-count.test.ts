/** ChunkedCount: the data bytes of a chunked body, as llhttp hands them to kOnBody, split anywhere. */
import { describe, expect, it } from 'vitest';
import { ChunkedCount } from '../../src/node-verdict/chunked-count.js';

const BODY = '5;ext="a"\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n';

describe('ChunkedCount', () => {
  it('counts 15 data bytes in one piece, and ends where the body ends (the next message is not counted)', () => {
    const c = new ChunkedCount();
    expect(c.count(Buffer.from(`${BODY}GET / HTTP/1.1\r\n\r\n`), 0)).toBe(15);
    expect(c.over).toBe(true);
  });

  it('the same 15 bytes split at every position', () => {
    for (let at = 1; at < BODY.length; at++) {
      const c = new ChunkedCount();
      expect(c.count(Buffer.from(BODY.slice(0, at)), 0) + c.count(Buffer.from(BODY.slice(at)), 0)).toBe(15);
      expect(c.over).toBe(true);
    }
  });

  it('starts at `from`, and stops at a byte strict llhttp rejects (a size of zz, a missing CRLF after data)', () => {
    expect(new ChunkedCount().count(Buffer.from('HEAD3\r\nabc\r\n0\r\n\r\n'), 4)).toBe(3);
    const garbage = new ChunkedCount();
    expect(garbage.count(Buffer.from('zz\r\nok\r\n0\r\n\r\n'), 0)).toBe(0);
    expect(garbage.over).toBe(true);
    const noCrlf = new ChunkedCount();
    expect(noCrlf.count(Buffer.from('2\r\nokX3\r\nabc\r\n'), 0)).toBe(2);
    expect(noCrlf.over).toBe(true);
  });
});
