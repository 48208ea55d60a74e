// Scenario 09 — `Content-Length: 3` but the body is `12` → content-length-underrun.
// The client waits for the missing byte; the server thinks the response is done
// and closes the idle connection after keepAliveTimeout (1000 ms) + Node's
// internal buffer. The client then sees `aborted` / ECONNRESET.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5109;

const server = http.createServer((req, res) => {
  res.setHeader('Content-Length', 3);
  res.end('12'); // one byte short
});
server.keepAliveTimeout = 1000;

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  const start = performance.now();
  let body = '';
  const req = http.get({ host: HOST, port: PORT, path: '/', agent }, (res) => {
    res.setEncoding('latin1');
    res.on('data', (chunk) => (body += chunk));
    res.on('error', (err) => {
      const waited = Math.round(performance.now() - start);
      console.log(`09 underrun: body ${JSON.stringify(body)} of 3, then ${err.message}/${err.code} after ${waited} ms`);
      agent.destroy();
      server.close();
    });
  });
  req.on('error', () => {});
});
