// Rule scenario 29 — a raw client sends a GET with 1,100 extra header fields (11 KiB, under the
// 16 KiB maxHeaderSize), 1,102 fields in all. Node.js 20 with `server.maxHeadersCount` unset keeps
// the first 1000 in `req.headers` and drops the rest without an error; the response body says
// how many the handler saw → too-many-headers.
import http from 'node:http';
import net from 'node:net';

const HOST = '127.0.0.1';
const PORT = 5130;
const EXTRA = 1100;

const server = http.createServer((req, res) => {
  res.end(`headers=${Object.keys(req.headers).length} rawHeaders=${req.rawHeaders.length / 2}\n`);
});

let request = `GET /many HTTP/1.1\r\nHost: ${HOST}:${PORT}\r\nConnection: close\r\n`;
for (let i = 1; i <= EXTRA; i++) request += `x-h${i}: v\r\n`;
request += '\r\n';

server.listen(PORT, HOST, () => {
  const socket = net.connect(PORT, HOST, () => socket.write(request));
  let received = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk) => (received += chunk));
  socket.on('end', () => socket.end());
  socket.on('close', () => {
    console.log(`29 ${EXTRA + 2} header fields sent: ${received.split('\r\n')[0]}, body ${JSON.stringify(received.split('\r\n\r\n')[1])}`);
    server.close();
  });
});
