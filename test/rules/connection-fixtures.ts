/**
 * Shared by the tests of the connection, keep-alive, pairing and capture-quality rules: the fields
 * of a finding the tests compare, HTTP messages, and the synthetic captures for behaviours no
 * recording in captures/ shows (frames 1 ms apart unless a wait() says otherwise).
 */
import { writeFileSync } from 'node:fs';
import { LinkType } from '../../src/capture/frame.js';
import type { Finding } from '../../src/lint/types.js';
import { writePcapng } from '../../src/synth/capture-writer.js';
import { buildFrame } from '../../src/synth/packets.js';
import { TcpFlag } from '../../src/decode/segment.js';
import { SyntheticCapture } from '../helpers/conversation.js';

export type Brief = Pick<Finding, 'ruleId' | 'message' | 'connection' | 'exchange' | 'frames'>;

/** What the tests assert of a finding (title, help and severity come from the rule). */
export const brief = (findings: Finding[]): Brief[] =>
  findings.map(({ ruleId, message, connection, exchange, frames }) => ({ ruleId, message, connection, exchange, frames }));

export const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: example.test\r\n${extra}\r\n`;
export const ok = (extra = ''): string => `HTTP/1.1 200 OK\r\nContent-Length: 2\r\n${extra}\r\nok`;

/**
 * Client 127.0.0.1:40000 → 127.0.0.1:5000: GET / answered 200 (frames 1–5), then the client
 * resets the connection (frame 6) — a RST no more specific rule explains.
 */
export function plainReset(): string {
  const cap = new SyntheticCapture();
  cap.conversation().handshake().send('client', get('/')).send('server', ok('Keep-Alive: timeout=5\r\n')).wait(0.5).rst('client');
  return cap.writeTemp('plain-reset.pcapng');
}

/** A SYN to 127.0.0.1:5000 answered by RST (frames 1, 2). */
export function refused(): string {
  const cap = new SyntheticCapture();
  cap.conversation().syn().rst('server');
  return cap.writeTemp('refused.pcapng');
}

/**
 * A client retrying while its server is down: three SYNs from 127.0.0.1 to 127.0.0.1:5000 answered by
 * RST (connections 1–3, frames 1–6, 100 ms apart), one from 10.0.0.9 (connection 4, frames 7–8),
 * then connection 5 from 127.0.0.1 accepted (SYN frame 9) and a fourth refusal from 10.0.0.9
 * (connection 6, frames 12–13) that nothing follows.
 */
export function retriedRefusals(): string {
  const cap = new SyntheticCapture();
  for (let i = 0; i < 3; i++) cap.conversation().wait(0.1).syn().rst('server');
  cap.conversation({ client: '10.0.0.9' }).syn().rst('server');
  cap.conversation().wait(0.1).handshake();
  cap.conversation({ client: '10.0.0.9' }).wait(0.1).syn().rst('server');
  return cap.writeTemp('retried-refusals.pcapng');
}

/**
 * Connection 1: a lone SYN to 127.0.0.1:5000 (frame 1), never answered; 3 s later connection 2:
 * SYN (frame 2) and SYN-ACK (frame 3), never acknowledged. The capture ends there.
 */
export function incompleteHandshakes(): string {
  const cap = new SyntheticCapture();
  cap.conversation({ clientPort: 40001 }).syn().wait(3);
  // Connection 2: SYN and SYN-ACK only (the builder's handshake() always completes, so by hand).
  const frames = cap.frames;
  const base = 1_700_000_000;
  const at = (frames[frames.length - 1].time - base) + 0.001;
  const spec = { src: '127.0.0.1', dst: '127.0.0.1', srcPort: 40002, dstPort: 5000 };
  frames.push({ time: base + at, data: buildFrame(LinkType.ETHERNET, { ...spec, seq: 7000, ack: 0, flags: TcpFlag.SYN }) });
  frames.push({
    time: base + at + 0.001,
    data: buildFrame(LinkType.ETHERNET, { src: '127.0.0.1', dst: '127.0.0.1', srcPort: 5000, dstPort: 40002, seq: 9000, ack: 7001, flags: TcpFlag.SYN | TcpFlag.ACK }),
  });
  return cap.writeTemp('incomplete-handshakes.pcapng');
}

/**
 * The server advertises `Keep-Alive: timeout=5` but closes connection 1 after 1 s idle (FIN
 * frame 6), then accepts connection 2 (SYN frame 8) — a timeout shorter than advertised, while
 * serving. With `serveAfter` false, nothing follows the close (a shutdown): no finding.
 */
export function earlyIdleClose(serveAfter = true): string {
  const cap = new SyntheticCapture();
  cap.conversation().handshake().send('client', get('/1')).send('server', ok('Keep-Alive: timeout=5\r\n')).wait(1).fin('server').fin('client');
  if (serveAfter) {
    cap.conversation().handshake().send('client', get('/2')).send('server', ok('Keep-Alive: timeout=5\r\n')).fin('client').fin('server');
  }
  return cap.writeTemp(serveAfter ? 'early-idle-close.pcapng' : 'early-idle-close-shutdown.pcapng');
}

/** GET /1 → 200 (frames 4, 5), then a second 200 nobody asked for (frame 6); FINs 7, 8. */
export function doubleResponse(): string {
  const cap = new SyntheticCapture();
  cap.conversation().handshake().send('client', get('/1')).send('server', ok()).send('server', ok()).fin('client').fin('server');
  return cap.writeTemp('double-response.pcapng');
}

/** A connection picked up mid-stream (no handshake): a 200 whose request is not in the capture, then GET /2 → 200. */
export function midStreamResponse(): string {
  const cap = new SyntheticCapture();
  cap.conversation().send('server', ok()).send('client', get('/2')).send('server', ok()).fin('client').fin('server');
  return cap.writeTemp('mid-stream-response.pcapng');
}

/** GET / (frame 4), then the capture ends 2.5 s later (a last ACK from the server, frame 5). */
export function captureEndsWaiting(): string {
  const cap = new SyntheticCapture();
  cap.conversation().handshake().send('client', get('/slow')).wait(2.5).ack('server');
  return cap.writeTemp('capture-ends-waiting.pcapng');
}

/**
 * GET / (frame 4); the response's first 20 bytes arrive (frame 5), the next 30 are lost, the
 * remaining ones arrive (frame 6) and the client acknowledges everything (frame 7).
 */
export function lostSegment(): string {
  const cap = new SyntheticCapture();
  const response = `HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n${'x'.repeat(40)}`;
  cap.conversation().handshake().send('client', get('/')).send('server', response.slice(0, 20)).lose('server', 30).send('server', response.slice(50)).ack('client').fin('client').fin('server');
  return cap.writeTemp('lost-segment.pcapng');
}

/** GET / (frame 4) sent twice: the second copy (frame 5) is a retransmission; then 200 (frame 6). */
export function retransmittedRequest(): string {
  const cap = new SyntheticCapture();
  const c = cap.conversation().handshake().send('client', get('/'));
  const first = cap.frames[cap.frames.length - 1];
  cap.frames.push({ time: first.time + 0.2, data: first.data });
  c.wait(0.2).send('server', ok()).fin('client').fin('server');
  return cap.writeTemp('retransmitted-request.pcapng');
}

/** An ordinary exchange written with a 100-byte snap length: the request (frame 4) and response (frame 5) lose payload. */
export function snapped(): string {
  const cap = new SyntheticCapture();
  cap.conversation().handshake().send('client', get('/', `User-Agent: ${'u'.repeat(60)}\r\n`)).send('server', `HTTP/1.1 200 OK\r\nContent-Length: 80\r\n\r\n${'b'.repeat(80)}`).fin('client').fin('server');
  const file = cap.writeTemp('snapped.pcapng');
  writeFileSync(file, writePcapng([{ interfaces: [{ linkType: LinkType.ETHERNET, snaplen: 100 }], frames: cap.frames }]));
  return file;
}

/**
 * GET /1 → 200 `Connection: close` (frame 5), but the server keeps the connection open; the
 * client sends GET /2 anyway (frame 6) and the server closes without answering (FIN frame 7).
 */
export function requestAfterClose(): string {
  const cap = new SyntheticCapture();
  cap.conversation().handshake().send('client', get('/1')).send('server', ok('Connection: close\r\n')).wait(0.05).send('client', get('/2')).fin('server').fin('client');
  return cap.writeTemp('request-after-close.pcapng');
}
