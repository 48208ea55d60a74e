// Scenario 26 — an ordinary POST with a JSON body answered `201 Created` with a
// JSON body. Request headers+body and response headers+body are each packed in
// one segment. No findings.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5126;
const BODY = JSON.stringify({ name: 'wirelens', kind: 'capture analyzer' });

const server = http.createServer((req, res) => {
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (chunk) => (raw += chunk));
  req.on('end', () => {
    const created = { id: 42, ...JSON.parse(raw) };
    res.writeHead(201, { 'Content-Type': 'application/json', Location: '/items/42' });
    res.end(JSON.stringify(created));
  });
});

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  const req = http.request({
    host: HOST, port: PORT, path: '/items', method: 'POST', agent,
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(BODY) },
  }, (res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (body += chunk));
    res.on('end', () => {
      console.log(`26 POST JSON: ${res.statusCode} ${body}`);
      agent.destroy();
      setTimeout(() => server.close(), 100);
    });
  });
  req.end(BODY);
});
