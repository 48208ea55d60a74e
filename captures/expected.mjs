#!/usr/bin/env node
// Writes captures/<name>.expected.json for every capture under captures/: the connection and
// exchange facts a scenario is made of, read back from the file with tshark (checks.mjs's load():
// `tshark -T fields` per frame, then the byte streams split into messages), never from wirelens.
// test/captures/scenarios.test.ts compares `wirelens report --json` / `conns --json` with them.
//
//   node captures/expected.mjs            # (re)write every *.expected.json
//   node captures/expected.mjs 08 19      # only files whose name starts with 08 / 19
//   node captures/expected.mjs --check    # exit 1 if a file on disk differs from what tshark gives
//
// After a re-recording: regenerate, then READ the diff of every file (frame numbers of pure ACKs
// shift, delays change); the per-scenario notes below are kept by hand.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULE_SCENARIOS, SCENARIOS, TOUR, VARIANTS } from './catalog.mjs';
import { load, tunnelBytes } from './checks.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

// One line per scenario: what the program does and what is on the wire (frames as in the file).
const DESCRIPTIONS = {
  '01-agent-false': '`agent: false`, three GETs: three connections, each one `Connection: close` GET + 200, closed by the server after it',
  '02-keepalive-agent': 'keep-alive Agent, keepAliveTimeout 5000: GET /1 /2 /3 on one connection (reuse 1/2/3, `Keep-Alive: timeout=5`), a TCP keep-alive probe in the 1.2 s gap, client closes',
  '02b-keepalive-hint-too-short': 'keep-alive Agent, keepAliveTimeout 1000: three connections, each 200 says `Keep-Alive: timeout=1` and the client closes it within 3 ms',
  '03-writehead-no-end': '`writeHead()` and never `end()`: GET, no response byte, the client closes 1.5 s later',
  '04-flushheaders-no-end': '`flushHeaders()` and never `end()`: a chunked 200 header section alone, no chunk, the client closes 1.5 s later',
  '05-flushheaders-then-end': '`flushHeaders()`, `end(body)` 50 ms later: the header section alone in one segment, the chunked body 51 ms later in another',
  '06-res-end': '`res.end(body)`: status line, headers and the 12-byte body packed in one segment',
  '07-three-writes': 'three `write()`s in one tick: headers + 3 chunks (11, 12, 11 B) + last chunk corked into one segment',
  '08-content-length-overrun': '`Content-Length: 3`, body `1234`: one segment with the header section, `123` and one excess byte `4`; the client (parse error) closes',
  '09-content-length-underrun': '`Content-Length: 3`, body `12`: 2 of 3 body bytes, then the server closes 2.0 s later (keepAliveTimeout 1000 + 1 s)',
  '10-strict-content-length': '`strictContentLength` throw + `res.destroy()`: GET, then a server FIN without a byte',
  '11-max-requests-per-socket': '`maxRequestsPerSocket = 3`, 4 pipelined GETs in one segment: 200, 200 (`max=3`), 200 `Connection: close` (socket stays open), 503 with an empty chunked body',
  '12-incomplete-headers': 'a POST header section sent in 3 pieces (0, 0.3, 0.6 s) and never finished; 408 `Connection: close` at 1.2 s, server FIN',
  '13-body-never-sent': 'POST with `Content-Length: 3` whose body never comes; 408 at 1.6 s (requestTimeout 1500), server FIN',
  '14-header-overflow': 'a 16 558-byte request header section (over maxHeaderSize 16 KiB); 431 `Connection: close`, server FIN',
  '15-garbage-request-line': 'request line `GET /hello world HTTP/1.1`; bare 400 `Connection: close`, server FIN',
  '16-upgrade': '`Upgrade: echo` → 101 Switching Protocols, then 28 non-HTTP bytes each way',
  '17-early-hints': '`writeEarlyHints()`: a 103 with `Link`, then the 200 22 ms later',
  '18-expect-100-continue': '`Expect: 100-continue`: PUT header section alone, 100 Continue, the 33-byte body, then the 200',
  '19-keepalive-reuse-race': 'GET /1 + 200 `Keep-Alive: timeout=1`; server FIN after 2.0 s idle; GET /2 101 ms after the FIN; server RST',
  '20-pipelining': 'three GETs pipelined in one segment, three 200s in order',
  '21-req-destroy': '`req.destroy()` in the handler: GET, then a server FIN without a byte',
  '22-duplicate-host': 'a GET with `Host: 127.0.0.1:5122` and `Host: evil.example`, answered 200',
  '23-graceful-close': '`server.close()` + `closeIdleConnections()`: idle connection A closed by the server at once, in-flight GET /slow on B completes',
  '24-connection-close': 'a `Connection: close` GET, 200 `Connection: close`, server FIN',
  '25-client-destroy': 'client `req.destroy()`: GET, no response byte, the client closes 0.1 s later',
  '26-post-json': 'POST with a 45-byte JSON body (packed) → 201 with a 53-byte chunked JSON body (packed)',
  '27-connect-tunnel': '`CONNECT 127.0.0.1:5227` → 200, then 25 tunnel bytes each way',
  // Rule scenarios (catalog.mjs RULE_SCENARIOS): made for the rules no §4 scenario shows.
  '28-missing-host': 'an HTTP/1.1 GET without Host (`setHost: false`); Node answers 400 `Connection: close` with an empty chunked body and closes',
  '29-too-many-headers': 'a GET with 1,102 header fields in one 12 156-byte segment; the 200 body says the handler saw 1000 (`headers=1000 rawHeaders=1023`)',
  '30-head-with-body': 'a HEAD answered by a `net` server with `Content-Length: 5` and the 5 bytes `hello` in the same segment, then its FIN',
  '31-invalid-chunk': 'a `net` server\'s chunked 200: chunk `5` `hello`, then the chunk-size line `zz`; the Node client fails (HPE_INVALID_CHUNK_SIZE) and closes',
  '32-keepalive-timeout-mismatch': 'connection 1: 200 `Keep-Alive: timeout=5`, server FIN after 1.5 s idle (keepAliveTimeout 500); connection 2, 2 s after the response: GET /2 served',
  '33-connection-refused': 'a SYN to a port nothing listens on, answered by RST; no connection',
  '34-conflicting-framing': 'a POST with `Content-Length: 5` and `Transfer-Encoding: chunked`; Node answers its bare 400 `Connection: close` and closes',
  '35-request-after-connection-close': '`maxRequestsPerSocket = 1`: 200 `Connection: close` (socket left open), GET /2 50 ms later on the same connection, answered 503',
  '36-connection-reset': 'GET + complete 200 on a keep-alive connection, then the server\'s RST 0.1 s later (`resetAndDestroy()`)',
  '37-response-cut-short': 'a `net` server\'s chunked 200 with one 6-byte chunk, then its FIN 0.1 s later without the last chunk',
  '38-unmatched-response': 'one GET answered by two 200s in one segment; the Node client reads the first and closes',
  '39-snaplen-96': 'scenario 06 recorded with `tcpdump -s 96`: the GET (frame 4) and the packed 200 (frame 6) each keep 30 of their payload bytes in the file',
  '40-handshake-incomplete': 'a server with a blocked event loop (backlog 1): connections 1 and 2 complete the handshake into the accept queue and are closed by the server 2.5 s later; connection 3 is two SYNs with no answer',
  '41-capture-ends-waiting': 'a GET the server answers after 2 s; the recording stops at 1.4 s, after the client\'s TCP keep-alive probe, so the file ends with it unanswered and the connection open',
  '42-capture-loss': 'six GETs on one keep-alive connection, each answered 200; the file lost response 2, request 4 and response 6 (the recorder deleted their frames): the peers\' ACKs still cover the missing bytes',
  '43-capture-ends-streaming': 'three transfers on three keep-alive connections, all under way when the recording stops at 1.4 s: a `text/event-stream` response (an event every 100 ms), a `Content-Length: 1000000` download and a `Content-Length: 1000000` upload, each written 1 KiB every 20 ms',
  '44-capture-starts-mid-download': 'one keep-alive connection picked up mid-stream: tcpdump started 0.6 s into a 300 000-byte download, so the file begins with 191 456 bytes of its body (no handshake, no head); then GET /file/2 and GET /file/3, each answered 200 with 20 000 bytes in one segment',
  '45-localhost-fallback': '`localhost` resolved to `::1` first, the server listening on 127.0.0.1: the SYN to [::1] is answered by RST, and Node 20\'s autoSelectFamily connects to 127.0.0.1 right after; both GETs are served on that connection',
  '46-fetch-keepalive-hint': 'three fetch() GETs 300 ms apart to a Node server with keepAliveTimeout 2500: each 200 says `Keep-Alive: timeout=2`, and undici (hint − 2 s = 0) closes each connection right after its response, so every GET gets a connection of its own',
  '47-upload-refused-early': 'a Node http.request POSTs a 3 000 000-byte body; the handler answers `413 Payload Too Large` with `Connection: close` without reading it, and Node closes the socket while the body is still arriving',
  '48-curl-per-request': 'four `curl` runs against a Node server (GET /a, /b, /missing → 404, and /c with `--http1.0`), then two Node `http.get({ agent: false })`',
  '49-client-abandons': 'a Node server sending a 2 000 000-byte download, an endless chunked stream and server-sent events, 64 KiB or one event at a time; clients give up on each while it is still arriving: fetch() aborted at 150 ms (its event loop busy for the last 40 ms), an http.get destroyed at 150 ms, an http.get destroyed after three events',
  '50-upstream-dies-mid-keepalive': 'what a reverse proxy\'s keep-alive Agent (maxSockets 1, timeout 200 ms) sees of its Node upstream: GET /a and /b answered 200 with `Keep-Alive: timeout=5`, GET /crash whose handler destroys the socket, then on a new connection GET /c answered and GET /slow, which the proxy gives up on after 200 ms',
  '51-tls-close-notify': 'HTTPS between Node peers: a keep-alive https.Agent (maxSockets 1) GETs /1, /2, /3 on one TLS 1.3 connection, then agent.destroy()',
  '52-slow-reader': 'a keep-alive Agent GETs 1 MiB and pauses the response 1.2 s after its first chunk: the client\'s zero window, the server\'s zero-window probes (tshark: keep-alive), one spurious retransmission the client D-SACKs; then 1.5 s idle (the client\'s TCP keep-alive probe) and GET /small',
  '53-server-restart': 'a keep-alive Agent GETs /1; the server closes (server.close() + closeIdleConnections()) and the client retries GET /2 every 40 ms: six attempts refused (SYN answered by RST) until a new server listens on the port and answers the seventh',
  '54-upload-aborted': 'POST /upload declaring Content-Length: 100000; the Node client writes 30000 B and destroys the request 50 ms later: its FIN in the middle of the body, the server\'s 400 Bad Request (clientError HPE_INVALID_EOF_STATE), the client\'s RST',
  '55-pipelined-burst': 'a raw net client writes GET /1 … /10 in one segment, then /11 … /20 once five responses are back; the Node server answers all twenty in order on the one connection',
  tour: 'the bundled demo: 01, 02, 05, 06, 08, 09, 12 and 19 merged chronologically with mergecap',
};

