// Scenario 15 — a request line Node's parser cannot accept (an unencoded space
// in the target: "GET /hello world HTTP/1.1") → Node's default 'clientError'
// handling answers `400 Bad Request` + `Connection: close` and closes
// → malformed-message + bad-request.
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5115;

const server = http.createServer((req, res) => res.end('ok\n'));
// No 'clientError' listener: Node's default answers the parse error
// (HPE_INVALID_CONSTANT, "Expected HTTP/") with a bare 400 and destroys the socket.

server.listen(PORT, HOST, () => {
  const socket = net.connect(PORT, HOST, () =>
    socket.write(`GET /hello world HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n\r\n`));
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk) => (received += chunk));
  socket.on('end', () => socket.end());
  socket.on('close', () => {
    console.log(`15 garbage request line: got ${JSON.stringify(received.split('\r\n')[0])}`);
    server.close();
  });
});
