// Rule scenario 31 — a raw `net` server writes chunk framing by hand and gets it wrong: a good
// 5-byte chunk, then the chunk-size line `zz`. The Node.js client fails the response with
// HPE_INVALID_CHUNK_SIZE ("Invalid character in chunk size") → invalid-chunk.
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5132;

const server = net.createServer((socket) => {
  socket.on('error', () => {}); // the client may reset after its parse error
  socket.once('data', () => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n');
  });
});

server.listen(PORT, HOST, () => {
  let body = '';
  const req = http.get({ host: HOST, port: PORT, path: '/chunks', agent: false }, (res) => {
    res.setEncoding('latin1');
    res.on('data', (chunk) => (body += chunk));
    res.on('error', () => {});
  });
  let error = '';
  req.on('error', (err) => (error = `${err.code} (${err.message})`));
  req.on('close', () => {
    console.log(`31 invalid chunk: client read ${JSON.stringify(body)}, then ${error || 'no error'}`);
    setTimeout(() => server.close(), 50);
  });
});
