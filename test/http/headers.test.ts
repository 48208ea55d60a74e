import { describe, expect, it } from 'vitest';
import {
  hasConnectionClose,
  hasConnectionOption,
  hasField,
  headerValue,
  headerValues,
  isField,
  isTchar,
  isToken,
  parseKeepAlive,
  TCHAR,
} from '../../src/http/headers.js';
import type { HeaderField } from '../../src/http/types.js';

const fields = (...pairs: Array<[string, string]>): HeaderField[] => pairs.map(([name, value], i) => ({ name, value, offset: i * 10 }));

describe('tchar and token (RFC 9110 §5.6.2)', () => {
  it('the tchar alphabet is exactly 77 bytes: 15 symbols, 10 digits, 52 letters', () => {
    const all = [...Array(256).keys()].filter(isTchar);
    expect(all).toHaveLength(77);
    expect(String.fromCharCode(...all.filter((c) => !/[0-9A-Za-z]/.test(String.fromCharCode(c))))).toBe("!#$%&'*+-.^_`|~");
    expect(TCHAR.reduce((n, v) => n + v, 0)).toBe(77);
  });

  it.each([
    [0x20, false], [0x22, false], [0x28, false], [0x2c, false], [0x2f, false], [0x3a, false], [0x40, false],
    [0x5b, false], [0x7b, false], [0x7f, false], [0x00, false], [0x80, false], [0x21, true], [0x7e, true],
  ])('isTchar(0x%s) = %s', (c, want) => {
    expect(isTchar(c)).toBe(want);
  });

  it.each([
    ['GET', true], ['M-SEARCH', true], ['X-Custom_1.0', true], ['', false], ['Host ', false], ['a:b', false],
    ['caf\u00e9', false], ['"q"', false],
  ])('isToken(%j) = %s', (text, want) => {
    expect(isToken(text)).toBe(want);
  });
});

describe('field names', () => {
  it('isField: equal ignoring ASCII case only, against an all-lower-case name', () => {
    expect(isField('Content-Length', 'content-length')).toBe(true);
    expect(isField('CONTENT-LENGTH', 'content-length')).toBe(true);
    expect(isField('Content-Length ', 'content-length')).toBe(false);
    expect(isField('Content-Lengt', 'content-length')).toBe(false);
    expect(isField('\u212Aeep-alive', 'keep-alive')).toBe(false); // KELVIN SIGN lower-cases to k in Unicode, not in ASCII
  });

  const headers = fields(['Host', 'a'], ['connection', 'keep-alive, Close'], ['X-Dup', '1'], ['x-dup', '2'], ['Upgrade', 'websocket']);

  it('headerValue: first value, case-insensitive; null when absent', () => {
    expect(headerValue(headers, 'HOST')).toBe('a');
    expect(headerValue(headers, 'x-dup')).toBe('1');
    expect(headerValue(headers, 'keep-alive')).toBeNull();
    expect(headerValue(headers, 'hos')).toBeNull();
  });

  it('headerValues: every value in order', () => {
    expect(headerValues(headers, 'X-DUP')).toEqual(['1', '2']);
    expect(headerValues(headers, 'nope')).toEqual([]);
  });

  it('hasField', () => {
    expect(hasField(headers, 'upgrade')).toBe(true);
    expect(hasField(headers, 'UPGRADE')).toBe(true);
    expect(hasField(headers, 'upgrad')).toBe(false);
  });
});

describe('Connection options (RFC 9110 §7.6.1)', () => {
  it.each([
    [[['Connection', 'close']], 'close', true],
    [[['connection', 'keep-alive, Close']], 'close', true],
    [[['Connection', 'Upgrade'], ['Connection', ' close ']], 'close', true],
    [[['Connection', 'closed, upgrade']], 'close', false],
    [[['Connection', 'keep-alive']], 'close', false],
    [[['X-Connection', 'close']], 'close', false],
    [[['Connection', 'keep-alive, Upgrade']], 'upgrade', true],
    [[], 'close', false],
  ] as Array<[Array<[string, string]>, string, boolean]>)('%j lists %s: %s', (pairs, option, want) => {
    expect(hasConnectionOption(fields(...pairs), option)).toBe(want);
  });

  it('hasConnectionClose on a message (null: false)', () => {
    expect(hasConnectionClose({ headers: fields(['Connection', 'close']) })).toBe(true);
    expect(hasConnectionClose({ headers: fields(['Connection', 'keep-alive']) })).toBe(false);
    expect(hasConnectionClose(null)).toBe(false);
  });
});

describe('parseKeepAlive', () => {
  it.each([
    ['timeout=5', { timeout: 5, max: null }],
    ['timeout=5, max=100', { timeout: 5, max: 100 }],
    ['max=3, timeout=5', { timeout: 5, max: 3 }],
    ['timeout="5", max="100"', { timeout: 5, max: 100 }],
    ['Timeout = 7 ; MAX=2', { timeout: 7, max: 2 }],
    ['xtimeout=9, timeout=4', { timeout: 4, max: null }],
    ['', { timeout: null, max: null }],
    ['timeout=abc', { timeout: null, max: null }],
  ])('%j → %j', (value, expected) => {
    expect(parseKeepAlive(value)).toEqual(expected);
  });

  it('no field → null', () => {
    expect(parseKeepAlive(null)).toBeNull();
  });
});
