// Scenario 02 — a keep-alive Agent, three requests, server keepAliveTimeout 5000
// (the default) → ONE connection reused for all three exchanges, no findings.
// The response advertises `Keep-Alive: timeout=5`; the Agent keeps the idle
// socket and turns on TCP keep-alive (keepAliveMsecs 1000), so the 1.2 s idle
// gap before request 3 shows a TCP keep-alive probe from the client.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5102;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const server = http.createServer((req, res) => res.end(`response to ${req.url}\n`));
server.keepAliveTimeout = 5000; // the default, written out: Keep-Alive: timeout=5

const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 1000 });

function get(path) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port: PORT, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(`${res.statusCode}${req.reusedSocket ? ' (reused)' : ''}`));
    });
    req.on('error', reject);
  });
}

server.listen(PORT, HOST, async () => {
  const results = [];
  results.push(await get('/1'));
  await sleep(100);
  results.push(await get('/2'));
  await sleep(1200); // idle > keepAliveMsecs: the kernel sends a keep-alive probe
  results.push(await get('/3'));
  await sleep(100);
  agent.destroy(); // the client closes its pooled socket (client FIN first)
  setTimeout(() => server.close(), 100);
  console.log(`02 keep-alive agent: ${results.join(', ')}`);
});
