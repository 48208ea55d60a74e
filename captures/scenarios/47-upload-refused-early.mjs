// Rule scenario 47 — a Node server refuses a 3 MB upload before reading it: the handler answers
// `413 Payload Too Large` with `Connection: close` at once, Node closes the socket while the body
// is still arriving, and the kernel resets the connection (data for a closed socket). The Node
// client, still writing, gets `write EPIPE` (and often never sees the 413) → connection-reset,
// which says why; no content-length-underrun (the client did not send too little: it was cut off).
import http from 'node:http';

const PORT = 5148;
const server = http.createServer((req, res) => {
  res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' });
  res.end('too big\n');
});

server.listen(PORT, '127.0.0.1', () => {
  const seen = [];
  const req = http.request({ host: '127.0.0.1', port: PORT, method: 'POST', path: '/upload', headers: { 'Content-Length': 3_000_000 } }, (res) => {
    seen.push(`response ${res.statusCode}`);
    res.resume();
  });
  req.on('error', (error) => seen.push(`request error ${error.code}`));
  req.on('close', () => {
    console.log(`47 upload refused early: ${seen.join(', ') || 'nothing'}`);
    server.close();
  });
  req.end(Buffer.alloc(3_000_000, 'u'));
});
