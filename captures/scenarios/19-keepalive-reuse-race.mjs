// Scenario 19 — the keep-alive reuse race. The server's keepAliveTimeout is
// 1000 ms (`Keep-Alive: timeout=1`); it closes the idle connection ~1 s later
// than that. The raw client keeps the socket half-open and writes its second
// request 100 ms after the server's FIN arrived: the server's kernel answers
// with RST → keepalive-reuse-race (a Node Agent would report ECONNRESET on a
// request with reusedSocket = true).
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5119;

const server = http.createServer((req, res) => res.end(`response to ${req.url}\n`));
server.keepAliveTimeout = 1000;

const request = (path) => `GET ${path} HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\n\r\n`;

server.listen(PORT, HOST, () => {
  const start = performance.now();
  // allowHalfOpen: keep our side writable after the server's FIN, like a pooled socket
  // whose owner has not noticed the FIN yet.
  const socket = net.connect({ port: PORT, host: HOST, allowHalfOpen: true }, () => socket.write(request('/1')));
  socket.resume();
  socket.on('end', () => {
    const finAt = Math.round(performance.now() - start);
    setTimeout(() => {
      socket.write(request('/2')); // too late: the server's socket is gone → RST
      // Our read side already saw EOF, so Node will not report the RST by itself.
      setTimeout(() => {
        console.log(`19 reuse race: server FIN at ${finAt} ms, request 2 written 100 ms later, no answer`);
        socket.destroy();
        server.close();
      }, 200);
    }, 100);
  });
});
