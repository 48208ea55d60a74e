// Rule scenario 30 — a misbehaving server (a raw `net` server, as a hand-written proxy would be)
// answers a HEAD request with `Content-Length: 5` **and** the 5 body bytes. A response to HEAD
// has no body (RFC 9112 §6.3), so the bytes are not a body → body-not-allowed. The Node.js client
// (`http.request` with method HEAD) ends the response at its header section.
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5131;

const server = net.createServer((socket) => {
  socket.once('data', () => {
    socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello');
  });
});

server.listen(PORT, HOST, () => {
  const req = http.request({ host: HOST, port: PORT, path: '/', method: 'HEAD', agent: false }, (res) => {
    let body = '';
    res.setEncoding('latin1');
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => console.log(`30 HEAD: client got ${res.statusCode}, content-length ${res.headers['content-length']}, body ${JSON.stringify(body)}`));
  });
  req.on('error', (err) => console.log(`30 HEAD: client error ${err.code}`));
  req.on('close', () => setTimeout(() => server.close(), 50));
  req.end();
});
