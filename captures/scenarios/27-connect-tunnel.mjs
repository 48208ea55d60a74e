// Scenario 27 — `CONNECT`: the client asks the proxy (port 5127) for a tunnel
// to 127.0.0.1:5227, the proxy answers `200 Connection Established` and then
// relays raw bytes both ways. The bytes after the 200 are tunnel data, not
// HTTP (counted, not parsed). Only the client↔proxy connection is captured.
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5127;
const UPSTREAM_PORT = 5227;

// The tunnel's far end: a tiny line-based service that upper-cases what it gets.
const upstream = net.createServer((s) => {
  s.on('data', (chunk) => s.write(chunk.toString('latin1').toUpperCase()));
  s.on('end', () => s.end());
});

const proxy = http.createServer((req, res) => res.end('not a proxy request\n'));
proxy.on('connect', (req, clientSocket, head) => {
  const [host, port] = req.url.split(':');
  const target = net.connect(Number(port), host, () => {
    clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) target.write(head);
    target.pipe(clientSocket);
    clientSocket.pipe(target);
  });
});

upstream.listen(UPSTREAM_PORT, HOST, () => proxy.listen(PORT, HOST, () => {
  const req = http.request({ host: HOST, port: PORT, method: 'CONNECT', path: `${HOST}:${UPSTREAM_PORT}`, agent: false });
  req.end();
  req.on('connect', (res, socket) => {
    socket.setEncoding('latin1');
    setTimeout(() => socket.write('hello through the tunnel\n'), 50);
    socket.once('data', (reply) => {
      console.log(`27 CONNECT: ${res.statusCode}, tunnel reply ${JSON.stringify(reply)}`);
      setTimeout(() => socket.end(), 50);
    });
    socket.on('close', () => { proxy.close(); upstream.close(); });
  });
}));
