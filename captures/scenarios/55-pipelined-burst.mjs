// Rule scenario 55 — what a load tool's pipelining looks like (autocannon -p, wrk with a pipeline
// script): one connection, ten GETs in one write, then ten more once five responses are back, all
// answered in order by a Node server. pipelining reports the connection's first pipelined request
// at once and the rest in one finding at the close, not one note per request.
import http from 'node:http';
import net from 'node:net';

const PORT = 5156;
const server = http.createServer((req, res) => res.end(`ok ${req.url}\n`));
const burst = (from) => Array.from({ length: 10 }, (_, i) => `GET /${from + i} HTTP/1.1\r\nHost: 127.0.0.1:${PORT}\r\n\r\n`).join('');

server.listen(PORT, '127.0.0.1', () => {
  const socket = net.connect(PORT, '127.0.0.1', () => socket.write(burst(1)));
  let received = '';
  let second = false;
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
    const responses = received.split('HTTP/1.1 200').length - 1;
    if (!second && responses >= 5) {
      second = true;
      socket.write(burst(11));
    }
    if (responses === 20) {
      console.log('55 pipelined burst: 20 responses, in order:', /ok \/20\n$/.test(received));
      socket.end();
    }
  });
  socket.on('close', () => server.close());
});
