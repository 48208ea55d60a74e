// Scenario 17 — `res.writeEarlyHints()`: a `103 Early Hints` interim response
// with a Link header goes out first, the final 200 follows 20 ms later.
// No findings (1xx responses before the final one are normal).
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5117;

const server = http.createServer((req, res) => {
  res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
  setTimeout(() => res.end('<!doctype html><link rel=stylesheet href=/style.css>\n'), 20);
});

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  const req = http.get({ host: HOST, port: PORT, path: '/', agent });
  const seen = [];
  req.on('information', (info) => seen.push(`${info.statusCode} (${info.headers.link})`));
  req.on('response', (res) => {
    res.resume();
    res.on('end', () => {
      console.log(`17 early hints: ${seen.join(', ')} then ${res.statusCode}`);
      agent.destroy();
      setTimeout(() => server.close(), 100);
    });
  });
});