// The scenario-making extras asserted on top of the common facts (see test/captures/project.ts).
// keepAlive: reuse.keepAlive; connectionClose: reuse.connectionClose; idleBefore: reuse.idleBefore;
// closeDelay: close.afterLastData; responseDelay: delays.responseAfterRequestStart;
// bodyDelay: delays.bodyAfterHeaders (response).
const EXTRAS = {
  '01-agent-false': ['connectionClose'],
  '02-keepalive-agent': ['keepAlive', 'idleBefore'],
  '02b-keepalive-hint-too-short': ['keepAlive', 'closeDelay'],
  '03-writehead-no-end': ['closeDelay'],
  '04-flushheaders-no-end': ['closeDelay'],
  '05-flushheaders-then-end': ['bodyDelay'],
  '09-content-length-underrun': ['keepAlive', 'closeDelay'],
  '10-strict-content-length': ['closeDelay'],
  '11-max-requests-per-socket': ['keepAlive', 'connectionClose'],
  '12-incomplete-headers': ['responseDelay', 'closeDelay'],
  '13-body-never-sent': ['responseDelay', 'closeDelay'],
  '14-header-overflow': ['connectionClose'],
  '15-garbage-request-line': ['connectionClose'],
  '19-keepalive-reuse-race': ['keepAlive', 'idleBefore', 'closeDelay'],
  '21-req-destroy': ['closeDelay'],
  '23-graceful-close': ['keepAlive', 'closeDelay'],
  '24-connection-close': ['connectionClose'],
  '25-client-destroy': ['closeDelay'],
  '28-missing-host': ['connectionClose'],
  '32-keepalive-timeout-mismatch': ['keepAlive', 'closeDelay'],
  '34-conflicting-framing': ['connectionClose'],
  '35-request-after-connection-close': ['connectionClose'],
  '36-connection-reset': ['closeDelay'],
  '37-response-cut-short': ['closeDelay'],
  '40-handshake-incomplete': ['closeDelay'],
  '42-capture-loss': ['captureLoss'],
};

