// Scenario 20 — a raw client pipelines three GETs in one write; Node answers
// them in order on the same connection → pipelining.
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5120;

const server = http.createServer((req, res) => res.end(`response to ${req.url}\n`));

const requests = ['/a', '/b', '/c'].map((p) => `GET ${p} HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n\r\n`).join('');

server.listen(PORT, HOST, () => {
  const socket = net.connect(PORT, HOST, () => socket.write(requests));
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk) => {
    received += chunk;
    if (received.includes('response to /c\n')) setTimeout(() => socket.end(), 100);
  });
  socket.on('end', () => socket.end());
  socket.on('close', () => {
    const statuses = [...received.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => m[1]);
    console.log(`20 pipelining: 3 requests in one write → ${statuses.join(' ')}`);
    server.close();
  });
});
