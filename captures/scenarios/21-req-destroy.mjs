// Scenario 21 — the handler calls `req.destroy()`: the server closes the
// connection without a single response byte → empty-reply (client: "socket hang up").
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5121;

const server = http.createServer((req, res) => {
  req.destroy();
  res.end('never sent\n'); // a no-op: the socket is already destroyed
});

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  const req = http.get({ host: HOST, port: PORT, path: '/', agent }, () => {
    console.log('21 unexpected: a response arrived');
  });
  req.on('error', (err) => {
    console.log(`21 req.destroy(): client got "${err.message}" (${err.code})`);
    agent.destroy();
    server.close();
  });
});
