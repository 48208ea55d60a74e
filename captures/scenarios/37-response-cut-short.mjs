// Rule scenario 37 — a raw `net` server starts a chunked response, sends one chunk and closes the
// connection without the last chunk. The Node.js client's response emits 'aborted' / ECONNRESET
// ("aborted") → incomplete-message.
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5138;

const server = net.createServer((socket) => {
  socket.once('data', () => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello\n\r\n');
    setTimeout(() => socket.end(), 100); // FIN with the body unfinished
  });
});

server.listen(PORT, HOST, () => {
  let body = '';
  let error = '';
  const req = http.get({ host: HOST, port: PORT, path: '/stream', agent: false }, (res) => {
    res.setEncoding('latin1');
    res.on('data', (chunk) => (body += chunk));
    res.on('error', (err) => (error = `${err.code} (${err.message})`));
  });
  req.on('error', (err) => (error ||= `${err.code} (${err.message})`));
  req.on('close', () => {
    console.log(`37 response cut short: client read ${JSON.stringify(body)}, then ${error || 'no error'}`);
    setTimeout(() => server.close(), 50);
  });
});
