// Scenario 08 — `Content-Length: 3` but the body is `1234` → content-length-overrun.
// The extra byte "4" follows the 3-byte body; Node's client parser reads it as
// the start of the next response and fails with HPE_INVALID_CONSTANT
// ("Expected HTTP/"), then destroys the socket.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5108;

const server = http.createServer((req, res) => {
  res.setHeader('Content-Length', 3);
  res.end('1234'); // one byte too many (strictContentLength is off by default)
});

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  let body = '';
  const req = http.get({ host: HOST, port: PORT, path: '/', agent }, (res) => {
    res.setEncoding('latin1');
    res.on('data', (chunk) => (body += chunk));
  });
  let error = '';
  req.on('error', (err) => (error = err.code));
  req.on('close', () => {
    console.log(`08 overrun: client read body ${JSON.stringify(body)}, then ${error}`);
    agent.destroy();
    setTimeout(() => server.close(), 100);
  });
});
