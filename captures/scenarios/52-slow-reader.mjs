// Rule scenario 52 — a Node client that reads a 1 MiB response slowly (it pauses the response for
// 1.2 s after the first chunk, as a stream piped into a slow consumer does), then stays idle on its
// keep-alive socket for 1.5 s and GETs a second time. The client's receive buffer fills: it
// advertises a zero window, and the server probes the closed window (seq - 1, no payload) until it
// opens. tshark calls those probes "keep-alive"; they are zero-window probes — the server had data
// waiting — where the client's probe in the idle gap (http.Agent's keepAliveMsecs, 1 s) is a real
// TCP keep-alive probe. Clean traffic: no error or warning, and no response stall is blamed on the
// server (the wait was the reader's).
import http from 'node:http';

const PORT = 5153;
const body = Buffer.alloc(1 << 20, 'z');
const server = http.createServer((req, res) => {
  if (req.url === '/big') return res.end(body);
  res.end('small\n');
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = (path, pauseMs) =>
  new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: PORT, path, agent }, (res) => {
        let bytes = 0;
        if (pauseMs > 0) res.once('data', () => { res.pause(); setTimeout(() => res.resume(), pauseMs); });
        res.on('data', (chunk) => { bytes += chunk.length; });
        res.on('end', () => resolve(`${path} ${res.statusCode} ${bytes} B`));
      })
      .on('error', reject);
  });

server.listen(PORT, '127.0.0.1', async () => {
  const big = await get('/big', 1200);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const small = await get('/small', 0);
  console.log(`52 slow reader: ${big}, ${small}`);
  agent.destroy();
  setTimeout(() => server.close(), 200);
});