// Where the file says something tshark does not (or says it differently), and why.
const CLOSE_DELIMITED = (status) => `Node's ${status} has neither Content-Length nor Transfer-Encoding: its (empty) body is close-delimited. tshark lists the ${status} at the server FIN frame (it waits for the close that ends the body); the bytes of the status line and headers are in the earlier data frame, which is what headerFrames says.`;
const NOTES = {
  '02b-keepalive-hint-too-short': 'The wire also matches the signature of connection-per-request (3 connections, one exchange each, closed after it); the expected finding is keepalive-hint-too-short only (BEHAVIOURS §4.2): the client closes each connection because of `timeout=1`.',
  '04-flushheaders-no-end': 'tshark does not list the 200 at all (its chunked body never ends); the bytes show its complete header section in frame 6 and no chunk.',
  '05-flushheaders-then-end': 'tshark lists the 200 at frame 8, where its body ends; its header section is alone in frame 6.',
  '08-content-length-overrun': 'tshark shows the 200 with a 3-byte body and silently drops the 4th byte; the bytes show it right after the body in frame 6 (excess-after-body, 1 byte).',
  '09-content-length-underrun': 'tshark does not list the 200 (its body never completes); the bytes show the header section and 2 of 3 body bytes in frame 6, then the server FIN.',
  '12-incomplete-headers': `tshark does not list the request (its header section never ends); the bytes show \`POST /user HTTP/1.1\` and header lines in frames 4, 6, 8 without the empty line. ${CLOSE_DELIMITED(408)} rulesAnyOf: BEHAVIOURS §4.12 says "request-timeout (+ slow-request-headers / incomplete-message on the request)": at least one of the two is expected as well.`,
  '13-body-never-sent': `tshark does not list the request (its body never comes); the bytes show its header section in frame 4 and none of the 3 declared body bytes. ${CLOSE_DELIMITED(408)}`,
  '14-header-overflow': `The request header section is complete in the bytes (16 558 bytes, one segment); Node rejected it for its size, not its shape. ${CLOSE_DELIMITED(431)}`,
  '15-garbage-request-line': `tshark lists the request as \`GET /hello\`; the start line has four space-separated parts, which is not the request-line shape, so method and target are not asserted (method/target left out) and the request carries an invalid-start-line deviation. ${CLOSE_DELIMITED(400)}`,
  '18-expect-100-continue': 'tshark lists the PUT at frame 8, where its body arrives; its header section is alone in frame 4, before the 100 Continue.',
  '19-keepalive-reuse-race': 'The server sends FIN (frame 8) then answers the late GET /2 with RST (frame 11); the client never sends FIN: kind is rst (how the connection ended), by server (who closed first).',
  '30-head-with-body': 'The 5 bytes after the header section are not a body (a response to HEAD has none, RFC 9112 §6.3): they are listed as excess after the response, where a receiver would look for the next response.',
  '31-invalid-chunk': 'tshark does not list the 200 (its chunked body cannot be framed after `zz`); the bytes show the header section, the chunk `5\\r\\nhello\\r\\n` and the chunk-size line `zz` in frame 6.',
  '33-connection-refused': 'No HTTP at all: the SYN (frame 1) is answered by RST (frame 2), so there is no SYN-ACK and no exchange.',
  '34-conflicting-framing': `tshark lists the POST with its chunked body (Transfer-Encoding wins, RFC 9112 §6.3 ¶3). ${CLOSE_DELIMITED(400)}`,
  '37-response-cut-short': 'tshark does not list the 200 (its chunked body never ends); the bytes show the header section and one 6-byte chunk in frame 6, then the server FIN.',
  '38-unmatched-response': 'Both 200s are in frame 6; the second answers no request.',
  '39-snaplen-96': 'The program is scenario 06\'s (06-res-end.mjs); only the snap length of the recording differs. The file keeps 96 bytes of each frame: 30 payload bytes of the 64-byte GET (frame 4) and of the 135-byte response (frame 6); the rest of each is a gap-in-message of the capture, not something the peers did, so neither message is complete in the file.',
  '40-handshake-incomplete': 'Connection 3 has no SYN-ACK: the kernel drops SYNs while the accept queue is full; the client gave up after 2 s (closing a connecting socket sends nothing).',
  '42-capture-loss': 'Pairing follows capture order (a keep-alive Agent never pipelines): a request followed by another request lost its response, a response with no request open lost its request, and the last request lost its response because the client\'s ACKs cover server bytes the file does not have. `lost` says which message of an exchange the capture lost.',
  '41-capture-ends-waiting': 'The connection is still open when the file ends (tcpdump was stopped at 1.4 s, the 200 came at 2 s): the wait was ended by the capture, not by a peer.',
  '47-upload-refused-early': 'The 413 comes before the last body frame; the server then sends FIN and, as more of the body arrives for the closed socket, RST. The request is cut by the server, not short: no content-length-underrun; connection-reset says why the RST came. The Node client saw the 413 this time; often it gets `write EPIPE` first.',
  '48-curl-per-request': 'Connections 1–4 come from curl processes (User-Agent `curl/…`): each opens its own connection by design, so connection-per-request leaves them out (option `oneShotClients`), as it leaves out the close after an error response. Connections 5 and 6 send `Connection: close` (`agent: false`): those two are the finding.',
  '49-client-abandons': 'Every response is unfinished because its client closed, not because its server stopped: the server was still sending (its last byte microseconds before the close). The download\'s client closed with bytes unread, so its kernel answered the server\'s next segments with RSTs (two identical ones, each after a server segment: not a capture duplicate). Connection 3 is one undici opens after the abort and never uses.',
  '50-upstream-dies-mid-keepalive': 'The server\'s FIN on connection 1 comes 2 ms after response 2, but GET /crash had been sent in between: the connection was not idle, so it has no idle time before the close (closing.idleBefore null) and no keepalive-timeout-mismatch — the close is empty-reply\'s.',
  '51-tls-close-notify': 'wirelens labels the connection tls and does not read it. The client\'s FIN (frame 14) is answered by the server\'s close_notify alert (frame 15, 24 B, an encrypted TLS 1.3 record), which reaches a socket already closed: the client\'s RST (frame 16). That is how TLS connections end when the client closes first, so connection-reset leaves it.',
  '46-fetch-keepalive-hint': 'The client closes first each time, milliseconds after the response: fetch (undici 6, `keepAliveTimeoutThreshold` 2 s) keeps the socket for the hint minus 2 s. An http.Agent (minus 1 s) would have reused one connection for the three GETs.',
  '45-localhost-fallback': 'Connection 1 is refused but followed at once by connection 2 to the same port on another address of the host: handshake.fallback = 2, and no connection-refused finding (the application saw no error).',
  '44-capture-starts-mid-download': 'The server\'s bytes before the first status line are the rest of /file/1, whose request and head came before the capture started: wirelens labels the connection from the client\'s first request and reports those bytes as skipped-bytes.',
  '43-capture-ends-streaming': 'No FIN or RST: every message was still arriving when tcpdump stopped (the program stopped them at 2.5 s). Each unfinished message is cut by the capture, not by a peer: its sender had written within the last 30 ms.',
};
NOTES.tour = `Components: ${TOUR.join(', ')} (VERIFIED.md gives their frame ranges; frame numbers in the notes below are those of the component files: add the component's first tour frame − 1). ${['08-content-length-overrun', '09-content-length-underrun', '12-incomplete-headers'].map((n) => `${n.slice(0, 2)}: ${NOTES[n]}`).join(' ')}`;

