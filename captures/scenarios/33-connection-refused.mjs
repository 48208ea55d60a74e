// Rule scenario 33 — a Node.js client connects to a port nothing listens on: the SYN is answered
// by RST and `http.get` fails with ECONNREFUSED → connection-refused.
import http from 'node:http';

const HOST = '127.0.0.1';
const PORT = 5134; // deliberately no server

const req = http.get({ host: HOST, port: PORT, path: '/', agent: false }, (res) => res.resume());
req.on('error', (err) => console.log(`33 connection refused: client error ${err.code}`));
