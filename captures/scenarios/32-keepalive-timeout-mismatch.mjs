// Rule scenario 32 — the advertised keep-alive hint and the real idle timer disagree: the handler
// sets `Keep-Alive: timeout=5` itself while `server.keepAliveTimeout` is 500 ms, so the server
// closes the idle connection after ~1.5 s (keepAliveTimeout + 1 s, BEHAVIOURS §3). The keep-alive
// Agent's second request, 2 s later, goes out on a new connection the same server accepts
// → keepalive-timeout-mismatch.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5133;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const server = http.createServer((req, res) => {
  res.setHeader('Keep-Alive', 'timeout=5'); // the header configured separately from the timer
  res.end(`response to ${req.url}\n`);
});
server.keepAliveTimeout = 500;

const agent = new http.Agent({ keepAlive: true });

function get(path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port: PORT, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(`${res.statusCode} Keep-Alive: ${res.headers['keep-alive']}${req.reusedSocket ? ' (reused)' : ' (new connection)'}`));
    });
    req.on('error', reject);
  });
}

server.listen(PORT, HOST, async () => {
  const results = [await get('/1')];
  await sleep(2000);
  results.push(await get('/2'));
  agent.destroy();
  setTimeout(() => server.close(), 100);
  console.log(`32 keep-alive timeout mismatch: ${results.join(', ')}`);
});
