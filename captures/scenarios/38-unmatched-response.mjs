// Rule scenario 38 — a raw `net` server answers one GET with two responses in one write. The
// second has no request waiting for it → unmatched-response. The Node.js client reads the first
// and closes the connection (agent: false).
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5139;

const response = (body) => `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

const server = net.createServer((socket) => {
  socket.on('error', () => {});
  socket.once('data', () => socket.write(response('first\n') + response('second\n')));
  socket.on('end', () => socket.end());
});

server.listen(PORT, HOST, () => {
  const req = http.get({ host: HOST, port: PORT, path: '/once', agent: false }, (res) => {
    let body = '';
    res.setEncoding('latin1');
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => console.log(`38 unmatched response: client read ${res.statusCode} ${JSON.stringify(body)}`));
  });
  req.on('error', (err) => console.log(`38 unmatched response: client error ${err.code}`));
  req.on('close', () => setTimeout(() => server.close(), 50));
});
