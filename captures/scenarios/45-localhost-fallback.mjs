// Rule scenario 45 — `localhost` resolves to `::1` first (as /etc/hosts has it on macOS and in many
// Docker images; the lookup below returns both addresses in that order on any machine), the server
// listens on 127.0.0.1 only. Node 20's autoSelectFamily (on by default) tries [::1]:5146, gets a
// RST, and connects to 127.0.0.1:5146 at once: both GETs are served on that connection. The refused
// SYN is no error the application saw: connection-refused stays silent (handshake.fallback).
import http from 'node:http';

const PORT = 5146;
const lookup = (hostname, options, callback) =>
  options.all ? callback(null, [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }]) : callback(null, '::1', 6);

const server = http.createServer((req, res) => res.end(`hello ${req.url}\n`));

server.listen(PORT, '127.0.0.1', async () => {
  const agent = new http.Agent({ keepAlive: true });
  const get = (path) =>
    new Promise((resolve, reject) => {
      http.get({ host: 'localhost', port: PORT, path, agent, lookup, autoSelectFamily: true }, (res) => {
        const via = res.socket.remoteAddress;
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve(`${res.statusCode} ${body.trim()} via ${via}`));
      }).on('error', reject);
    });
  const got = [await get('/1'), await get('/2')];
  console.log(`45 localhost fallback: ${got.join('; ')}`);
  agent.destroy();
  server.close();
});
