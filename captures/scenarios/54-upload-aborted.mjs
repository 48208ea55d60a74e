// Rule scenario 54 — a Node client that gives up on its own upload: POST /upload declaring
// Content-Length: 100000, 30000 B written, then req.destroy() 50 ms later (a cancelled upload, a
// client-side timeout). The client's FIN comes in the middle of the body; Node's server parser
// meets EOF there (HPE_INVALID_EOF_STATE, 'clientError': the request emits 'aborted') and answers
// 400 Bad Request on the half-open socket, which the client's kernel answers with a RST.
// bad-request says the 400 answers the client's FIN (the client gave up), not a server check.
import http from 'node:http';

const PORT = 5155;
const server = http.createServer((req, res) => {
  let received = 0;
  req.on('data', (chunk) => { received += chunk.length; });
  req.on('end', () => res.end(`got ${received}\n`));
  req.on('aborted', () => console.log(`54 upload aborted: the server saw 'aborted' after ${received} B`));
});

server.listen(PORT, '127.0.0.1', () => {
  const req = http.request({ host: '127.0.0.1', port: PORT, path: '/upload', method: 'POST', headers: { 'Content-Length': 100000 } });
  req.on('error', (error) => console.log(`54 upload aborted: the client's request ended with ${error.message}`));
  req.write(Buffer.alloc(30000, 'a'));
  setTimeout(() => req.destroy(), 50);
  setTimeout(() => server.close(), 300);
});
