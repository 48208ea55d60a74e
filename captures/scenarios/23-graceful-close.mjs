// Scenario 23 — graceful shutdown with one exchange in flight. Connection A has
// finished its exchange and sits idle; connection B's request takes 500 ms.
// At 200 ms the server calls `server.close()` + `closeIdleConnections()`: A is
// closed by the server at once, B's response still completes. No error or
// warning findings (a shutdown is not a keep-alive timeout mismatch).
// Node 20 still answers B with `Connection: keep-alive` and would keep B open
// for keepAliveTimeout + 1 s; here the client closes B once it has its response.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5123;

const server = http.createServer((req, res) => {
  const delay = req.url === '/slow' ? 500 : 0;
  setTimeout(() => res.end(`response to ${req.url}\n`), delay);
});

function get(path, agent) {
  return new Promise((resolve, reject) => {
    http.get({ host: HOST, port: PORT, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    }).on('error', reject);
  });
}

server.listen(PORT, HOST, async () => {
  const agentA = new http.Agent({ keepAlive: true });
  const agentB = new http.Agent({ keepAlive: true });
  await get('/fast', agentA); // A: one exchange, then idle in agentA's pool
  const slow = get('/slow', agentB); // B: in flight for 500 ms
  setTimeout(() => {
    server.close(() => console.log('23 server closed'));
    server.closeIdleConnections(); // closes A now; B is busy and is left alone
  }, 200);
  const res = await slow;
  console.log(`23 graceful close: /slow answered ${res.statusCode} (Connection: ${res.headers.connection}) after close()`);
  agentA.destroy();
  agentB.destroy();
});
