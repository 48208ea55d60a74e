// Scenario 25 — the client calls `req.destroy()` 100 ms after sending its
// request, before the (deliberately slow) response → no-response: request,
// silence, the client closes after 0.1 s, and the server never writes a byte.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5125;

const server = http.createServer((req, res) => {
  const timer = setTimeout(() => res.end('too late\n'), 1000);
  res.on('close', () => {
    clearTimeout(timer); // the client is gone: do not answer
    console.log(`25 server: client went away, response written: ${res.headersSent}`);
  });
});

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  const req = http.get({ host: HOST, port: PORT, path: '/slow', agent }, () => {
    console.log('25 unexpected: a response arrived');
  });
  req.on('error', () => {}); // "socket hang up" caused by our own destroy()
  req.on('close', () => {
    console.log('25 client req.destroy() after 100 ms');
    agent.destroy();
    setTimeout(() => server.close(), 100);
  });
  setTimeout(() => req.destroy(), 100);
});
