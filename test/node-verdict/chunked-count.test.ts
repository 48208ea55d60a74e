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

  it('canonical mode: a canonical body split at every position ends at its last byte, 15 data bytes, no deviation', () => {
    const body = '5\r\nhello\r\nA\r\n0123456789\r\n0\r\n\r\n';
    const next = 'GET / HTTP/1.1\r\n\r\n';
    for (let at = 1; at < body.length; at++) {
      const c = new ChunkedCount(true);
      const first = c.count(Buffer.from(body.slice(0, at)), 0);
      expect([c.over, c.deviation, c.end]).toEqual([false, -1, at]);
      expect(first + c.count(Buffer.from(body.slice(at) + next), 0)).toBe(15);
      expect([c.over, c.deviation, c.end]).toEqual([true, -1, body.length - at]);
    }
  });

  it('canonical mode stops at the first byte outside it, with the primer that stands for what came before', () => {
    const at = (text: string) => {
      const c = new ChunkedCount(true);
      const data = c.count(Buffer.from(text), 0);
      return { data, deviation: c.deviation, primer: c.primer(), over: c.over };
    };
    expect(at('5;ext\r\nhello\r\n')).toEqual({ data: 0, deviation: 1, primer: '5', over: false });
    expect(at('3\r\nabc\r\n1g\r\n')).toEqual({ data: 3, deviation: 9, primer: '1', over: false });
    expect(at('zz\r\n')).toEqual({ data: 0, deviation: 0, primer: '', over: false });
    expect(at('a\rX')).toEqual({ data: 0, deviation: 2, primer: 'a\r', over: false });
    expect(at('3\r\nabcX')).toEqual({ data: 3, deviation: 6, primer: '1\r\n\0', over: false });
    expect(at('3\r\nabc\rX')).toEqual({ data: 3, deviation: 7, primer: '1\r\n\0\r', over: false });
    expect(at('0\r\nX-T: 1\r\n\r\n')).toEqual({ data: 0, deviation: 3, primer: '0\r\n', over: false });
    expect(at('0\r\n\rX')).toEqual({ data: 0, deviation: 4, primer: '0\r\n\r', over: false });
    // Thirteen digits: llhttp decides (its 64-bit overflow), primed with the twelve before.
    expect(at('0000000000021F\r\n')).toEqual({ data: 0, deviation: 12, primer: '2', over: false });
  });

  it('followAll: after a deviation the full framing goes on from the same byte (an extension, then 5 bytes)', () => {
    const c = new ChunkedCount(true);
    const bytes = Buffer.from('5;ext=1\r\nhello\r\n0\r\n\r\n');
    expect([c.count(bytes, 0), c.deviation]).toEqual([0, 1]);
    c.followAll();
    expect(c.count(bytes, 1)).toBe(5);
    expect(c.over).toBe(true);
  });
});
