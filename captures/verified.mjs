#!/usr/bin/env node
// Writes captures/VERIFIED.md: for every capture, the facts read back from it with
// tshark (streams, messages and the frames that carried their headers and bodies,
// framing, who closed first, keep-alive headers, key delays), plus the result of
// the scenario's check. `node captures/verified.mjs` regenerates it from the files
// as they are; record.mjs runs it after a full re-recording.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULE_SCENARIOS, SCENARIOS, TOUR, VARIANTS } from './catalog.mjs';
import { checks, describe, load } from './checks.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

// Observations made while verifying the recordings (kept by hand).
const NOTES = `
## Notes from verification (Node.js ${process.version}, Linux loopback)

- **Idle keep-alive close = keepAliveTimeout + ~1 s** (BEHAVIOURS §3 confirmed): 09 and 19 use
  keepAliveTimeout 1000 and the server FIN comes ~2.0 s after the response; the header says
  \`timeout=1\`.
- **maxRequestsPerSocket** (11): responses 1–2 carry \`Keep-Alive: timeout=5, max=3\`, response 3
  \`Connection: close\` and the socket stays open; the 503 is \`Transfer-Encoding: chunked\` with an
  empty body (\`0\\r\\n\\r\\n\`) and says \`Connection: close\` too; the server still does not close —
  the client does, 100 ms later.
- **TCP keep-alive probes** are zero-length segments with seq = next-seq − 1 (tshark: "TCP
  Keep-Alive"), sent by the client ~1 s after the last segment on a keep-alive Agent's socket,
  and ACKed at once by the server. They also appear while a request is *in flight* (13: the Agent
  turns keep-alive on when the socket is created, not only when it is pooled), and while waiting
  for a response (03, 04, 09). No one-byte probes were seen on Linux.
- **Node's 400/408/431** carry only \`Connection: close\` (no Content-Length / Transfer-Encoding):
  the response segment is followed by a separate server FIN segment; tshark attributes the
  response to the FIN frame (it waits for the close-delimited body to end), wirelens should
  report the frame that carried the bytes.
- **Corking** (07): status line, headers, 3 chunks and the last chunk in one segment. In 11 and
  20 (pipelined requests) each response nevertheless went out in its own segment.
- **server.close()** (23): the idle connection A is closed by the server at once (FIN 0.2 s after
  its response, while advertising \`timeout=5\`). The in-flight response on B still says
  \`Connection: keep-alive\` (Node 20 does not switch to \`close\` during shutdown); the client
  closes B. (Left alone, Node keeps B open until keepAliveTimeout + 1 s and only then closes it.)
- **10 and 21 are identical on the wire** (request, then a server FIN with no byte), as
  BEHAVIOURS §3 says; so are 03 and 25 apart from the waiting time (1.5 s vs 0.1 s).
- **19**: the RST comes from the server's kernel in reply to the late request (the server socket
  is fully closed). The client's ACK of the server FIN is delayed ~40 ms (delayed ACK).
- **02b** also matches the wire signature of \`connection-per-request\` (3 connections, one
  exchange each, closed after it) — the difference is the \`Keep-Alive: timeout=1\` header and
  that the *client* closes; decide whether the analyzer reports both.
- tshark with \`-Y http\` lists neither the incomplete request of 12 nor the body-less request
  of 13, and shows the 200 of 08 without the excess byte.
- **maxHeadersCount** (29): with \`server.maxHeadersCount\` unset, Node 20 keeps **1000** fields in
  \`req.headers\` (1023 in \`rawHeaders\`) of the 1,102 sent, without an error; the documented
  default of 2000 is in the unit of the flat name/value list. Set explicitly to 2000 (or 0), all
  1,502 of a 1,502-field request were kept (measured separately).
- **Missing Host** (28): Node's 400 for an HTTP/1.1 request without Host is not the parser's bare
  400 but a ServerResponse: \`Connection: close\` and an empty chunked body.
- **keepAliveTimeout 500** (32) closes the idle connection after ~1.5 s (+1 s as above), whatever
  \`Keep-Alive\` header the handler set itself (Node keeps the handler's \`timeout=5\`).
- **resetAndDestroy()** (36) must be called on the socket captured in the handler: in \`res.end()\`'s
  callback \`res.socket\` is already null. It sends a bare RST.
- **Full accept queue** (40): with backlog 1 and a blocked event loop, two handshakes complete into
  the queue and the third SYN is dropped silently (retransmitted 1 s later); destroying the
  connecting socket sends nothing.
- **tshark and broken framing**: it lists 31's 200 as complete (its chunked decoder stops at \`zz\`)
  and 39's GET and 200 from their cut start lines (\`[Packet size limited during capture]\`).
`;

