import { describe, expect, it } from 'vitest';
import { detectProtocol, findStart, matchStart } from '../../src/http/detect.js';
import { bytes } from './helpers.js';

const none = new Uint8Array(0);

describe('detectProtocol', () => {
  const table: Array<[string, string, string, boolean, ReturnType<typeof detectProtocol>]> = [
    ['request line', 'GET / HTTP/1.1\r\n', '', false, { protocol: 'http', requestDirection: 'client' }],
    ['WebDAV method', 'PROPFIND /d HTTP/1.1\r\n', '', false, { protocol: 'http', requestDirection: 'client' }],
    ['response first in the client direction (roles reversed)', 'HTTP/1.1 200 OK\r\n', '', false, { protocol: 'http', requestDirection: 'server' }],
    ['TLS ClientHello', '\x16\x03\x01\x02\x00', '', false, { protocol: 'tls', requestDirection: 'client' }],
    ['TLS 1.0 record version', '\x16\x03\x00', '', false, { protocol: 'tls', requestDirection: 'client' }],
    ['h2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', '', false, { protocol: 'h2', requestDirection: 'client' }],
    ['binary', '\x00\x01\x02\x03', '', false, { protocol: 'unknown', requestDirection: 'client' }],
    ['SSH banner (token-like, server not HTTP)', 'SSH-2.0-OpenSSH\r\n', 'SSH-2.0-x\r\n', false, { protocol: 'unknown', requestDirection: 'client' }],
    ['garbage line answered by HTTP', 'GARBAGE\r\n', 'HTTP/1.1 400 Bad Request\r\n', false, { protocol: 'http', requestDirection: 'client' }],
    ['a prefix of a method: wait', 'GE', '', false, null],
    ['a prefix of the h2 preface: wait', 'PRI * HTTP/2', '', false, null],
    ['a prefix of a TLS record: wait', '\x16\x03', '', false, null],
    ['a token-like line: wait for the server', 'GARBAGE\r\n', '', false, null],
    ['a token-like line, final', 'GARBAGE\r\n', '', true, { protocol: 'unknown', requestDirection: 'client' }],
    ['a prefix of a method, final', 'GE', '', true, { protocol: 'http', requestDirection: 'client' }],
    ['only the server spoke, not final', '', 'HTTP/1.1 200 OK\r\n', false, null],
    ['only the server spoke HTTP, final', '', 'HTTP/1.1 200 OK\r\n', true, { protocol: 'http', requestDirection: 'client' }],
    ['only the server spoke something else, final', '', '220 smtp ready\r\n', true, { protocol: 'unknown', requestDirection: 'client' }],
    ['nothing at all', '', '', true, null],
  ];
  for (const [name, client, server, final, want] of table) {
    it(name, () => {
      expect(detectProtocol(client ? bytes(client) : none, server ? bytes(server) : none, final)).toEqual(want);
    });
  }
});

describe('matchStart and findStart', () => {
  it('matchStart: methods, partial prefixes, responses, lenient first line', () => {
    expect(matchStart('request', bytes('GET /'), 0, 5)).toBe('yes');
    expect(matchStart('request', bytes('UNLOCK '), 0, 7)).toBe('yes');
    expect(matchStart('request', bytes('GE'), 0, 2)).toBe('partial');
    expect(matchStart('request', bytes('GARBAGE'), 0, 7)).toBe('no');
    expect(matchStart('request', bytes('GARBAGE'), 0, 7, true)).toBe('yes');
    expect(matchStart('request', bytes('\x00GET'), 0, 4, true)).toBe('no');
    expect(matchStart('response', bytes('HTTP/1.1 200'), 0, 12)).toBe('yes');
    expect(matchStart('response', bytes('HTT'), 0, 3)).toBe('partial');
    expect(matchStart('response', bytes('4HTTP'), 0, 5)).toBe('no');
  });

  it('findStart: responses need HTTP/1.x SP 3DIGIT', () => {
    expect(findStart('response', bytes('xxHTTP/1.1 200 OK'), 17)).toEqual({ found: 2 });
    expect(findStart('response', bytes('xxHTTP/1.1 2'), 12)).toEqual({ keepFrom: 2 });
    expect(findStart('response', bytes('abcHTTP/'), 8)).toEqual({ keepFrom: 3 });
    expect(findStart('response', bytes('HTTP/1.1 abc HTTP/1.0 404 x'), 27)).toEqual({ found: 13 });
  });

  it('findStart: requests need a whole request line; the method may follow any byte', () => {
    expect(findStart('request', bytes('4GET /next HTTP/1.1\r\n'), 21)).toEqual({ found: 1 });
    expect(findStart('request', bytes('xxUNLOCK /l HTTP/1.1\n'), 21)).toEqual({ found: 2 });
    expect(findStart('request', bytes('FORGET me HTTP/1.1\r\n'), 20)).toEqual({ found: 3 });
    expect(findStart('request', bytes('zz\r\nGET / HTTP/1.'), 17)).toEqual({ keepFrom: 4 });
    expect(findStart('request', bytes('no start here\r\nGE'), 17)).toEqual({ keepFrom: 15 });
    expect(findStart('request', bytes('say HTTP/1.1\r\n'), 14)).toEqual({ keepFrom: 14 });
  });
});
