// Scenario 16 — protocol upgrade: the client asks `Upgrade: echo`, the server
// answers `101 Switching Protocols`, and from then on the connection carries
// plain text lines that are NOT HTTP (counted, not parsed).
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5116;

const server = http.createServer((req, res) => res.end('no upgrade\n'));
server.on('upgrade', (req, socket) => {
  socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n');
  // The "echo" protocol: every line comes back upper-cased.
  socket.on('data', (chunk) => socket.write(chunk.toString('latin1').toUpperCase()));
  socket.on('end', () => socket.end());
});

server.listen(PORT, HOST, () => {
  const req = http.request({
    host: HOST, port: PORT, path: '/chat', agent: false,
    headers: { Connection: 'Upgrade', Upgrade: 'echo' },
  });
  req.end();
  req.on('upgrade', (res, socket) => {
    socket.setEncoding('latin1');
    setTimeout(() => socket.write('hello over the new protocol\n'), 50);
    socket.once('data', (line) => {
      console.log(`16 upgrade: ${res.statusCode}, then echo ${JSON.stringify(line)}`);
      setTimeout(() => socket.end(), 50);
    });
    socket.on('close', () => server.close());
  });
});