function tsharkVersion() {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  return `TShark ${r.stdout.match(/\d+\.\d+\.\d+/)?.[0] ?? '?'}`;
}

function tourSection(file) {
  const cap = load(file);
  const byPort = new Map();
  for (const s of cap.streams) {
    const nums = s.frames.map((f) => f.no);
    const cur = byPort.get(s.serverPort) ?? { min: Infinity, max: 0, streams: [] };
    cur.min = Math.min(cur.min, ...nums);
    cur.max = Math.max(cur.max, ...nums);
    cur.streams.push(s.id);
    byPort.set(s.serverPort, cur);
  }
  const all = [...SCENARIOS];
  const lines = [
    `- file: ${cap.info.fileType}, link type ${cap.info.encapsulation}, ${cap.info.packets} frames, ${cap.streams.length} TCP streams`,
    '- built with `mergecap -F pcapng -w tour.pcapng` (chronological merge) of the files below; each keeps its frames contiguous:',
    '',
    '| frames | server port | TCP streams | from |',
    '| --- | --- | --- | --- |',
  ];
  for (const [port, r] of [...byPort.entries()].sort((a, b) => a[1].min - b[1].min)) {
    const sc = all.find((s) => s.port === port && TOUR.includes(s.name));
    lines.push(`| ${r.min}–${r.max} | ${port} | ${r.streams.join(', ')} | ${sc ? sc.file : '?'} |`);
  }
  lines.push('', 'Inside the tour, frame *n* of a component file is frame *n + (first frame − 1)*; stream ids are renumbered in order of appearance.');
  return lines;
}

export function writeVerified() {
  const out = [
    '# VERIFIED — facts read back from the recorded captures',
    '',
    'Generated by `node captures/verified.mjs` from the capture files with tshark ' +
      `(${tsharkVersion()}) — do not edit by hand, re-run it after re-recording. ` +
      'Frame numbers are 1-based as in Wireshark; times are seconds since the first frame of the ' +
      'file; c→s = client to server. "header frames" are the TCP segments that carried the start line ' +
      'and header section, "body frames" those that carried body bytes (chunk framing included). ' +
      'Ephemeral client ports and absolute times change on every recording; frame numbers of ' +
      'pure ACKs can shift by one between recordings (delayed ACKs), the data/FIN/RST frames listed ' +
      'here are those of the committed files.',
    NOTES,
  ];
  for (const spec of [...SCENARIOS, ...VARIANTS, ...RULE_SCENARIOS]) {
    const file = join(HERE, spec.file);
    out.push(`## ${spec.file} — ${spec.title}`, '');
    if (!existsSync(file)) {
      out.push('*(missing)*', '');
      continue;
    }
    out.push(`Expected findings: ${spec.rules.length ? spec.rules.map((r) => `\`${r}\``).join(', ') : 'none'}`, '');
    const check = (checks[spec.name] ?? checks[spec.script])(file, spec);
    out.push(`Check (\`record.mjs\`): **${check.ok ? 'passed' : 'FAILED'}**`);
    for (const l of check.lines) out.push(`- ${l}`);
    out.push('');
    out.push(...describe(file, { port: spec.port }).lines, '');
  }
  const tour = join(HERE, 'tour.pcapng');
  if (existsSync(tour)) out.push('## tour.pcapng — the bundled demo capture', '', ...tourSection(tour), '');
  writeFileSync(join(HERE, 'VERIFIED.md'), `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`);
  return join(HERE, 'VERIFIED.md');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`wrote ${writeVerified()}`);
}
