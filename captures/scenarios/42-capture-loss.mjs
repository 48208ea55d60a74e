// Rule scenario 42 — capture loss on a keep-alive connection. A Node.js client sends six GETs one
// after the other over one keep-alive Agent socket (maxSockets 1), each answered by a one-segment
// 200; then it closes. Nothing is wrong between the peers: the recorder (catalog `drop`) deletes
// the frames of response 2, request 4 and response 6 with editcap, which is what a capture that
// dropped those packets looks like (the peers' ACKs still acknowledge the bytes). Paired naively,
// response 3 would answer request 2 and every later request look pipelined; wirelens marks the
// lost messages and reports only the capture gap.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5143;

const server = http.createServer((req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify({ path: req.url }));
});

server.listen(PORT, HOST, async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const statuses = [];
  for (let n = 1; n <= 6; n++) {
    statuses.push(
      await new Promise((resolve, reject) => {
        http.get({ host: HOST, port: PORT, path: `/item/${n}`, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        }).on('error', reject);
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  console.log(`42 capture loss: six GETs on one socket, statuses ${statuses.join(' ')}`);
  agent.destroy();
  setTimeout(() => server.close(), 50);
});
