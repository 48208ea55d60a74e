import { describe, expect, it } from 'vitest';
import { readContentLength } from '../../src/http/framing.js';
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