const round6 = (x) => Math.round(x * 1e6) / 1e6;

/**
 * TCP keep-alive probes (tshark's tcp.analysis.keep_alive): recognised, not data (BEHAVIOURS §3);
 * those sent into a window the other side closed are zero-window probes (checks.mjs marks them).
 */
function probesOf(s) {
  const count = (dir, zeroWindow) => s.frames.filter((f) => f.keepAlive && f.dir === dir && f.zeroWindowProbe === zeroWindow).length;
  return {
    keepAlives: { client: count('c2s', false), server: count('s2c', false) },
    zeroWindowProbes: { client: count('c2s', true), server: count('s2c', true) },
  };
}

function keepAliveOf(m) {
  const v = m?.header('keep-alive')[0];
  if (v === undefined) return null;
  const num = (name) => {
    const hit = new RegExp(`(?:^|[,;\\s])${name}\\s*=\\s*(\\d+)`, 'i').exec(v);
    return hit ? Number(hit[1]) : null;
  };
  return { timeout: num('timeout'), max: num('max') };
}

const hasClose = (m) => !!m && m.header('connection').some((v) => v.split(',').some((t) => t.trim().toLowerCase() === 'close'));

/** The verdict of types.ts's PackingVerdict, from the frames the bytes were in. */
function packing(m) {
  if (m.incompleteHead) return 'incomplete';
  if (!m.bodyFrames.length) {
    const empty = m.framing === 'none' || m.malformed || m.framing === undefined || ((m.framing === 'content-length' || m.framing === 'close') && m.complete && m.bodyBytes === 0);
    return empty ? 'no-body' : 'incomplete';
  }
  return m.bodyFrames[0] === m.headFrames.at(-1) ? 'packed' : 'headers-only-segment';
}

