// Rule scenario 34 — a raw client sends a POST with both `Content-Length: 5` and
// `Transfer-Encoding: chunked` (the request-smuggling shape, RFC 9112 §6.3). The Node.js server's
// parser rejects it (HPE_UNEXPECTED_CONTENT_LENGTH) and answers its own `400 Bad Request`
// → conflicting-framing (+ bad-request for the 400).
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5135;

const server = http.createServer((req, res) => res.end('never reached\n'));

const request = `POST /upload HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n`;

server.listen(PORT, HOST, () => {
  const socket = net.connect(PORT, HOST, () => socket.write(request));
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk) => (received += chunk));
  socket.on('end', () => socket.end());
  socket.on('close', () => {
    console.log(`34 CL + TE: client got ${JSON.stringify(received.split('\r\n')[0])}`);
    server.close();
  });
});
