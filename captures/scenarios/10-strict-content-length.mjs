// Scenario 10 — `res.strictContentLength = true`, `Content-Length: 3`, `end('1234')`:
// end() throws ERR_HTTP_CONTENT_LENGTH_MISMATCH before anything is written; the
// handler catches it and destroys the response → the server closes the
// connection without sending a byte → empty-reply ("socket hang up").
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5110;

const server = http.createServer((req, res) => {
  res.strictContentLength = true;
  res.setHeader('Content-Length', 3);
  try {
    res.end('1234');
  } catch (err) {
    console.log(`10 server: ${err.code}`);
    res.destroy();
  }
});

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  const req = http.get({ host: HOST, port: PORT, path: '/', agent }, () => {
    console.log('10 unexpected: a response arrived');
  });
  req.on('error', (err) => {
    console.log(`10 strictContentLength: client got "${err.message}" (${err.code})`);
    agent.destroy();
    server.close();
  });
});