function framing(m) {
  if (m.incompleteHead) return null;
  const kind = m.tunnel ? 'tunnel' : m.framing;
  const f = { kind, actualBodyBytes: m.bodyBytes ?? 0 };
  if (kind === 'content-length') f.declared = m.declared;
  if (kind === 'chunked') Object.assign(f, { chunks: m.chunks.length, lastChunk: !!m.lastChunk });
  return f;
}

/** Deviations inside a message: a truncation (the connection closed / the capture ended in it) or an unusable start line. */
function deviations(m, s) {
  const out = [];
  if (m.malformed) out.push({ code: 'invalid-start-line', frames: [m.firstFrame] });
  // Both framing headers (RFC 9112 §6.3 ¶3: Transfer-Encoding wins, the message is suspect).
  if (m.header('content-length').length && m.header('transfer-encoding').length) out.push({ code: 'content-length-with-transfer-encoding', frames: [m.headFrames.at(-1)] });
  if (m.invalidChunk) {
    // The message is abandoned at the bad chunk-size line, not cut short by the close.
    out.push({ code: 'invalid-chunk-size', frames: [m.invalidChunk.frame] });
    return out;
  }
  if (m.snapped) {
    out.push({ code: 'gap-in-message', frames: [m.snapped.frame], length: m.snapped.length });
    return out;
  }
  if (!m.complete) {
    const closed = s.closes.length > 0;
    const d = { code: closed ? 'truncated-by-close' : 'truncated-by-capture-end', frames: [m.lastFrame] };
    if (m.framing === 'content-length' && !m.incompleteHead) d.length = m.declared - m.bodyBytes;
    out.push(d);
  }
  return out;
}

