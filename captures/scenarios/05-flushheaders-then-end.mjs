// Scenario 05 — `res.flushHeaders()` and then `res.end(body)` 50 ms later.
// The header section travels alone in one segment, the (chunked) body in a later
// one → headers-flushed-separately (an extra packet for a 12-byte body).
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5105;

const server = http.createServer((req, res) => {
  res.setHeader('Content-Type', 'text/plain');
  res.flushHeaders();
  setTimeout(() => res.end('hello world\n'), 50);
});

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  http.get({ host: HOST, port: PORT, path: '/', agent }, (res) => {
    let body = '';
    res.setEncoding('latin1');
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => {
      console.log(`05 flushHeaders()+end(): ${res.statusCode} ${res.headers['transfer-encoding']}, body ${JSON.stringify(body)}`);
      agent.destroy();
      setTimeout(() => server.close(), 100);
    });
  });
});
