// Rule scenario 43 — three transfers are under way when the recording stops (catalog
// `captureMs: 1400`): a server-sent event stream (`text/event-stream`, an event every 100 ms), a
// 1 000 000-byte download the server writes 1 KiB every 20 ms, and a 1 000 000-byte upload the
// client writes the same way. Each is on its own keep-alive socket. The program stops them at
// 2.5 s, after the capture ended. Nothing is wrong with any of them: the capture cut them, so each
// gets an unanswered-request note and no truncation finding.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5144;
const TOTAL = 1_000_000;
const PIECE = Buffer.alloc(1024, 'x');

const timers = new Set();
const every = (ms, fn) => {
  const t = setInterval(fn, ms);
  timers.add(t);
  return t;
};

/** Writes `total` bytes to `stream`, 1 KiB every 20 ms; the last piece is shorter. */
function trickle(stream, total) {
  let sent = 0;
  const t = every(20, () => {
    const n = Math.min(PIECE.length, total - sent);
    sent += n;
    stream.write(PIECE.subarray(0, n));
    if (sent === total) clearInterval(t);
  });
  return () => sent;
}

const server = http.createServer((req, res) => {
  if (req.url === '/events') {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    let n = 0;
    every(100, () => res.write(`data: ${++n}\n\n`));
  } else if (req.url === '/download') {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': TOTAL });
    trickle(res, TOTAL);
  } else {
    let got = 0;
    req.on('data', (chunk) => (got += chunk.length));
    req.on('end', () => res.end(`${got}\n`));
  }
});

server.listen(PORT, HOST, () => {
  const agent = new http.Agent({ keepAlive: true });
  const seen = { events: 0, download: 0 };
  for (const path of ['/events', '/download']) {
    http.get({ host: HOST, port: PORT, path, agent }, (res) => {
      res.on('data', (chunk) => (seen[path.slice(1)] += chunk.length));
      res.on('error', () => {});
    }).on('error', () => {});
  }
  const upload = http.request({ host: HOST, port: PORT, path: '/upload', method: 'POST', agent, headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': TOTAL } });
  upload.on('error', () => {});
  upload.flushHeaders();
  const uploaded = trickle(upload, TOTAL);
  setTimeout(() => {
    for (const t of timers) clearInterval(t);
    console.log(`43 capture ends streaming: at 2.5 s the client had ${seen.events} B of events and ${seen.download} of ${TOTAL} B downloaded, and had uploaded ${uploaded()} of ${TOTAL} B (the capture stopped at 1.4 s)`);
    agent.destroy();
    server.closeAllConnections();
    server.close();
  }, 2500);
});
