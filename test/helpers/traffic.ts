/**
 * Real Node.js HTTP traffic on 127.0.0.1 for the live-capture tests: a server on an ephemeral port
 * and a keep-alive client that makes two good requests and then one whose response overruns its
 * Content-Length (`Content-Length: 3`, body `1234`, as captures/scenarios/08 does) — one
 * `content-length-overrun` finding on the wire.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TrafficServer {
  port: number;
  /** Runs the client's requests; resolves with what it saw (the overrun ends in a client error). */
  run(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startTrafficServer(): Promise<TrafficServer> {
  const server = http.createServer((req, res) => {
    if (req.url === '/overrun') {
      res.setHeader('Content-Length', 3);
      res.end('1234');
      return;
    }
    res.end(`ok ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    run: async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const seen: string[] = [];
      for (const path of ['/one', '/two', '/overrun']) seen.push(await get(port, path, agent));
      agent.destroy();
      return seen;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `200 ok /one`; the overrun: `200 123` or nothing of the response, then ` error HPE_INVALID_CONSTANT`. */
function get(port: number, path: string, agent: http.Agent): Promise<string> {
  return new Promise((resolve) => {
    let response = '';
    let failure = '';
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      response = `${res.statusCode} `;
      res.setEncoding('latin1');
      res.on('data', (chunk: string) => (response += chunk));
    });
    req.on('error', (error: NodeJS.ErrnoException) => (failure = ` error ${error.code ?? error.message}`));
    req.on('close', () => resolve(`${response}${failure}`.trim()));
  });
}
