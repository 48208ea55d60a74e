// Rule scenario 48 — a test script's curl calls against a Node server: each `curl` process opens
// its own connection, sends one request and closes (FIN by the client) — by design, nothing for a
// Node.js client to fix → no connection-per-request. Among them an HTTP/1.0 request (Node answers
// `Connection: close` and closes) and a 404. Then two Node clients with `agent: false`, which are
// the rule's case → connection-per-request names those two connections only.
import { execFile } from 'node:child_process';
import http from 'node:http';
import { promisify } from 'node:util';

const PORT = 5149;
const curl = promisify(execFile);
const server = http.createServer((req, res) => {
  res.statusCode = req.url === '/missing' ? 404 : 200;
  res.end(`${req.url}\n`);
});

const nodeGet = (path) =>
  new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: PORT, path, agent: false }, (res) => res.resume().on('end', () => resolve(res.statusCode))).on('error', reject);
  });

server.listen(PORT, '127.0.0.1', async () => {
  const got = [];
  for (const args of [['/a'], ['/b'], ['/missing'], ['--http1.0', '/c']]) {
    const path = args[args.length - 1];
    const { stdout } = await curl('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', ...args.slice(0, -1), `http://127.0.0.1:${PORT}${path}`]);
    got.push(`curl ${path} ${stdout}`);
  }
  for (const path of ['/node-1', '/node-2']) got.push(`node ${path} ${await nodeGet(path)}`);
  console.log(`48 curl per request: ${got.join(', ')}`);
  server.close();
});
