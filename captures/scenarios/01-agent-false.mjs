// Scenario 01 — `agent: false`, three requests → connection-per-request.
// Without an Agent every request opens its own TCP connection and sends
// `Connection: close`; the server answers and closes it. On the wire: three
// connections, each with a 3-way handshake, one GET/200 and a FIN exchange.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5101;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const server = http.createServer((req, res) => res.end(`response to ${req.url}\n`));

function get(path) {
  return new Promise((resolve, reject) => {
    // agent: false → a fresh connection for this one request.
    http.get({ host: HOST, port: PORT, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', reject);
  });
}

server.listen(PORT, HOST, async () => {
  const codes = [];
  for (const path of ['/1', '/2', '/3']) {
    codes.push(await get(path));
    await sleep(50); // a fixed gap keeps the three connections apart in the capture
  }
  console.log(`01 agent:false: 3 requests on 3 connections → ${codes.join(' ')}`);
  server.close();
});
