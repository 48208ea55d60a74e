// Scenario 13 — the client flushes a complete header section announcing
// `Content-Length: 3` and never sends the body. The handler waits for the body;
// after requestTimeout (1500 ms, checked every 200 ms) Node answers
// `408 Request Timeout` + `Connection: close` and closes → request-timeout.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5113;

const server = http.createServer({ connectionsCheckingInterval: 200 }, (req, res) => {
  req.resume();
  req.on('end', () => res.end('thanks\n')); // never happens
});
server.headersTimeout = 1000;
server.requestTimeout = 1500;

server.listen(PORT, HOST, () => {
  const start = performance.now();
  const agent = new http.Agent({ keepAlive: true });
  const req = http.request({
    host: HOST, port: PORT, path: '/upload', method: 'POST', agent,
    headers: { 'Content-Type': 'text/plain', 'Content-Length': 3 },
  });
  req.flushHeaders(); // headers now, the 3 body bytes never
  req.on('response', (res) => {
    res.resume();
    res.on('end', () => {
      const ms = Math.round(performance.now() - start);
      console.log(`13 body never sent: ${res.statusCode} ${res.headers.connection} after ${ms} ms`);
      agent.destroy();
      server.close();
    });
  });
  req.on('error', () => {});
});
