// Rule scenario 51 — HTTPS between Node peers: a keep-alive https.Agent GETs three times on one
// TLS connection, then `agent.destroy()`. The client's FIN is answered by the server's TLS
// close_notify alert, which reaches a closed socket: the client's kernel sends a RST. That is how
// TLS connections end when the client closes first — wirelens does not read TLS (the connection is
// labelled `tls`, not inspected) and connection-reset does not report it.
import https from 'node:https';

const PORT = 5152;
// A throwaway self-signed P-256 certificate for CN=localhost (valid 100 years), made for this scenario only.
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgAIPeIbxVAS3rQyaI
cuBYYPYv8yS7HmYG+UGUmo1vvbChRANCAAReHylvAb3KTGcyHeZhragC6dVRUmnY
vMZFlmxs5q9Kek0OlcenJK5NYoa5RzOLUNHJdFOPf3aVGj4/cS1R1tsY
-----END PRIVATE KEY-----`;
const CERT = `-----BEGIN CERTIFICATE-----
MIIBgDCCASWgAwIBAgIUeRVUtPecx6zV6XMgBmqt3cc8VVAwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwMzIxNTY1NFoYDzIxMjYxMTA5
MjE1NjU0WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAReHylvAb3KTGcyHeZhragC6dVRUmnYvMZFlmxs5q9Kek0OlcenJK5N
Yoa5RzOLUNHJdFOPf3aVGj4/cS1R1tsYo1MwUTAdBgNVHQ4EFgQUNiO3RmMaKmRN
as0vpSP86RaYwOMwHwYDVR0jBBgwFoAUNiO3RmMaKmRNas0vpSP86RaYwOMwDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEAl5GCYBAtcBHlPL7V1wo+
KUTKP8FYywZeoYrbJ++BK7wCIQDshNfSKqBXXhc9TgrdDdTKkpHG4M3TYTErpwCn
L2ChKA==
-----END CERTIFICATE-----`;

const server = https.createServer({ key: KEY, cert: CERT }, (req, res) => res.end(`secure ${req.url}\n`));

server.listen(PORT, '127.0.0.1', async () => {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
  const got = [];
  for (const path of ['/1', '/2', '/3']) {
    got.push(
      await new Promise((resolve) => {
        https.get({ host: '127.0.0.1', port: PORT, path, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(`${path} ${res.statusCode} reused=${res.req.reusedSocket}`));
        });
      }),
    );
  }
  console.log(`51 tls keep-alive: ${got.join(', ')}`);
  agent.destroy();
  setTimeout(() => server.close(), 100);
});
