// Rule scenario 41 — a slow handler answers after 2 s, but the recording stops earlier: the
// recorder (catalog `captureMs: 1400`) stops tcpdump 1.4 s after the program started, while the GET
// is still waiting. The keep-alive Agent's TCP keep-alive probe (~1 s after the request) is the
// file's last frame. The file ends with the request unanswered → unanswered-request (a note: the
// capture, not the peers, ended the wait).
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5142;

const server = http.createServer((req, res) => setTimeout(() => res.end('late\n'), 2000));

server.listen(PORT, HOST, () => {
  const started = Date.now();
  const agent = new http.Agent({ keepAlive: true }); // SO_KEEPALIVE: a probe after 1 s idle
  http.get({ host: HOST, port: PORT, path: '/slow', agent }, (res) => {
    res.resume();
    res.on('end', () => {
      console.log(`41 capture ends while waiting: ${res.statusCode} after ${((Date.now() - started) / 1000).toFixed(1)} s (the capture stopped at 1.4 s)`);
      agent.destroy();
      server.close();
    });
  });
});
