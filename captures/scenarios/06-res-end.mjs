// Scenario 06 — plain `res.end(body)`: Node.js buffers the header section and
// packs it with the body, so status line + headers + body travel in ONE TCP
// segment. No findings.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5106;

const server = http.createServer((req, res) => res.end('hello world\n'));

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  http.get({ host: HOST, port: PORT, path: '/', agent }, (res) => {
    res.resume();
    res.on('end', () => {
      console.log(`06 res.end(): ${res.statusCode}, Content-Length ${res.headers['content-length']}`);
      agent.destroy();
      setTimeout(() => server.close(), 100);
    });
  });
});
