// Rule scenario 53 — a client retrying while its server restarts (a deploy, a crash loop): a
// keep-alive Agent GETs /1; the server closes (server.close() and closeIdleConnections(), as on
// SIGTERM); the client retries GET /2 every 40 ms, each attempt refused (ECONNREFUSED), until a new
// server listens on the port 220 ms later and answers. connection-refused reports the first refusal
// at once and the rest of the run in one finding, with when the server was back.
import http from 'node:http';

const PORT = 5154;
const handler = (req, res) => res.end(`ok ${req.url}\n`);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = (path) =>
  new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port: PORT, path, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(`${res.statusCode}`));
      })
      .on('error', (error) => resolve(error.code));
  });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const first = http.createServer(handler);
first.listen(PORT, '127.0.0.1', async () => {
  const seen = [`GET /1 ${await get('/1')}`];
  first.close();
  first.closeIdleConnections();
  await sleep(20);
  let second = null;
  setTimeout(() => { second = http.createServer(handler).listen(PORT, '127.0.0.1'); }, 220);
  for (let attempt = 1; attempt <= 20; attempt++) {
    const result = await get('/2');
    seen.push(`GET /2 #${attempt} ${result}`);
    if (result === '200') break;
    await sleep(40);
  }
  console.log(`53 server restart: ${seen.join(', ')}`);
  agent.destroy();
  setTimeout(() => second?.close(), 100);
});
