// Scenario 11 — `server.maxRequestsPerSocket = 3` and a raw client that pipelines
// 4 requests in one write. Responses 1-2 say `Keep-Alive: timeout=5, max=3`,
// response 3 says `Connection: close` but the socket stays open, and request 4
// is answered `503 Service Unavailable` ('dropRequest').
// → max-requests-per-socket, service-unavailable-drop, pipelining.
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5111;

const server = http.createServer((req, res) => res.end(`response to ${req.url}\n`));
server.maxRequestsPerSocket = 3;

const requests = [1, 2, 3, 4].map((n) => `GET /${n} HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n\r\n`).join('');

server.listen(PORT, HOST, () => {
  const socket = net.connect(PORT, HOST, () => socket.write(requests)); // all four at once
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk) => {
    received += chunk;
    if (received.includes('503 Service Unavailable') && received.endsWith('0\r\n\r\n')) {
      setTimeout(() => socket.end(), 100); // client closes once it has the 503
    }
  });
  socket.on('close', () => {
    const statuses = [...received.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => m[1]);
    console.log(`11 maxRequestsPerSocket=3: 4 pipelined requests → ${statuses.join(' ')}`);
    server.close();
  });
});