function request(q, s) {
  const out = {};
  if (!q.malformed) Object.assign(out, { method: q.method ?? null, target: q.uri ?? null });
  else out.startLine = q.startLine;
  Object.assign(out, {
    complete: q.complete, headerFrames: q.headFrames, bodyFrames: q.bodyFrames, packing: packing(q),
  });
  // Request framing only where the request has (or should have had) a body, or never got one.
  if (q.incompleteHead || (q.framing && q.framing !== 'none')) out.framing = framing(q);
  out.deviations = deviations(q, s);
  return out;
}

function response(r, s) {
  return {
    status: r.status, complete: r.complete, headerFrames: r.headFrames, bodyFrames: r.bodyFrames,
    packing: packing(r), framing: framing(r), deviations: deviations(r, s),
  };
}

function connection(s, extras, cap) {
  const t = (no) => cap.frames.find((f) => f.no === no).t;
  const serverFrame = s.frames.find((f) => f.dir === 's2c') ?? s.frames[0];
  const serverIp = s.frames[0].dir === 'c2s' ? s.frames[0].dst : serverFrame.src;
  const server = `${serverIp.includes(':') ? `[${serverIp}]` : serverIp}:${s.serverPort}`;
  const ack = s.synAck
    ? s.frames.find((f) => f.no > s.synAck.no && f.dir === 'c2s' && f.flags.ack && !f.flags.syn && f.ack === s.synAck.seq + 1)
    : null;
  const first = (by, kind) => s.closes.find((x) => x.by === by && x.kind === kind)?.no ?? null;
  const close = {
    kind: s.closes.some((x) => x.kind === 'RST') ? 'rst' : s.closes.length ? 'fin' : 'open',
    by: s.firstClose?.by ?? null,
    clientFin: first('client', 'FIN'), serverFin: first('server', 'FIN'),
    clientRst: first('client', 'RST'), serverRst: first('server', 'RST'),
    // A FIN after which the other side still sent data, or never sent its own FIN before the file
    // ended (a RST that ends the connection is an abort, not a half-close).
    halfClosed: s.closes.filter((x) => x.kind === 'FIN').some((fin) => {
      const other = fin.by === 'client' ? 's2c' : 'c2s';
      return !s.closes.some((x) => x.by !== fin.by || x.kind === 'RST')
        || s.frames.some((f) => f.no > fin.no && f.dir === other && f.len > 0 && !f.keepAlive);
    }),
  };
  if (extras.includes('closeDelay') && s.firstClose) {
    const last = s.frames.filter((f) => f.no < s.firstClose.no && f.len > 0 && !f.keepAlive).at(-1);
    close.afterLastData = last ? round6(s.firstClose.t - last.t) : null;
  }
  // TLS from the first byte (a handshake record, content type 22, version 3.x): nothing is read as HTTP.
  if (s.c2s.data[0] === 0x16 && s.c2s.data[1] === 0x03) {
    return {
      id: s.id + 1, server, protocol: 'tls',
      handshake: { syn: s.syn?.no ?? null, synAck: s.synAck?.no ?? null, ack: ack?.no ?? null },
      close,
      ...probesOf(s),
      exchanges: [], deviations: [], protocolSwitch: null,
      uninspectedBytes: { client: s.c2s.data.length, server: s.s2c.data.length },
    };
  }
  const finals = s.responses.filter((r) => !r.interim);
  const exchanges = extras.includes('captureLoss') ? exchangesAcrossLoss(s) : s.requests.map((q, i) => {
    const r = finals[i] ?? null;
    const prev = finals[i - 1];
    // Started before the previous final response had completed (or when none ever came).
    const pipelined = i > 0 && (!prev || q.firstFrame < prev.lastFrame);
    const ex = {
      index: i + 1,
      pipelined,
      request: request(q, s),
      interim: s.responses.filter((x) => x.interim && x.request === q).map((x) => ({ status: x.status, headerFrames: x.headFrames })),
      response: r ? response(r, s) : null,
      reuse: { index: i + 1 },
    };
    if (extras.includes('keepAlive')) ex.reuse.keepAlive = keepAliveOf(r);
    if (extras.includes('connectionClose')) ex.reuse.connectionClose = { request: hasClose(q), response: hasClose(r) };
    if (extras.includes('idleBefore')) ex.reuse.idleBefore = i === 0 ? null : round6(q.t - t(prev.lastFrame));
    const delays = {};
    if (extras.includes('responseDelay') && r) delays.responseAfterRequestStart = round6(r.t - q.t);
    if (extras.includes('bodyDelay') && r?.bodyFrames.length) delays.bodyAfterHeaders = round6(t(r.bodyFrames.at(-1)) - t(r.headFrames.at(-1)));
    if (Object.keys(delays).length) ex.delays = delays;
    return ex;
  });
  // Final responses beyond the requests answer none: an exchange without a request.
  for (const r of extras.includes('captureLoss') ? [] : finals.slice(s.requests.length)) {
    const index = exchanges.length + 1;
    exchanges.push({ index, pipelined: false, request: null, interim: [], response: response(r, s), reuse: { index } });
  }
  const tunnel = tunnelBytes(s);
  const switching = s.responses.find((r) => r.tunnel);
  // Between-message deviations: bytes after a complete body that do not start a message (the
  // client's bytes after a request that switched protocols are the new protocol, not excess).
  const streamDeviations = [];
  for (const [dir, msgs] of [['client', s.requests], ['server', s.responses]]) {
    for (const m of msgs) {
      if (m.excess && !(switching && m === switching.request)) {
        // After a response that cannot have a body (HEAD, 204, 304: framing none, no tunnel) the bytes are a forbidden body.
        const code = m.kind === 'response' && m.framing === 'none' && !m.tunnel && !m.interim ? 'body-not-allowed' : 'excess-after-body';
        streamDeviations.push({ code, direction: dir, frames: m.excess.frames, length: m.excess.bytes });
      }
      if (m.invalidChunk?.skipped) streamDeviations.push({ code: 'skipped-bytes', direction: dir, frames: m.invalidChunk.skippedFrames, length: m.invalidChunk.skipped });
    }
  }
  // A connection picked up in the middle of a response: its end, before the first status line.
  if (s.s2cSkipped) streamDeviations.unshift({ code: 'skipped-bytes', direction: 'server', frames: s.s2cSkipped.frames, length: s.s2cSkipped.length });
  const switchIndex = switching ? finals.indexOf(switching) + 1 : 0;
  return {
    id: s.id + 1,
    server,
    protocol: s.requests.length ? 'http' : s.c2s.data.length + s.s2c.data.length ? 'unknown' : 'none',
    handshake: { syn: s.syn?.no ?? null, synAck: s.synAck?.no ?? null, ack: ack?.no ?? null },
    close,
    ...probesOf(s),
    exchanges,
    deviations: streamDeviations,
    protocolSwitch: switching ? {
      kind: switching.request?.method === 'CONNECT' ? 'connect' : 'upgrade',
      exchange: switchIndex,
      upgradeTo: switching.status === 101 ? (switching.header('upgrade')[0] ?? null) : null,
      frame: switching.headFrames.at(-1),
    } : null,
    uninspectedBytes: { client: tunnel?.c2s ?? 0, server: tunnel?.s2c ?? 0 },
  };
}

