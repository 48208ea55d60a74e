import { describe, expect, it } from 'vitest';
import { roleFromPayload, serverPort } from '../../src/tcp/roles.js';

const enc = new TextEncoder();

describe('roleFromPayload', () => {
  it.each([
    ['GET /x HTTP/1.1\r\nHost: a\r\n\r\n', 'client'],
    ['PROPFIND /dav HTTP/1.1\r\n', 'client'],
    ['M-SEARCH * HTTP/1.1\r\n', 'client'],
    ['CONNECT example.com:443 HTTP/1.1\r\n', 'client'],
    ['GET /a-very-long-url-cut-by-the-segm', 'client'],
    ['HTTP/1.1 200 OK\r\n', 'server'],
    ['HTTP/1.0 404 Not Found\r\n', 'server'],
    ['HTTP/2 200\r\n', null],
    ['hello world\r\n', null],
    ['GET /x\r\nHTTP/1.1', null],
    ['', null],
    ['\x16\x03\x01\x02\x00', null],
  ])('%j → %s', (payload, want) => {
    expect(roleFromPayload(enc.encode(payload))).toBe(want);
  });
});

describe('serverPort', () => {
  it.each([
    [50000, 80, 'b'],
    [80, 50000, 'a'],
    [3000, 40000, 'a'],
    [40000, 8080, 'b'],
    [1234, 60000, 'a'],
    [60000, 1234, 'b'],
    [80, 443, 'a'],
    [7000, 7000, 'b'],
  ])('serverPort(%d, %d) = %s', (a, b, want) => {
    expect(serverPort(a, b)).toBe(want);
  });
});
