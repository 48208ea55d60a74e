// Scenario 24 — the client sends `Connection: close`: one exchange, the server
// echoes `Connection: close` and closes the connection after the response.
// No findings.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5124;

const server = http.createServer((req, res) => res.end('bye\n'));

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  http.get({ host: HOST, port: PORT, path: '/', agent, headers: { Connection: 'close' } }, (res) => {
    res.resume();
    res.on('end', () => {
      console.log(`24 Connection: close: ${res.statusCode}, response Connection: ${res.headers.connection}`);
      setTimeout(() => { agent.destroy(); server.close(); }, 100);
    });
  });
});
