// Rule scenario 50 — a Node reverse proxy's keep-alive Agent (maxSockets 1) to a Node upstream,
// recorded on the upstream's port: GET /a and /b answered on one connection, then the upstream's
// handler destroys the socket of GET /crash (no response: the proxy answers 502), the next
// connection carries /c, then /slow, which the proxy gives up on after 200 ms (504). The close
// after /crash is not an idle keep-alive close (a request was waiting): empty-reply, no-response,
// and no keepalive-timeout-mismatch.
import http from 'node:http';

const PORT = 5151;
const upstream = http.createServer((req, res) => {
  if (req.url === '/crash') return req.socket.destroy();
  if (req.url === '/slow') return void setTimeout(() => res.end('slow done\n'), 300);
  res.setHeader('Content-Type', 'application/json');
  res.end(`{"path":"${req.url}"}\n`);
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const proxied = (path) =>
  new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: PORT, path, agent, timeout: 200 }, (res) => {
      res.resume();
      res.on('end', () => resolve(`${path} ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy(new Error('upstream timeout')));
    req.on('error', (error) => resolve(`${path} ${error.message === 'upstream timeout' ? 504 : 502} (${error.message})`));
  });

upstream.listen(PORT, '127.0.0.1', async () => {
  const seen = [];
  for (const path of ['/a', '/b', '/crash', '/c', '/slow']) seen.push(await proxied(path));
  console.log(`50 upstream dies mid keep-alive: ${seen.join(', ')}`);
  agent.destroy();
  setTimeout(() => upstream.close(), 200);
});
