// Rule scenario 35 — `server.maxRequestsPerSocket = 1`: the first response says
// `Connection: close`, yet Node.js 20 leaves the socket open. A raw client that ignores the header
// sends its second request on the same connection after reading the response; the server
// answers `503 Service Unavailable` → request-after-connection-close (+ the 503's own rules).
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5136;

const server = http.createServer((req, res) => res.end(`response to ${req.url}\n`));
server.maxRequestsPerSocket = 1;

const get = (n) => `GET /${n} HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n\r\n`;

server.listen(PORT, HOST, () => {
  const socket = net.connect(PORT, HOST, () => socket.write(get(1)));
  let received = '';
  let sentSecond = false;
  socket.setEncoding('latin1');
  socket.on('data', (chunk) => {
    received += chunk;
    if (!sentSecond && received.endsWith('response to /1\n')) {
      sentSecond = true;
      setTimeout(() => socket.write(get(2)), 50); // ignores the Connection: close it was sent
    }
    if (received.includes('503 ') && received.endsWith('0\r\n\r\n')) setTimeout(() => socket.end(), 50);
  });
  socket.on('end', () => socket.end());
  socket.on('close', () => {
    const statuses = [...received.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => m[1]);
    console.log(`35 request after Connection: close: ${statuses.join(' ')}`);
    server.close();
  });
});
