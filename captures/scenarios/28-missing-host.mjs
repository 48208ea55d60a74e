// Rule scenario 28 — a Node.js client with `setHost: false` sends an HTTP/1.1 request without a
// Host header. The Node.js server (requireHostHeader defaults to true) answers its own bare
// `400 Bad Request` and closes → missing-host (+ bad-request for the 400).
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5129;

const server = http.createServer((req, res) => res.end('never reached\n'));

server.listen(PORT, HOST, () => {
  const req = http.request({ host: HOST, port: PORT, path: '/no-host', setHost: false, agent: false }, (res) => {
    res.resume();
    res.on('end', () => {
      console.log(`28 missing Host: client got ${res.statusCode} ${res.statusMessage}`);
      server.close();
    });
  });
  req.on('error', (err) => {
    console.log(`28 missing Host: client error ${err.code}`);
    server.close();
  });
  req.end();
});
