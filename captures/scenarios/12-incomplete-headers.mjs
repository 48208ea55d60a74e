// Scenario 12 — a raw client sends a header section in three slow pieces and
// never finishes it (no empty line). After headersTimeout (1000 ms, checked
// every 200 ms) Node answers `408 Request Timeout` + `Connection: close` (no
// Content-Length) and closes → request-timeout (+ slow-request-headers /
// incomplete-message on the unfinished request).
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5112;

const server = http.createServer({ connectionsCheckingInterval: 200 }, (req, res) => res.end('never\n'));
server.headersTimeout = 1000;
server.requestTimeout = 1500;

const pieces = [
  'POST /user HTTP/1.1\r\n',
  `Host: ${HOST}:${PORT}\r\n`,
  'Content-Type: application/json\r\n', // ...and the final "\r\n" never comes
];

server.listen(PORT, HOST, () => {
  const start = performance.now();
  const socket = net.connect(PORT, HOST);
  pieces.forEach((piece, i) => setTimeout(() => socket.write(piece), i * 300));
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk) => (received += chunk));
  socket.on('end', () => socket.end());
  socket.on('close', () => {
    const ms = Math.round(performance.now() - start);
    console.log(`12 incomplete headers: got ${JSON.stringify(received.split('\r\n')[0])} after ${ms} ms`);
    server.close();
  });
});
