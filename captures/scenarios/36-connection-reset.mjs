// Rule scenario 36 — after a complete exchange the server resets the connection instead of
// closing it: the handler calls `res.socket.resetAndDestroy()` once the response is written.
// The keep-alive Agent loses its idle socket with ECONNRESET → connection-reset.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5137;

const server = http.createServer((req, res) => {
  const socket = req.socket; // res.socket is already detached when end()'s callback runs
  res.end(`response to ${req.url}\n`, () => setTimeout(() => socket.resetAndDestroy(), 100));
});

const agent = new http.Agent({ keepAlive: true });

server.listen(PORT, HOST, () => {
  const req = http.get({ host: HOST, port: PORT, path: '/1', agent }, (res) => {
    res.resume();
    res.on('end', () => {
      const socket = req.socket;
      let error = 'no error';
      socket.prependListener('error', (err) => (error = err.code));
      socket.once('close', () => {
        console.log(`36 connection reset: ${res.statusCode}, then the idle socket closed with ${error}`);
        agent.destroy();
        server.close();
      });
    });
  });
});
