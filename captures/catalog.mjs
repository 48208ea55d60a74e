// The recorded scenarios: capture name, server port (5100 + NN; 02b uses 5128),
// and the BEHAVIOURS.md rule ids the capture is expected to produce.
export const SCENARIOS = [
  ['01-agent-false', 5101, ['connection-per-request'], '`agent: false`, three sequential GETs'],
  ['02-keepalive-agent', 5102, [], 'keep-alive Agent, three GETs, server keepAliveTimeout 5000'],
  ['02b-keepalive-hint-too-short', 5128, ['keepalive-hint-too-short'], 'keep-alive Agent, three GETs, server keepAliveTimeout 1000'],
  ['03-writehead-no-end', 5103, ['no-response'], '`res.writeHead()` and never `end()`; client gives up after 1.5 s'],
  ['04-flushheaders-no-end', 5104, ['response-stalled-after-headers'], '`res.flushHeaders()` and never `end()`; client gives up after 1.5 s'],
  ['05-flushheaders-then-end', 5105, ['headers-flushed-separately'], '`res.flushHeaders()`, then `res.end(body)` 50 ms later'],
  ['06-res-end', 5106, [], '`res.end(body)`'],
  ['07-three-writes', 5107, [], 'three `res.write()`s in one tick (chunked)'],
  ['08-content-length-overrun', 5108, ['content-length-overrun'], '`Content-Length: 3`, body `1234`'],
  ['09-content-length-underrun', 5109, ['content-length-underrun'], '`Content-Length: 3`, body `12`, keepAliveTimeout 1000'],
  ['10-strict-content-length', 5110, ['empty-reply'], '`strictContentLength` throw, then `res.destroy()`'],
  ['11-max-requests-per-socket', 5111, ['max-requests-per-socket', 'service-unavailable-drop', 'pipelining'], '`maxRequestsPerSocket = 3`, 4 pipelined GETs'],
  ['12-incomplete-headers', 5112, ['request-timeout', 'slow-request-headers / incomplete-message'], 'header section never finished (headersTimeout 1000)'],
  ['13-body-never-sent', 5113, ['request-timeout'], 'headers flushed, `Content-Length: 3` body never sent (requestTimeout 1500)'],
  ['14-header-overflow', 5114, ['header-overflow'], '16.5 KiB header section (default maxHeaderSize 16 KiB)'],
  ['15-garbage-request-line', 5115, ['malformed-message', 'bad-request'], 'unparsable request line `GET /hello world HTTP/1.1`'],
  ['16-upgrade', 5116, [], '`Upgrade: echo` → 101, then echo lines'],
  ['17-early-hints', 5117, [], '`res.writeEarlyHints()` → 103, then 200'],
  ['18-expect-100-continue', 5118, [], '`Expect: 100-continue` → 100, body, 200'],
  ['19-keepalive-reuse-race', 5119, ['keepalive-reuse-race'], 'request written 100 ms after the server\'s keep-alive FIN'],
  ['20-pipelining', 5120, ['pipelining'], 'three GETs pipelined in one write'],
  ['21-req-destroy', 5121, ['empty-reply'], '`req.destroy()` in the handler'],
  ['22-duplicate-host', 5122, ['duplicate-header'], 'two `Host` headers'],
  ['23-graceful-close', 5123, [], '`server.close()` + `closeIdleConnections()` with one exchange in flight'],
  ['24-connection-close', 5124, [], 'client sends `Connection: close`'],
  ['25-client-destroy', 5125, ['no-response'], 'client `req.destroy()` 100 ms after the request'],
  ['26-post-json', 5126, [], 'POST JSON → 201 JSON'],
  ['27-connect-tunnel', 5127, [], '`CONNECT` → 200, tunnel bytes'],
].map(([name, port, rules, title]) => ({ name, script: name, port, rules, title, file: `${name}.pcapng` }));

// Extra recordings of the same programs, for the decoders rather than the rules.
export const VARIANTS = [
  // Linux cooked capture v2 (tcpdump -i any → LINUX_SLL2), for the SLL2 decoder.
  { name: '06-res-end-sll2', script: '06-res-end', port: 5106, rules: [], title: 'scenario 06 recorded with `tcpdump -i any` (Linux cooked capture v2)', file: '06-res-end-sll2.pcapng', iface: 'any', linkType: 'LINUX_SLL2' },
  // Nanosecond-resolution classic pcap (magic a1b23c4d), recorded with real ns timestamps.
  { name: '26-post-json.ns', script: '26-post-json', port: 5126, rules: [], title: 'scenario 26 recorded with nanosecond timestamps (nsecpcap)', file: '26-post-json.ns.pcap', nano: true, format: 'nsecpcap' },
];

