// Scenario 03 — the handler calls `res.writeHead(200)` and never `end()`.
// writeHead() only marks headersSent: nothing reaches the wire. The client gives
// up after 1.5 s and closes → no-response (request, ACK, silence, client FIN).
// The keep-alive Agent's socket has TCP keep-alive on: a probe appears after ~1 s idle.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5103;

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  console.log(`03 server: writeHead() done, headersSent=${res.headersSent}, never ending`);
});

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  const req = http.get({ host: HOST, port: PORT, path: '/wait', agent }, () => {
    console.log('03 unexpected: a response arrived');
  });
  req.on('close', () => {
    console.log('03 writeHead() only: no response bytes, client gave up after 1.5 s');
    agent.destroy();
    setTimeout(() => server.close(), 100);
  });
  req.on('error', () => {}); // "socket hang up" from our own destroy()
  setTimeout(() => req.destroy(), 1500);
});
