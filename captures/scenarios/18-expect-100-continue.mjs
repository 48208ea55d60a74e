// Scenario 18 — `Expect: 100-continue`: the client sends only the header section,
// the server (no 'checkContinue' listener) answers `100 Continue` by itself,
// the client then sends the body and gets the final 200. No findings.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5118;
const BODY = 'a body the client waited to send\n';

const server = http.createServer((req, res) => {
  let size = 0;
  req.on('data', (chunk) => (size += chunk.length));
  req.on('end', () => res.end(`received ${size} bytes\n`));
});

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  const req = http.request({
    host: HOST, port: PORT, path: '/upload', method: 'PUT', agent,
    headers: { Expect: '100-continue', 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(BODY) },
  });
  req.flushHeaders(); // header section only
  req.on('continue', () => req.end(BODY)); // body only after "100 Continue"
  req.on('response', (res) => {
    res.resume();
    res.on('end', () => {
      console.log(`18 expect 100-continue: 100 then ${res.statusCode}`);
      agent.destroy();
      setTimeout(() => server.close(), 100);
    });
  });
});
