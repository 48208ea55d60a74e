// Scenario 02b — the same keep-alive Agent, but the server's keepAliveTimeout is
// 1000 ms → the responses say `Keep-Alive: timeout=1`. Node.js (>= 19) Agents
// subtract 1 s from the hint, i.e. 0 s: they drop the socket after every
// response, so the three requests use three connections → keepalive-hint-too-short.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5128;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const server = http.createServer((req, res) => res.end(`response to ${req.url}\n`));
server.keepAliveTimeout = 1000; // → "Keep-Alive: timeout=1"

const agent = new http.Agent({ keepAlive: true });

function get(path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port: PORT, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(`${res.statusCode} ${res.headers['keep-alive']}${req.reusedSocket ? ' (reused)' : ''}`));
    });
    req.on('error', reject);
  });
}

server.listen(PORT, HOST, async () => {
  const results = [];
  for (const path of ['/1', '/2', '/3']) {
    results.push(await get(path));
    await sleep(100);
  }
  agent.destroy();
  setTimeout(() => server.close(), 100);
  console.log(`02b keep-alive hint too short: ${results.join(', ')}`);
});
