// Rule scenario 44 — the capture starts in the middle of a download (catalog `startMs: 600`: the
// recorder starts tcpdump 0.6 s after the program). A keep-alive Agent with one socket fetches
// /file/1 (300 000 bytes the server writes 1 KiB every 5 ms, ~1.5 s), then /file/2 and /file/3
// (20 000 bytes each, in one write) on the same connection. The file begins without the handshake,
// ~190 KB before the end of /file/1's body, more than wirelens buffers while it waits to label a
// connection: the server's bytes come before any client byte. The requests that follow decide: it
// is HTTP, /file/2 and /file/3 are parsed, and the rest of /file/1 is skipped bytes. No finding.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5145;
const SIZE = { '/file/1': 300_000, '/file/2': 20_000, '/file/3': 20_000 };
const PIECE = Buffer.alloc(1024, 'd');

const server = http.createServer((req, res) => {
  const size = SIZE[req.url] ?? 0;
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size });
  if (req.url !== '/file/1') return res.end(Buffer.alloc(size, 'e'));
  let sent = 0;
  const t = setInterval(() => {
    const n = Math.min(PIECE.length, size - sent);
    sent += n;
    res.write(PIECE.subarray(0, n));
    if (sent === size) {
      clearInterval(t);
      res.end();
    }
  }, 5);
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = (path) =>
  new Promise((resolve, reject) => {
    http.get({ host: HOST, port: PORT, path, agent }, (res) => {
      let n = 0;
      res.on('data', (chunk) => (n += chunk.length));
      res.on('end', () => resolve(n));
    }).on('error', reject);
  });

server.listen(PORT, HOST, async () => {
  const got = [];
  for (const path of Object.keys(SIZE)) got.push(`${path} ${await get(path)} B`);
  // Let the capture (started at 0.6 s) see the connection idle, then close it.
  setTimeout(() => {
    console.log(`44 capture starts mid-download: ${got.join(', ')}`);
    agent.destroy();
    server.close();
  }, 300);
});
