import { describe, expect, it } from 'vitest';
import { decideFraming, readContentLength } from '../../src/http/framing.js';
import type { HeaderField } from '../../src/http/types.js';

const fields = (...values: string[]): HeaderField[] => values.map((value, i) => ({ name: i % 2 ? 'content-length' : 'Content-Length', value, offset: 20 * i }));

describe('readContentLength', () => {
  it('no field: absent; one plain decimal field: its value, leading zeros and 15 digits included', () => {
    expect(readContentLength([{ name: 'Host', value: 'a', offset: 16 }])).toEqual({ state: 'absent' });
    expect(readContentLength(fields('0'))).toEqual({ state: 'valid', value: 0, issues: [] });
    expect(readContentLength(fields('007'))).toEqual({ state: 'valid', value: 7, issues: [] });
    expect(readContentLength(fields('999999999999999'))).toEqual({ state: 'valid', value: 999_999_999_999_999, issues: [] });
  });

  it('16 digits, a sign, a space inside, an empty value: invalid, with the field quoted', () => {
    for (const value of ['1000000000000000', '+5', '-1', '1 2', '', '0x10']) {
      expect(readContentLength(fields(value))).toEqual({
        state: 'invalid',
        issues: [{ code: 'invalid-content-length', offset: 0, message: `Content-Length ${JSON.stringify(value)} is not a decimal length` }],
      });
    }
  });

  it('16 digits of which leading zeros: the value (the limit counts significant digits)', () => {
    expect(readContentLength(fields('0000000000000042'))).toEqual({ state: 'valid', value: 42, issues: [] });
  });

  it('a list or repeated fields: equal values are one length given several times, different ones a conflict', () => {
    expect(readContentLength(fields('5, 5'))).toMatchObject({ state: 'valid', value: 5, issues: [{ code: 'multiple-content-length', offset: 0 }] });
    expect(readContentLength(fields('5', '5'))).toMatchObject({ state: 'valid', value: 5, issues: [{ code: 'multiple-content-length', offset: 20 }] });
    expect(readContentLength(fields('5', '6'))).toMatchObject({ state: 'invalid', issues: [{ code: 'conflicting-content-length', offset: 20 }] });
  });
});

describe('decideFraming (RFC 9112 §6.3)', () => {
  const h = (...lines: string[]): HeaderField[] =>
    lines.map((l, i) => ({ name: l.slice(0, l.indexOf(':')), value: l.slice(l.indexOf(':') + 1).trim(), offset: i * 100 }));
  const table: Array<[string, Parameters<typeof decideFraming>[0], Partial<ReturnType<typeof decideFraming>>]> = [
    ['HEAD response ignores Content-Length', { kind: 'response', status: 200, requestMethod: 'HEAD', headers: h('Content-Length: 10') }, { kind: 'none', reason: 'head-response' }],
    ['100', { kind: 'response', status: 100, requestMethod: 'POST', headers: [] }, { kind: 'none', reason: 'informational' }],
    ['101', { kind: 'response', status: 101, requestMethod: 'GET', headers: [] }, { kind: 'tunnel', reason: 'switching-protocols' }],
    ['204', { kind: 'response', status: 204, requestMethod: 'GET', headers: h('Transfer-Encoding: chunked') }, { kind: 'none', reason: 'no-content' }],
    ['304', { kind: 'response', status: 304, requestMethod: 'GET', headers: [] }, { kind: 'none', reason: 'not-modified' }],
    ['2xx to CONNECT', { kind: 'response', status: 200, requestMethod: 'CONNECT', headers: [] }, { kind: 'tunnel', reason: 'connect-tunnel' }],
    ['407 to CONNECT', { kind: 'response', status: 407, requestMethod: 'CONNECT', headers: h('Content-Length: 0') }, { kind: 'content-length', declared: 0 }],
    ['chunked', { kind: 'request', requestMethod: null, headers: h('Transfer-Encoding: gzip, chunked') }, { kind: 'chunked', issues: [] }],
    ['TE split over two fields', { kind: 'request', requestMethod: null, headers: h('Transfer-Encoding: gzip', 'Transfer-Encoding: Chunked') }, { kind: 'chunked' }],
    ['response TE not chunked', { kind: 'response', status: 200, requestMethod: 'GET', headers: h('Transfer-Encoding: chunked, gzip') }, { kind: 'close', reason: 'transfer-encoding-not-chunked' }],
    ['Content-Length list of equal values', { kind: 'request', requestMethod: null, headers: h('Content-Length: 42, 42') }, { kind: 'content-length', declared: 42 }],
    ['Content-Length too long', { kind: 'request', requestMethod: null, headers: h('Content-Length: 1234567890123456') }, { kind: 'invalid', reason: 'invalid-content-length' }],
    ['request without length', { kind: 'request', requestMethod: null, headers: [] }, { kind: 'none', reason: 'request-without-length', issues: [] }],
    ['response without length', { kind: 'response', status: 200, requestMethod: 'GET', headers: [] }, { kind: 'close', reason: 'response-without-length' }],
  ];
  for (const [name, input, want] of table) {
    it(name, () => {
      expect(decideFraming(input)).toMatchObject(want);
    });
  }

  it('records where each framing problem is', () => {
    expect(decideFraming({ kind: 'request', requestMethod: null, headers: h('Content-Length: 3', 'Content-Length: 3', 'Content-Length: 3') }).issues).toEqual([
      { code: 'multiple-content-length', offset: 100, message: 'Content-Length 3 is given 3 times' },
    ]);
    expect(decideFraming({ kind: 'request', requestMethod: null, headers: h('Content-Length: 3', 'Transfer-Encoding: chunked') }).issues.map((i) => [i.code, i.offset])).toEqual([
      ['content-length-with-transfer-encoding', 100],
    ]);
  });
});
