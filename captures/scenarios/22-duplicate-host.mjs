// Scenario 22 — a request with two `Host` headers. Node accepts it, keeps the
// first in req.headers.host and the rest only in rawHeaders → duplicate-header.
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5122;

const server = http.createServer((req, res) => {
  res.end(`host=${req.headers.host} rawHeaders=${req.rawHeaders.length / 2}\n`);
});

const request = `GET / HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\nHost: evil.example\r\n\r\n`;

server.listen(PORT, HOST, () => {
  const socket = net.connect(PORT, HOST, () => socket.write(request));
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk) => {
    received += chunk;
    if (received.endsWith('\n') && received.includes('rawHeaders=')) setTimeout(() => socket.end(), 50);
  });
  socket.on('end', () => socket.end());
  socket.on('close', () => {
    console.log(`22 duplicate Host: ${received.split('\r\n')[0]}, body ${JSON.stringify(received.split('\r\n\r\n')[1])}`);
    server.close();
  });
});
