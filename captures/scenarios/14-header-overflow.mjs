// Scenario 14 — a request whose header section (≈ 16.5 KiB, one huge Cookie) is
// over the default maxHeaderSize of 16 KiB → Node answers
// `431 Request Header Fields Too Large` + `Connection: close` and closes → header-overflow.
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5114;

const server = http.createServer((req, res) => res.end('ok\n')); // default maxHeaderSize: 16384

const request =
  `GET / HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n` +
  `Cookie: session=${'a'.repeat(16500)}\r\n\r\n`;

server.listen(PORT, HOST, () => {
  const socket = net.connect(PORT, HOST, () => socket.write(request));
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk) => (received += chunk));
  socket.on('end', () => socket.end());
  socket.on('close', () => {
    console.log(`14 ${request.length}-byte request: got ${JSON.stringify(received.split('\r\n')[0])}`);
    server.close();
  });
});
