// Rule scenario 49 — clients giving up on responses still arriving: fetch() aborted 150 ms into a
// slow 2 MB download (Content-Length) after its event loop was busy for 40 ms (bytes unread: the
// close is a RST), an `http.get` of a chunked stream destroyed after 150 ms (nothing unread: a
// FIN), and an `http.get` reading three server-sent events then destroying the request. The
// servers are not at fault: no content-length-underrun or incomplete-message; connection-reset
// explains the download's RST (the client gave up, how much had arrived); the rest is no finding.
import http from 'node:http';

const PORT = 5150;
const CHUNK = Buffer.alloc(65536, 'd');

/** Writes 64 KiB every 20 ms until `total` bytes (or forever) or the client goes. */
function drip(res, total = Infinity) {
  let sent = 0;
  const timer = setInterval(() => {
    const n = Math.min(CHUNK.length, total - sent);
    sent += n;
    res.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n));
    if (sent >= total) {
      clearInterval(timer);
      res.end();
    }
  }, 20);
  res.on('close', () => clearInterval(timer));
}

const server = http.createServer((req, res) => {
  if (req.url === '/download') {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 2_000_000 });
    drip(res, 2_000_000);
  } else if (req.url === '/stream') {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    drip(res);
  } else {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    let n = 0;
    const timer = setInterval(() => res.write(`data: event ${++n}\n\n`), 50);
    res.on('close', () => clearInterval(timer));
  }
});

const get = (path, onResponse) =>
  new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: PORT, path }, (res) => onResponse(req, res));
    req.on('error', () => {});
    req.on('close', () => resolve(path));
  });

server.listen(PORT, '127.0.0.1', async () => {
  const seen = [];
  try {
    const controller = new AbortController();
    // The client is busy for 40 ms (bytes pile up unread in its socket), then aborts: its close
    // with unread bytes is a RST. The stream below is destroyed with nothing unread: a FIN.
    setTimeout(() => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 40);
      controller.abort();
    }, 110);
    const res = await fetch(`http://127.0.0.1:${PORT}/download`, { signal: controller.signal });
    await res.arrayBuffer();
  } catch (error) {
    seen.push(`fetch /download: ${error.name}`);
  }
  await get('/stream', (req, res) => {
    let bytes = 0;
    res.on('data', (c) => (bytes += c.length));
    setTimeout(() => {
      seen.push(`/stream destroyed after ${bytes} B`);
      req.destroy();
    }, 150);
  });
  await get('/events', (req, res) => {
    let events = 0;
    res.setEncoding('utf8');
    res.on('data', (text) => {
      events += text.split('\n\n').length - 1;
      if (events >= 3) {
        seen.push(`/events destroyed after ${events} events`);
        req.destroy();
      }
    });
  });
  console.log(`49 client abandons: ${seen.join(', ')}`);
  setTimeout(() => server.close(), 100);
});