// Recordings made for rules that no BEHAVIOURS §4 scenario shows (issue 9, "Evidence"): each is
// a real Node.js program on the loopback — a Node http client or server, or a `net` socket
// writing what a misbehaving peer or proxy sends. Ports continue at 5129 (5100 + NN + 1).
// `snaplen` records with `tcpdump -s N` instead of `-s 0`; `captureMs` stops tcpdump that many ms
// after the program started, while it still runs.
export const RULE_SCENARIOS = [
  ['28-missing-host', 5129, ['missing-host', 'bad-request'], 'client `setHost: false`: an HTTP/1.1 request without Host → Node\'s 400'],
  ['29-too-many-headers', 5130, ['too-many-headers'], 'a GET with 1,102 header fields; the handler sees 1,000'],
  ['30-head-with-body', 5131, ['body-not-allowed'], 'a `net` server answers HEAD with a 5-byte body'],
  ['31-invalid-chunk', 5132, ['invalid-chunk'], 'a `net` server sends the chunk-size line `zz` after a good chunk'],
  ['32-keepalive-timeout-mismatch', 5133, ['keepalive-timeout-mismatch'], '`Keep-Alive: timeout=5` set by the handler, keepAliveTimeout 500'],
  ['33-connection-refused', 5134, ['connection-refused'], '`http.get` to a port nothing listens on'],
  ['34-conflicting-framing', 5135, ['conflicting-framing', 'bad-request'], 'a POST with `Content-Length` and `Transfer-Encoding: chunked` → Node\'s 400'],
  ['35-request-after-connection-close', 5136, ['request-after-connection-close', 'service-unavailable-drop'], '`maxRequestsPerSocket = 1`; a second request after `Connection: close` → 503'],
  ['36-connection-reset', 5137, ['connection-reset'], '`res.socket.resetAndDestroy()` after a complete response'],
  ['37-response-cut-short', 5138, ['incomplete-message'], 'a `net` server closes a chunked response after one chunk'],
  ['38-unmatched-response', 5139, ['unmatched-response'], 'a `net` server answers one GET with two responses'],
  // Scenario 06's program again, recorded with `tcpdump -s 96`: each data frame keeps 30 payload bytes.
  ['39-snaplen-96', 5106, ['truncated-frames'], 'scenario 06 recorded with `tcpdump -s 96` (snap length 96)', { script: '06-res-end', snaplen: 96 }],
  ['40-handshake-incomplete', 5141, ['handshake-incomplete'], 'a server with a blocked event loop and backlog 1: the third SYN gets no SYN-ACK'],
  ['41-capture-ends-waiting', 5142, ['unanswered-request'], 'the capture stops 1.4 s into a request the server answers after 2 s', { captureMs: 1400 }],
  ['42-capture-loss', 5143, ['capture-gap'], 'six GETs on one keep-alive socket; the file loses response 2, request 4 and response 6 (their frames deleted)', { drop: { responses: [2, 6], requests: [4] } }],
  ['43-capture-ends-streaming', 5144, ['unanswered-request'], 'the capture stops 1.4 s into an event stream, a download and an upload, all still flowing', { captureMs: 1400 }],
  ['44-capture-starts-mid-download', 5145, [], 'tcpdump starts 0.6 s into a 300 000-byte download on a keep-alive socket; two more GETs follow on it', { startMs: 600 }],
  ['45-localhost-fallback', 5146, [], '`localhost` → `::1` first, the server on 127.0.0.1: autoSelectFamily falls back after the RST', {}],
  ['46-fetch-keepalive-hint', 5147, ['keepalive-hint-too-short'], 'fetch() against keepAliveTimeout 2500 (`Keep-Alive: timeout=2`): undici drops every connection after its response'],
  ['47-upload-refused-early', 5148, ['connection-reset'], 'the handler answers 413 + `Connection: close` before reading a 3 MB upload; the kernel resets the connection, the Node client gets EPIPE'],
  ['48-curl-per-request', 5149, ['connection-per-request'], 'four `curl` processes (one HTTP/1.0, one 404), then two `agent: false` GETs: only the Node clients are connection-per-request'],
  ['49-client-abandons', 5150, ['connection-reset'], 'clients give up on responses still arriving: an aborted fetch() download, a destroyed chunked stream, an event stream closed after three events'],
  ['50-upstream-dies-mid-keepalive', 5151, ['empty-reply', 'no-response'], 'a proxy\'s keep-alive Agent to an upstream that destroys the socket of one request and is too slow for another'],
  ['51-tls-close-notify', 5152, [], 'HTTPS: a keep-alive https.Agent, three GETs on one TLS connection, then agent.destroy(): the server\'s close_notify after the client\'s FIN draws a RST'],
  ['52-slow-reader', 5153, [], 'a client pauses a 1 MiB response for 1.2 s (zero window; the server\'s zero-window probes), then idles 1.5 s on its keep-alive socket (its TCP keep-alive probe) and GETs again'],
  ['53-server-restart', 5154, ['connection-refused'], 'a client retries GET /2 every 40 ms while its server restarts: the refused attempts, then a new server answers'],
  ['54-upload-aborted', 5155, ['bad-request'], 'a Node client destroys its upload 30000 B into a declared 100000: the server\'s 400 answers the client\'s FIN'],
  ['55-pipelined-burst', 5156, ['pipelining'], 'a load tool\'s pipelining: twenty GETs in two bursts on one connection, answered in order'],
].map(([name, port, rules, title, extra]) => ({ name, script: name, port, rules, title, file: `${name}.pcapng`, ...extra }));

// The bundled demo capture (captures/tour.pcapng): the most instructive scenarios,
// merged chronologically (they were recorded one after the other, on distinct ports).
export const TOUR = [
  '01-agent-false', '02-keepalive-agent', '05-flushheaders-then-end', '06-res-end',
  '08-content-length-overrun', '09-content-length-underrun', '12-incomplete-headers', '19-keepalive-reuse-race',
];
