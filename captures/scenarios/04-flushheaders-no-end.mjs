// Scenario 04 — the handler calls `res.flushHeaders()` and never `end()`.
// The header section goes out at once (chunked, since no length is known), the
// body never follows; the client waits 1.5 s and gives up → response-stalled-after-headers.
// The keep-alive Agent's socket has TCP keep-alive on: a probe appears after ~1 s idle.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5104;

const server = http.createServer((req, res) => {
  res.setHeader('Content-Type', 'text/plain');
  res.flushHeaders(); // headers on the wire now, body "later" (never)
});

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  const req = http.get({ host: HOST, port: PORT, path: '/stream', agent }, (res) => {
    const te = res.headers['transfer-encoding'];
    // Give up waiting for the body after 1.5 s: the client closes the connection.
    setTimeout(() => {
      req.destroy();
      agent.destroy();
      setTimeout(() => server.close(), 100);
      console.log(`04 flushHeaders() only: got ${res.statusCode} (${te}), no body after 1.5 s, client closed`);
    }, 1500);
  });
  req.on('error', () => {}); // destroy() after the response is not an error worth printing
});