/**
 * Exchanges of a connection whose capture lost whole messages, from a Node.js Agent that never
 * pipelines: each response answers the request just before it in capture order; a request
 * followed by another request lost its response; a response with no request open lost its
 * request; and an open request at the end lost its response when the client acknowledged server
 * bytes beyond the last the file has (raw seq/ack numbers, not wirelens's reassembly).
 */
function exchangesAcrossLoss(s) {
  const messages = [...s.requests, ...s.responses.filter((r) => !r.interim)].sort((a, b) => a.firstFrame - b.firstFrame);
  const pairs = [];
  let open = null;
  for (const m of messages) {
    if (m.kind === 'request') {
      if (open) open.lost = 'response';
      open = { request: m, response: null, lost: null };
      pairs.push(open);
    } else if (open) {
      open.response = m;
      open = null;
    } else {
      pairs.push({ request: null, response: m, lost: 'request' });
    }
  }
  // Where the server's stream is known to reach: its FIN's sequence number (the byte after its last),
  // else the client's highest ACK; beyond the end of the last data the file has, bytes were lost.
  const server = s.frames.filter((f) => f.dir === 's2c');
  const dataEnd = Math.max(...server.filter((f) => f.len > 0 || f.flags.syn).map((f) => f.seq + f.len + (f.flags.syn ? 1 : 0)));
  const fin = server.find((f) => f.flags.fin);
  const reached = fin ? fin.seq : Math.max(...s.frames.filter((f) => f.dir === 'c2s' && f.flags.ack).map((f) => f.ack));
  if (open && reached > dataEnd) open.lost = 'response';
  return pairs.map((x, i) => ({
    index: i + 1,
    pipelined: false,
    request: x.request ? request(x.request, s) : null,
    interim: [],
    response: x.response ? response(x.response, s) : null,
    reuse: { index: i + 1 },
    lost: x.lost,
  }));
}

