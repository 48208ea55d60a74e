/**
 * The sniffer labels a connection as the analyzer does (conns and report agree), parsing nothing.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUFFER_LIMIT } from '../../src/http/connection.js';
import { ProtocolSniffer } from '../../src/http/sniffer.js';
import type { Direction } from '../../src/tcp/stream.js';
import { bytes } from './helpers.js';

/** 80 000 bytes of a response body from the server, then a request from the client. */
function downloadThenRequest(sniffer: ProtocolSniffer): ProtocolSniffer {
  const send = (direction: Direction, offset: number, data: string, frame: number) => sniffer.chunk({ direction, offset, bytes: bytes(data), frame, time: frame });
  send('server', 0, 'q'.repeat(40000), 1);
  send('server', 40000, 'q'.repeat(40000), 2);
  send('client', 0, 'GET /next HTTP/1.1\r\nHost: x\r\n\r\n', 3);
  sniffer.close();
  return sniffer;
}

describe('ProtocolSniffer', () => {
  it('mid-stream, a server body past the buffering limit before the client speaks: the request decides (http)', () => {
    expect(80000).toBeGreaterThan(DEFAULT_BUFFER_LIMIT);
    expect(downloadThenRequest(new ProtocolSniffer(true)).protocol).toBe('http');
  });

  it('mid-stream, a client upload past the limit: the next bytes decide (the response, then a GET: http)', () => {
    const sniffer = new ProtocolSniffer(true);
    sniffer.chunk({ direction: 'client', offset: 0, bytes: bytes('u'.repeat(70000)), frame: 1, time: 1 });
    expect(sniffer.protocol).toBeNull(); // let go of at the limit: nothing to label from yet
    sniffer.chunk({ direction: 'server', offset: 0, bytes: bytes('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'), frame: 2, time: 2 });
    sniffer.chunk({ direction: 'client', offset: 70000, bytes: bytes('GET /a HTTP/1.1\r\n\r\n'), frame: 3, time: 3 });
    expect(sniffer.protocol).toBe('http');
  });

  it('with a handshake, a server that talks first past the limit is not HTTP', () => {
    const sniffer = downloadThenRequest(new ProtocolSniffer(false));
    expect([sniffer.protocol, sniffer.bytes]).toEqual(['unknown', { client: 31, server: 80000 }]);
  });
});
