// Rule scenario 40 — a server whose event loop is blocked stops accepting: once its accept queue
// (listen backlog 1) is full, the kernel drops new SYNs without an answer. Three clients (in a
// worker thread) connect while the main thread is stuck in a synchronous 2.5 s wait: two complete
// the handshake into the queue, the third SYN (and its retransmission 1 s later) gets no SYN-ACK
// and that client gives up after 2 s (closing a connecting socket sends nothing). When the loop
// runs again the server accepts the two queued connections and closes them → handshake-incomplete.
import net from 'node:net';
import { Worker, isMainThread } from 'node:worker_threads';

const HOST = '127.0.0.1';
const PORT = 5141;

if (isMainThread) {
  const server = net.createServer((socket) => socket.end()); // accepted once the loop runs again: a clean close
  server.listen({ host: HOST, port: PORT, backlog: 1 }, () => {
    const worker = new Worker(new URL(import.meta.url));
    worker.on('message', (line) => console.log(line));
    worker.on('online', () => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2500); // the blocked event loop
      worker.on('exit', () => server.close());
    });
  });
} else {
  const { parentPort } = await import('node:worker_threads');
  const results = [];
  const attempt = (n) => new Promise((resolve) => {
    const socket = net.connect(PORT, HOST);
    const timer = setTimeout(() => { socket.destroy(); resolve(`${n}: no connection after 2 s`); }, 2000);
    socket.on('connect', () => clearTimeout(timer));
    socket.on('end', () => resolve(`${n}: connected, closed by the server once it accepted`));
    socket.on('error', (err) => { clearTimeout(timer); resolve(`${n}: ${err.code}`); });
  });
  for (const n of [1, 2, 3]) {
    results.push(attempt(n));
    await new Promise((r) => setTimeout(r, 50));
  }
  parentPort.postMessage(`40 blocked server, backlog 1: ${(await Promise.all(results)).join(', ')}`);
}
