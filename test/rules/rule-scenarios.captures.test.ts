/**
 * The rule scenarios (captures/catalog.mjs RULE_SCENARIOS, 28–41): real loopback recordings made
 * for the rules no BEHAVIOURS §4 scenario shows. Each must give its rule's exact finding (rule id,
 * severity, connection, exchange, frames, message with the numbers read from the file) and nothing
 * else from the whole built-in rule set: the full list of findings is asserted, notes included.
 */
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import type { Finding } from '../../src/lint/types.js';
import { runRules } from '../helpers/rule-harness.js';

type Expected = Pick<Finding, 'ruleId' | 'severity' | 'connection' | 'exchange' | 'frames' | 'message'>;

const SCENARIOS: Array<[string, Expected[]]> = [
  ['28-missing-host.pcapng', [
    { ruleId: 'bad-request', severity: 'warning', connection: 1, exchange: 1, frames: [4, 6],
      message: '400 Bad Request (frame 6) 2.2ms after the request (frame 4), whose fault is an HTTP/1.1 request without Host — see missing-host' },
    { ruleId: 'missing-host', severity: 'warning', connection: 1, exchange: 1, frames: [4],
      message: 'the request (GET /no-host) is HTTP/1.1 but has no Host among its 1 header field (frame 4)' },
  ]],
  ['29-too-many-headers.pcapng', [
    { ruleId: 'too-many-headers', severity: 'warning', connection: 1, exchange: 1, frames: [4],
      message: 'the request (GET /many) has 1102 header fields, over the limit of 1000: Node keeps the first 1000 and drops 102 (frame 4)' },
  ]],
  ['30-head-with-body.pcapng', [
    { ruleId: 'body-not-allowed', severity: 'error', connection: 1, exchange: 1, frames: [6],
      message: 'the 200 response cannot have a body (a response to HEAD), yet 5 B followed its header section in frame 6' },
  ]],
  ['31-invalid-chunk.pcapng', [
    { ruleId: 'invalid-chunk', severity: 'error', connection: 1, exchange: 1, frames: [6],
      message: 'the 200 response: chunk-size line "zz" is not HEXDIG [chunk-ext] (invalid-chunk-size at offset 83, frame 6)' },
  ]],
  ['32-keepalive-timeout-mismatch.pcapng', [
    { ruleId: 'keepalive-timeout-mismatch', severity: 'warning', connection: 1, exchange: 1, frames: [6, 10, 13],
      message: 'response 1 advertised Keep-Alive: timeout=5 (frame 6), but the server closed the idle connection after 1.503s (frame 10) and went on serving (connection 2, SYN frame 13)' },
  ]],
  ['33-connection-refused.pcapng', [
    { ruleId: 'connection-refused', severity: 'error', connection: 1, exchange: null, frames: [1, 2],
      message: 'SYN from 127.0.0.1:56686 to 127.0.0.1:5134 (frame 1) was answered by RST (frame 2): nothing was listening' },
  ]],
  ['34-conflicting-framing.pcapng', [
    { ruleId: 'bad-request', severity: 'warning', connection: 1, exchange: 1, frames: [4, 6, 8],
      message: '400 Bad Request (frame 6) 645µs after the request (frame 4), whose fault is Content-Length and Transfer-Encoding together; Transfer-Encoding wins (content-length-with-transfer-encoding at offset 64, frame 4) — see conflicting-framing; the server closed the connection (frame 8)' },
    { ruleId: 'conflicting-framing', severity: 'error', connection: 1, exchange: 1, frames: [4],
      message: 'the request (POST /upload): Content-Length and Transfer-Encoding together; Transfer-Encoding wins (content-length-with-transfer-encoding at offset 64, frame 4)' },
  ]],
  ['35-request-after-connection-close.pcapng', [
    { ruleId: 'request-after-connection-close', severity: 'error', connection: 1, exchange: 2, frames: [6, 8],
      message: 'GET /2 HTTP/1.1 (frame 8) was sent after response 1 said Connection: close (frame 6); answered 503' },
    { ruleId: 'service-unavailable-drop', severity: 'warning', connection: 1, exchange: 2, frames: [6, 8, 9],
      message: 'request 2 (GET /2 HTTP/1.1) was answered 503 (frame 9), after response 1 said Connection: close (frame 6): dropped unprocessed' },
  ]],
  ['36-connection-reset.pcapng', [
    { ruleId: 'connection-reset', severity: 'warning', connection: 1, exchange: null, frames: [8],
      message: 'connection 1 (127.0.0.1:48298 → 127.0.0.1:5137, 1 exchange) was reset by the server: RST in frame 8, 102.3ms after the last exchange' },
  ]],
  ['37-response-cut-short.pcapng', [
    { ruleId: 'incomplete-message', severity: 'error', connection: 1, exchange: 1, frames: [6, 8],
      message: 'the 200 response stopped in its chunked body after 1 chunk, 6 B, without the last chunk: nothing more after frame 6, then the server closed (FIN frame 8) 101.2ms later' },
  ]],
  ['38-unmatched-response.pcapng', [
    { ruleId: 'unmatched-response', severity: 'warning', connection: 1, exchange: 2, frames: [6],
      message: 'response HTTP/1.1 200 OK (frame 6) arrived with no request waiting for it on connection 1' },
  ]],
  // The two messages cut by the snap length are the capture's fault: no incomplete-message.
  ['39-snaplen-96.pcapng', [
    { ruleId: 'truncated-frames', severity: 'warning', connection: 1, exchange: null, frames: [1, 10],
      message: '2 frames of connection 1 (127.0.0.1:42792 → 127.0.0.1:5106, frames 1–10) lost payload to the snap length' },
  ]],
  ['40-handshake-incomplete.pcapng', [
    { ruleId: 'handshake-incomplete', severity: 'warning', connection: 3, exchange: null, frames: [7],
      message: 'SYN from 127.0.0.1:60372 to 127.0.0.1:5141 (frame 7) got no SYN-ACK before the capture ended: 2 SYN frames over 1.020s' },
  ]],
  // The wait was ended by the capture (tcpdump stopped at 1.4 s), not by a peer: a note.
  ['41-capture-ends-waiting.pcapng', [
    { ruleId: 'unanswered-request', severity: 'note', connection: 1, exchange: 1, frames: [4],
      message: 'GET /slow HTTP/1.1 (frame 4) had waited 1.001s without a response byte when the capture ended' },
  ]],
  // Response 2, request 4 and response 6 lost by the capture: only the gap is reported — no
  // pipelining (requests 3, 5, 6 were sent after their predecessors' answers), no unmatched
  // response (response 4's request is in the gap), no no-response (response 6 is in the gap).
  ['42-capture-loss.pcapng', [
    { ruleId: 'capture-gap', severity: 'warning', connection: 1, exchange: null, frames: [9, 11, 15],
      message: 'connection 1 (127.0.0.1:52700 → 127.0.0.1:5143) is missing 416 B in 3 gaps; first: 173 B of the server\'s stream at offset 173 (before frame 9, acknowledged by the peer but never captured); whole messages lost in them: 1 request, 2 responses (their exchanges say "not captured")' },
  ]],
  // Three transfers under way when tcpdump stopped: the capture cut them, not a peer. One note
  // each — no content-length-underrun or incomplete-message (their senders wrote within the last
  // 30 ms; the event stream would be a note after any silence).
  ['43-capture-ends-streaming.pcapng', [
    { ruleId: 'unanswered-request', severity: 'note', connection: 1, exchange: 1, frames: [10, 34, 296],
      message: 'GET /events HTTP/1.1 (frame 10): the 200 response was still arriving when the capture ended — 13 chunks, 121 B of chunked body so far; its last byte (frame 296) came 23.7ms before the end (an event stream: it stays open between events)' },
    { ruleId: 'unanswered-request', severity: 'note', connection: 2, exchange: 1, frames: [12, 18, 300],
      message: 'GET /download HTTP/1.1 (frame 12): the 200 response was still arriving when the capture ended — 66560 of 1000000 declared body bytes; its last byte (frame 300) came 13.3ms before the end' },
    { ruleId: 'unanswered-request', severity: 'note', connection: 3, exchange: 1, frames: [14, 302],
      message: 'POST /upload HTTP/1.1 (frame 14) was still being sent when the capture ended — 67584 of 1000000 declared body bytes; its last byte (frame 302) came 43µs before the end' },
  ]],
  // The capture began 191 456 bytes before the end of a download, without the handshake: the
  // connection is HTTP from the client's next request on, and the bytes before it are not a fault.
  ['44-capture-starts-mid-download.pcapng', []],
  // `localhost` → [::1] refused, then 127.0.0.1 served 3 ms later (Node 20's autoSelectFamily): the
  // application saw no error, so no connection-refused.
  ['45-localhost-fallback.pcapng', []],
  // fetch() (undici: hint − 2 s) against `Keep-Alive: timeout=2`: a connection per GET, explained
  // by the hint (no connection-per-request).
  ['46-fetch-keepalive-hint.pcapng', [
    { ruleId: 'keepalive-hint-too-short', severity: 'warning', connection: 1, exchange: 1, frames: [6, 8, 11],
      message: 'response 1 on connection 1 advertised Keep-Alive: timeout=2 (frame 6); the client closed the connection 4.9ms later (frame 8) and opened connection 2 (SYN frame 11) for its next request' },
  ]],
  // 413 + Connection: close before the 3 MB body was read: the server's RST is the finding, saying
  // why; the request is cut off by the server, not short (no content-length-underrun).
  ['47-upload-refused-early.pcapng', [
    { ruleId: 'connection-reset', severity: 'warning', connection: 1, exchange: null, frames: [11, 17],
      message: "connection 1 (127.0.0.1:48014 → 127.0.0.1:5148, 1 exchange) was reset by the server: RST in frame 17 (after the server's FIN in frame 16) — it answered 413 (frame 11) before the request's body was complete and closed with 2709307 B of it still to come: data arriving for a closed socket makes the kernel reset the connection" },
  ]],
  // curl run once per request (connections 1–4, one HTTP/1.0, one 404) is no Node client to fix;
  // the two `agent: false` GETs are.
  ['48-curl-per-request.pcapng', [
    { ruleId: 'connection-per-request', severity: 'warning', connection: null, exchange: null, frames: [41, 49],
      message: '2 connections from 127.0.0.1 to 127.0.0.1:5149 each carried one exchange and were closed after it (connections 5, 6; SYN in frames 41, 49): 2 handshakes took 42µs in all; why: the client\'s requests asked for it (Connection: close or HTTP/1.0: 2)' },
  ]],
  // Clients giving up on responses still arriving: the download's RST is explained as that; the
  // stream's FIN and the closed event stream are no finding, and no server is blamed.
  ['49-client-abandons.pcapng', [
    { ruleId: 'connection-reset', severity: 'warning', connection: 1, exchange: null, frames: [27],
      message: "connection 1 (127.0.0.1:55062 → 127.0.0.1:5150, 1 exchange) was reset by the client: RST in frame 27 (after the client's FIN in frame 22) — it closed while the 200 response was still arriving (327627 of 2000000 B, the last byte 23µs before): the client gave up on it (an AbortSignal or a timeout, a cancelled download); the server's next write fails with EPIPE or ECONNRESET" },
  ]],
  // The upstream closed 2 ms after response 2 with GET /crash waiting: an empty reply, not an idle
  // keep-alive close (before: keepalive-timeout-mismatch as well).
  ['50-upstream-dies-mid-keepalive.pcapng', [
    { ruleId: 'empty-reply', severity: 'error', connection: 1, exchange: 3, frames: [10, 11],
      message: 'the server closed (FIN frame 11) 455µs after the request (GET /crash, frame 10) without a response byte' },
    { ruleId: 'no-response', severity: 'warning', connection: 2, exchange: 2, frames: [21, 23],
      message: 'no response in 200.1ms to the request (GET /slow, frame 21); the client closed (FIN frame 23)' },
  ]],
  // HTTPS closed by the client: the server's close_notify draws the client's RST — how TLS ends.
  ['51-tls-close-notify.pcapng', []],
  // A reader that pauses a 1 MiB download: zero window, the server's zero-window probes, and one
  // spurious retransmission (frame 17, D-SACKed in frame 18: the timer fired before a delayed ACK)
  // — nothing was lost, nothing is wrong: no finding, not even a retransmission note.
  ['52-slow-reader.pcapng', []],
  // A server restart under a retrying client: the first refusal at once, the other five in one
  // finding with when the server was back; the idle close 2 ms after Keep-Alive: timeout=5 was the
  // old process' shutdown (refusals follow it), not a keepalive-timeout-mismatch.
  // A client destroys its own upload: Node's 400 answers the client's FIN, and the finding says so.
  ['54-upload-aborted.pcapng', [
    { ruleId: 'bad-request', severity: 'warning', connection: 1, exchange: 1, frames: [4, 7],
      message: "400 Bad Request (frame 7) 49.2ms after the request (frame 4) is Node's answer to the client's FIN (frame 6) with 70000 B of the body still to come: its parser met the end of the stream there (HPE_INVALID_EOF_STATE) — the client gave up on its request (a destroyed or aborted upload)" },
  ]],
  // A load tool's pipelining: the first pipelined request at once, the other 17 in one note at the close.
  ['55-pipelined-burst.pcapng', [
    { ruleId: 'pipelining', severity: 'note', connection: 1, exchange: 2, frames: [4, 6],
      message: 'GET /2 HTTP/1.1 (frame 4) was sent before response 1 had completed (it ended in frame 6)' },
    { ruleId: 'pipelining', severity: 'note', connection: 1, exchange: 3, frames: [4, 26],
      message: '17 more requests on connection 1 (between exchanges 3 and 20, frames 4–26) were also sent before the previous response had completed' },
  ]],
  ['53-server-restart.pcapng', [
    { ruleId: 'connection-refused', severity: 'error', connection: 2, exchange: null, frames: [11, 12],
      message: 'SYN from 127.0.0.1:43544 to 127.0.0.1:5154 (frame 11) was answered by RST (frame 12): nothing was listening' },
    { ruleId: 'connection-refused', severity: 'error', connection: 3, exchange: null, frames: [13, 21],
      message: '5 more SYNs from 127.0.0.1 to 127.0.0.1:5154 (frames 13–21) were answered by RST after the first (frame 11), over 205.0ms; connection 8 (SYN frame 23) was accepted 246.1ms after the first refusal' },
  ]],
];

const project = (f: Finding): Expected => ({ ruleId: f.ruleId, severity: f.severity, connection: f.connection, exchange: f.exchange, frames: f.frames, message: f.message });
const byRule = (a: Expected, b: Expected): number => a.ruleId.localeCompare(b.ruleId);

describe('rule scenarios: each recording gives exactly its rule\'s finding, and nothing else', () => {
  it.each(SCENARIOS)('%s', async (file, expected) => {
    const findings = await runRules(file, builtinRules);
    expect(findings.map(project).sort(byRule)).toEqual(expected);
  });

  it('between them they show every rule of the brief that a Node.js program can produce', () => {
    const shown = new Set(SCENARIOS.flatMap(([, e]) => e.map((f) => f.ruleId)));
    for (const id of ['keepalive-timeout-mismatch', 'missing-host', 'too-many-headers', 'invalid-chunk', 'body-not-allowed', 'truncated-frames']) {
      expect(shown.has(id), id).toBe(true);
    }
  });
});
