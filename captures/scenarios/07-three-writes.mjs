// Scenario 07 — three `res.write()` calls (the last via `end()`) in the same tick.
// No length is known → `Transfer-Encoding: chunked`, three chunks + the last
// chunk. The writes are corked, so headers and all chunks share one segment.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5107;

const server = http.createServer((req, res) => {
  res.write('first line\n');
  res.write('second line\n');
  res.end('third line\n');
});

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  http.get({ host: HOST, port: PORT, path: '/', agent }, (res) => {
    let body = '';
    res.setEncoding('latin1');
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => {
      console.log(`07 three writes: ${res.statusCode} ${res.headers['transfer-encoding']}, ${body.length} body bytes`);
      agent.destroy();
      setTimeout(() => server.close(), 100);
    });
  });
});
