import { describe, expect, it } from 'vitest';
import { guessHttpRole } from '../../src/http/role.js';
import { Flow, Harness } from '../tcp/segments.js';

const enc = new TextEncoder();
const REQ = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';
const RES = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

describe('guessHttpRole', () => {
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
    ['get /a-very-long-url-cut-by-the-segm', null],
    ['', null],
    ['\x16\x03\x01\x02\x00', null],
  ])('%j → %s', (payload, want) => {
    expect(guessHttpRole(enc.encode(payload))).toBe(want);
  });
});

describe('guessHttpRole as the TcpTracker guesser (connections picked up mid-stream)', () => {
  it('a response first: its sender is the server, whatever the ports', () => {
    const h = new Harness({ guessRole: guessHttpRole });
    const f = new Flow({ ip: '10.0.0.1', port: 1234 }, { ip: '10.0.0.2', port: 60000 });
    h.feed(f.send('server', RES), f.send('client', REQ));
    const c = h.conn();
    expect([c.midStream, c.client, c.server]).toEqual([true, { ip: '10.0.0.1', port: 1234 }, { ip: '10.0.0.2', port: 60000 }]);
    expect(h.events()).toEqual([`server @0 ${JSON.stringify(RES)} f1`, `client @0 ${JSON.stringify(REQ)} f2`]);
    expect(c.history).toBe('^dD');
  });

  it('a request first from the higher port: its sender is the client', () => {
    const h = new Harness({ guessRole: guessHttpRole });
    const f = new Flow({ ip: '10.0.0.1', port: 40001 }, { ip: '10.0.0.2', port: 40000 });
    h.feed(f.send('client', REQ));
    expect(h.conn().client).toEqual({ ip: '10.0.0.1', port: 40001 });
    expect(h.conn().history).toBe('D');
  });

  it('not HTTP: no opinion, so the ports decide (a well-known port is the server)', () => {
    const h = new Harness({ guessRole: guessHttpRole });
    const f = new Flow({ ip: '10.0.0.1', port: 50000 }, { ip: '10.0.0.2', port: 8080 });
    h.feed(f.send('server', 'binary'));
    expect(h.conn().server).toEqual({ ip: '10.0.0.2', port: 8080 });
  });
});