/** Everything that names the capture: its base scenario, rules, extras and notes. */
function specOf(file) {
  const own = RULE_SCENARIOS.find((s) => s.file === file);
  if (own) return { base: own, variantNote: null, label: null };
  const all = [...SCENARIOS, ...VARIANTS];
  const direct = all.find((s) => s.file === file);
  if (direct) {
    const base = SCENARIOS.find((s) => s.name === direct.script);
    if (direct === base) return { base, variantNote: null, label: null };
    const label = direct.linkType ? 'recorded on `any`: link type LINUX_SLL2' : 'classic pcap, nanosecond timestamps';
    return { base, label, variantNote: `The same program recorded again: ${direct.title}; its facts below (frame numbers included) are those of ${base.file}: only client ports, timestamps and the capture format differ.` };
  }
  const lo0 = /^(.*)\.lo0\.pcapng$/.exec(file);
  if (lo0) {
    const base = SCENARIOS.find((s) => s.name === lo0[1]);
    return { base, label: 'lo0 variant: link type NULL', variantNote: `macOS lo0-style variant of ${base.file} (link type NULL, AF value little-endian), written by captures/make-lo0.mjs (npm run captures:lo0): frames, times and payloads are those of ${base.file}, only the link layer differs.` };
  }
  return null;
}

/** BEHAVIOURS §4 ids: "a / b" in catalog.mjs means at least one of them (12). */
function splitRules(rules) {
  const plain = rules.filter((r) => !r.includes('/'));
  const anyOf = rules.filter((r) => r.includes('/')).flatMap((r) => r.split('/').map((x) => x.trim()));
  return { plain, anyOf };
}

export function expectedFor(file) {
  const path = join(HERE, file);
  const cap = load(path);
  let out;
  if (file === 'tour.pcapng') {
    const parts = TOUR.map((n) => SCENARIOS.find((s) => s.name === n));
    const byPort = new Map(parts.map((p) => [p.port, p]));
    const rules = splitRules([...new Set(parts.flatMap((p) => p.rules))]);
    out = {
      capture: file,
      scenario: { number: null, name: 'tour' },
      description: DESCRIPTIONS.tour,
      frames: cap.info.packets,
      connections: cap.streams.map((s) => connection(s, EXTRAS[byPort.get(s.serverPort)?.name] ?? [], cap)),
      rules: rules.plain,
      ...(rules.anyOf.length ? { rulesAnyOf: rules.anyOf } : {}),
      notes: NOTES.tour,
    };
  } else {
    const spec = specOf(file);
    if (!spec) throw new Error(`${file}: not a known scenario capture`);
    const { base } = spec;
    const rules = splitRules(base.rules);
    const notes = [spec.variantNote, NOTES[base.name]].filter(Boolean).join(' ');
    out = {
      capture: file,
      scenario: { number: Number.parseInt(base.name, 10), name: base.name },
      description: `${DESCRIPTIONS[base.name]}${spec.label ? ` (${spec.label})` : ''}`,
      frames: cap.info.packets,
      connections: cap.streams.map((s) => connection(s, EXTRAS[base.name] ?? [], cap)),
      rules: rules.plain,
      ...(rules.anyOf.length ? { rulesAnyOf: rules.anyOf } : {}),
      ...(notes ? { notes } : {}),
    };
  }
  return out;
}

/** JSON with 2-space indentation, arrays of numbers/strings and small flat objects on one line. */
export function format(value) {
  const flat = (v) => v === null || typeof v !== 'object';
  const inline = (v) => JSON.stringify(v).replace(/,(?=["\d\[{]|null|true|false)/g, ', ').replace(/":/g, '": ');
  const walk = (v, pad) => {
    if (flat(v)) return JSON.stringify(v);
    const small = Array.isArray(v) ? v.every(flat) : Object.values(v).every(flat) && JSON.stringify(v).length <= 140;
    if (small && (Array.isArray(v) || Object.keys(v).length <= 8)) return inline(v);
    const inner = `${pad}  `;
    if (Array.isArray(v)) return v.length ? `[\n${v.map((x) => inner + walk(x, inner)).join(',\n')}\n${pad}]` : '[]';
    return `{\n${Object.entries(v).map(([k, x]) => `${inner}${JSON.stringify(k)}: ${walk(x, inner)}`).join(',\n')}\n${pad}}`;
  };
  return walk(value, '');
}

export function captureFiles() {
  return readdirSync(HERE).filter((f) => /\.(pcapng|pcap)$/.test(f)).sort();
}

function main() {
  const argv = process.argv.slice(2);
  const check = argv.includes('--check');
  const prefixes = argv.filter((a) => !a.startsWith('--'));
  const files = captureFiles().filter((f) => !prefixes.length || prefixes.some((p) => f.startsWith(p)));
  let stale = 0;
  for (const file of files) {
    const target = join(HERE, file.replace(/\.(pcapng|pcap)$/, '.expected.json'));
    const text = `${format(expectedFor(file))}\n`;
    if (check) {
      const same = existsSync(target) && readFileSync(target, 'utf8') === text;
      if (!same) { stale++; console.log(`differs: ${target}`); }
    } else {
      writeFileSync(target, text);
      console.log(`wrote ${target}`);
    }
  }
  if (stale) process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
