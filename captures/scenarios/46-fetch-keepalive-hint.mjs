// Rule scenario 46 — Node 20's fetch() (undici 6, bundled) against a Node server with
// keepAliveTimeout 2500: every response says `Keep-Alive: timeout=2`, undici keeps a socket for the
// hint minus its 2 s keepAliveTimeoutThreshold — nothing — and closes it right after the response.
// Three GETs 300 ms apart (an http.Agent, which subtracts 1 s, would reuse one connection) go out on
// three connections → keepalive-hint-too-short (and no connection-per-request: the hint explains it).
import http from 'node:http';

const PORT = 5147;
const server = http.createServer((req, res) => res.end(`hello ${req.url}\n`));
server.keepAliveTimeout = 2500;

server.listen(PORT, '127.0.0.1', async () => {
  const got = [];
  for (const path of ['/1', '/2', '/3']) {
    const res = await fetch(`http://127.0.0.1:${PORT}${path}`);
    got.push(`${res.status} ${(await res.text()).trim()} (keep-alive: ${res.headers.get('keep-alive')})`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  console.log(`46 fetch keep-alive hint: ${got.join('; ')}`);
  server.close();
});
