// tshark-based checks that a recorded capture really shows the scenario's behaviour.
//
// load(file) reads every frame with `tshark -T fields` (frame number, time, stream,
// ports, flags, length, keep-alive flag, payload bytes) and, per TCP stream and
// direction, splits the byte stream into HTTP/1 messages just far enough to say
// which frames carried the header section and which carried body bytes. A second
// tshark pass with the HTTP dissector forced on the scenario's port gives tshark's
// own view of requests and responses, which the checks also use.
//
// This is deliberately independent of wirelens' own code in src/: it is the
// reference the expected-results files are checked against.
import { spawnSync } from 'node:child_process';

const FIELDS = [
  'frame.number', 'frame.time_relative', 'tcp.stream', 'tcp.srcport', 'tcp.dstport',
  'tcp.flags', 'tcp.len', 'tcp.seq_raw', 'tcp.analysis.keep_alive', 'tcp.payload',
  // Appended for captures/expected.mjs (server address, handshake ACK).
  'ip.src', 'ip.dst', 'tcp.ack_raw', 'ipv6.src', 'ipv6.dst',
  // The raw window field: a probe into a closed window is a zero-window probe, not a keep-alive.
  'tcp.window_size_value',
];

function tshark(args) {
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`tshark: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`tshark ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function capinfo(file) {
  const r = spawnSync('capinfos', ['-t', '-E', '-c', '-M', file], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`capinfos ${file}: ${r.error?.message ?? r.stderr}`);
  const field = (name) => r.stdout.match(new RegExp(`^${name}:\\s*(.*)$`, 'm'))?.[1].trim();
  const fileType = field('File type');
  return {
    fileType, encapsulation: field('File encapsulation'), packets: Number(field('Number of packets')),
    precision: /nsec|nanosecond/i.test(fileType) ? 'ns' : 'us',
  };
}

/** Server port of a stream: the destination of its SYN, else a 51xx/52xx port. */
function serverPortOf(frames) {
  const syn = frames.find((f) => f.flags.syn && !f.flags.ack);
  if (syn) return syn.dport;
  const f = frames[0];
  return f.sport >= 5100 && f.sport < 5300 ? f.sport : f.dport;
}

export function load(file) {
  const out = tshark(['-r', file, '-n', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=f', ...FIELDS.flatMap((f) => ['-e', f])]);
  const frames = out.trim().split('\n').filter(Boolean).map((line) => {
    const [no, t, stream, sport, dport, flags, len, seq, keepAlive, payload, src4, dst4, ack, src6, dst6, window] = line.split('\t');
    const src = src4 || src6;
    const dst = dst4 || dst6;
    const fl = parseInt(flags, 16);
    return {
      no: Number(no), t: Number(t), stream: Number(stream), sport: Number(sport), dport: Number(dport),
      flags: { fin: !!(fl & 1), syn: !!(fl & 2), rst: !!(fl & 4), psh: !!(fl & 8), ack: !!(fl & 16) },
      len: Number(len), seq: Number(seq), keepAlive: keepAlive === '1',
      payload: Buffer.from(payload ?? '', 'hex'),
      src, dst, ack: Number(ack), window: Number(window),
    };
  });
  const byStream = new Map();
  for (const f of frames) {
    if (!byStream.has(f.stream)) byStream.set(f.stream, []);
    byStream.get(f.stream).push(f);
  }
  const streams = [...byStream.entries()].map(([id, fs]) => buildStream(id, fs));
  return { file, frames, streams, info: capinfo(file) };
}

function buildStream(id, frames) {
  const serverPort = serverPortOf(frames);
  for (const f of frames) f.dir = f.dport === serverPort ? 'c2s' : 's2c';
  const clientPort = frames.find((f) => f.dir === 'c2s')?.sport;
  const s = { id, serverPort, clientPort, frames };
  s.syn = frames.find((f) => f.flags.syn && !f.flags.ack);
  s.synAck = frames.find((f) => f.flags.syn && f.flags.ack);
  s.closes = frames.filter((f) => f.flags.fin || f.flags.rst).map((f) => ({
    no: f.no, t: f.t, by: f.dir === 'c2s' ? 'client' : 'server', kind: f.flags.rst ? 'RST' : 'FIN',
  }));
  s.firstClose = s.closes[0];
  s.probes = frames.filter((f) => f.keepAlive).map((f) => f.no);
  // tshark's keep-alive probes sent while the other side's last segment (RSTs aside) advertised a
  // zero window: zero-window probes (Linux sends both kinds alike; wirelens tells them apart).
  const closed = { c2s: false, s2c: false };
  for (const f of frames) {
    const other = f.dir === 'c2s' ? 's2c' : 'c2s';
    f.zeroWindowProbe = f.keepAlive && closed[other];
    if (!f.flags.rst) closed[f.dir] = f.window === 0;
  }
  // Data per direction, without keep-alive probes (their byte, if any, is a duplicate), and without
  // what arrived after the receiver's RST: it reached a connection the receiver had already torn
  // down (segments in flight when the RST left, answered by more RSTs), as wirelens counts it.
  const rstBy = (dir) => frames.find((f) => f.dir === dir && f.flags.rst)?.no ?? Infinity;
  const delivered = (dir, receiver) => withoutRetransmissions(frames.filter((f) => f.dir === dir && f.len > 0 && !f.keepAlive && f.no < rstBy(receiver)));
  s.c2s = assemble(delivered('c2s', 's2c'));
  s.s2c = assemble(delivered('s2c', 'c2s'));
  s.requests = parseMessages(s.c2s, 'request', null, hasFin(frames, 'c2s'));
  // Picked up mid-stream (no handshake in the file) with the server's bytes first: they are the end
  // of a response whose head the file does not hold; its messages begin at the first status line.
  s.s2cSkipped = null;
  if (!s.syn && !s.synAck && s.s2c.data.length > 0 && s.s2c.data.toString('latin1', 0, 5) !== 'HTTP/') {
    const at = s.s2c.data.indexOf('HTTP/1.', 0, 'latin1');
    const length = at < 0 ? s.s2c.data.length : at;
    s.s2cSkipped = { length, frames: framesIn(s.s2c, 0, length) };
  }
  s.responses = parseMessages(s.s2c, 'response', s.requests, hasFin(frames, 's2c'), s.s2cSkipped?.length ?? 0);
  return s;
}

const hasFin = (frames, dir) => frames.some((f) => f.dir === dir && (f.flags.fin || f.flags.rst));

/** Drops segments whose bytes all came before (by raw sequence number, mod 2^32): a retransmission carries nothing new. */
function withoutRetransmissions(frames) {
  let end = null;
  return frames.filter((f) => {
    const e = (f.seq + f.len) >>> 0;
    if (end !== null && ((e - end) | 0) <= 0) return false;
    end = e;
    return true;
  });
}

function assemble(frames) {
  const segs = [];
  let offset = 0;
  for (const f of frames) {
    // cut: payload bytes the snap length kept out of the file (tcp.len counts them, tcp.payload does not).
    segs.push({ no: f.no, t: f.t, start: offset, end: offset + f.payload.length, cut: f.len - f.payload.length });
    offset += f.payload.length;
  }
  return { data: Buffer.concat(frames.map((f) => f.payload)), segs };
}

function framesIn({ segs }, start, end) {
  return segs.filter((s) => s.start < end && s.end > start).map((s) => s.no);
}
function segAt({ segs }, offset) {
  return segs.find((s) => s.start <= offset && offset < s.end);
}

const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.[01]$/;
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/;

/**
 * Splits one direction into messages. Good enough for these captures: Content-Length,
 * chunked, close-delimited and body-less responses, 101/CONNECT tunnels, incomplete
 * header sections, unparsable start lines and excess bytes.
 */
function parseMessages(dir, kind, requests, finished, from = 0) {
  const { data } = dir;
  const messages = [];
  let pos = from;
  let reqIndex = 0; // final responses answer requests in order
  while (pos < data.length) {
    const headEnd = data.indexOf('\r\n\r\n', pos, 'latin1');
    const firstLineEnd = data.indexOf('\r\n', pos, 'latin1');
    const firstLine = data.toString('latin1', pos, firstLineEnd < 0 ? Math.min(data.length, pos + 80) : firstLineEnd);
    const looksLikeStart = kind === 'request' ? /^[A-Z]+ /.test(firstLine) : /^HTTP\//.test(firstLine);
    if (!looksLikeStart && messages.length && messages.at(-1).complete) {
      // Bytes after a complete message that do not start a new one (Content-Length overrun).
      messages.at(-1).excess = { bytes: data.length - pos, text: data.toString('latin1', pos), frames: framesIn(dir, pos, data.length) };
      break;
    }
    const m = { kind, startLine: firstLine, headFrames: [], bodyFrames: [], headers: [], complete: false };
    m.header = (name) => m.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
    m.firstFrame = segAt(dir, pos).no;
    m.t = segAt(dir, pos).t;
    messages.push(m);
    if (headEnd < 0) {
      m.incompleteHead = true;
      const rl = REQUEST_LINE.exec(firstLine);
      if (kind === 'request' && rl) { m.method = rl[1]; m.uri = rl[2]; }
      const sl = STATUS_LINE.exec(firstLine);
      if (kind === 'response' && sl) m.status = Number(sl[1]);
      m.headBytes = data.length - pos;
      m.headFrames = framesIn(dir, pos, data.length);
      m.lastFrame = m.headFrames.at(-1);
      // Its last segment lost bytes to the snap length: the capture, not the peer, cut it short.
      const last = dir.segs.find((x) => x.no === m.lastFrame);
      if (last?.cut > 0) m.snapped = { frame: last.no, length: last.cut };
      break;
    }
    const lines = data.toString('latin1', pos, headEnd).split('\r\n');
    m.headBytes = headEnd + 4 - pos;
    m.headFrames = framesIn(dir, pos, headEnd + 4);
    m.headers = lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
    const { header } = m;
    let bodyStart = headEnd + 4;
    const rl = REQUEST_LINE.exec(lines[0]);
    const sl = STATUS_LINE.exec(lines[0]);
    let framing;
    let tunnel = false;
    if (kind === 'request') {
      if (!rl) { m.malformed = true; }
      else { m.method = rl[1]; m.uri = rl[2]; }
    } else {
      if (!sl) m.malformed = true;
      else m.status = Number(sl[1]);
    }
    if (m.malformed) {
      m.complete = true; // header section ended, but the start line is unusable
      pos = bodyStart;
      m.lastFrame = m.headFrames.at(-1);
      continue;
    }
    const te = header('transfer-encoding').join(',').toLowerCase();
    const cl = header('content-length');
    if (kind === 'response') {
      const req = requests?.[reqIndex];
      m.request = req;
      if (m.status >= 100 && m.status < 200 && m.status !== 101) { framing = 'none'; m.interim = true; }
      else {
        reqIndex++;
        if (m.status === 101 || (req?.method === 'CONNECT' && m.status >= 200 && m.status < 300)) { framing = 'none'; tunnel = true; }
        else if (m.status === 204 || m.status === 304 || req?.method === 'HEAD') framing = 'none';
        else if (te.endsWith('chunked')) framing = 'chunked';
        else if (cl.length) framing = 'content-length';
        else framing = 'close';
      }
    } else {
      if (te.endsWith('chunked')) framing = 'chunked';
      else if (cl.length) framing = 'content-length';
      else framing = 'none';
    }
    m.framing = framing;
    m.afterHeadInFrame = (() => { // payload bytes that follow the header section in its last frame
      const seg = segAt(dir, headEnd + 3);
      return seg.end - (headEnd + 4);
    })();
    if (framing === 'none') {
      m.bodyBytes = 0;
      m.complete = true;
      pos = bodyStart;
    } else if (framing === 'content-length') {
      m.declared = Number(cl[0]);
      const have = Math.min(m.declared, data.length - bodyStart);
      m.bodyBytes = have;
      m.complete = have === m.declared;
      m.bodyFrames = have ? framesIn(dir, bodyStart, bodyStart + have) : [];
      pos = bodyStart + have;
    } else if (framing === 'close') {
      m.bodyBytes = data.length - bodyStart;
      m.complete = finished;
      m.bodyFrames = m.bodyBytes ? framesIn(dir, bodyStart, data.length) : [];
      pos = data.length;
    } else {
      // chunked
      let p = bodyStart;
      m.chunks = [];
      m.bodyBytes = 0;
      for (;;) {
        const eol = data.indexOf('\r\n', p, 'latin1');
        if (eol < 0) break;
        const size = parseInt(data.toString('latin1', p, eol).split(';')[0], 16);
        if (Number.isNaN(size)) {
          // The body cannot be framed from here: the line is the fault, what follows is skipped.
          m.invalidChunk = { frame: segAt(dir, p).no, skipped: data.length - (eol + 2), skippedFrames: framesIn(dir, eol + 2, data.length) };
          break;
        }
        if (size === 0) {
          const end = data.indexOf('\r\n\r\n', eol, 'latin1');
          const trailerEnd = data.toString('latin1', eol, eol + 4) === '\r\n\r\n' ? eol + 4 : end < 0 ? -1 : end + 4;
          if (trailerEnd < 0) break;
          p = trailerEnd;
          m.lastChunk = true;
          m.complete = true;
          break;
        }
        if (eol + 2 + size + 2 > data.length) break;
        m.chunks.push(size);
        m.bodyBytes += size;
        p = eol + 2 + size + 2;
      }
      m.wireBodyBytes = p - bodyStart;
      m.bodyFrames = p > bodyStart ? framesIn(dir, bodyStart, p) : [];
      if (!m.complete) { pos = data.length; m.wireBodyBytes = data.length - bodyStart; }
      else pos = p;
    }
    m.lastFrame = m.bodyFrames.at(-1) ?? m.headFrames.at(-1);
    m.tEnd = dir.segs.find((s) => s.no === m.lastFrame)?.t;
    if (tunnel) {
      m.tunnel = true;
      break;
    }
  }
  return messages;
}

/** Bytes after a 101 / CONNECT 2xx, per direction (the switched protocol). */
export function tunnelBytes(stream) {
  const resp = stream.responses.find((r) => r.tunnel);
  if (!resp) return null;
  const s2cStart = stream.s2c.segs.find((s) => s.no === resp.lastFrame).end;
  const req = resp.request;
  const reqEndFrame = req.lastFrame;
  const c2sStart = stream.c2s.segs.find((s) => s.no === reqEndFrame).end;
  return {
    c2s: stream.c2s.data.length - c2sStart, s2c: stream.s2c.data.length - s2cStart,
    c2sFrames: framesIn(stream.c2s, c2sStart, stream.c2s.data.length),
    s2cFrames: framesIn(stream.s2c, s2cStart, stream.s2c.data.length),
    c2sText: stream.c2s.data.toString('latin1', c2sStart), s2cText: stream.s2c.data.toString('latin1', s2cStart),
  };
}

/** tshark's own HTTP view (dissector forced on the server ports). */
export function tsharkHttp(file, ports) {
  const decode = ports.flatMap((p) => ['-d', `tcp.port==${p},http`]);
  const out = tshark(['-r', file, '-n', ...decode, '-Y', 'http', '-T', 'fields', '-E', 'separator=\t', '-E', 'aggregator=;',
    '-e', 'frame.number', '-e', 'tcp.stream', '-e', 'http.request.method', '-e', 'http.request.uri', '-e', 'http.response.code']);
  return out.trim().split('\n').filter(Boolean).map((l) => {
    const [no, stream, method, uri, code] = l.split('\t');
    return { no: Number(no), stream: Number(stream), method, uri, code };
  });
}

// ---------------------------------------------------------------------------
// Assertions

class Checker {
  constructor(file) {
    this.cap = load(file);
    this.lines = [];
    this.ok = true;
  }
  expect(cond, message) {
    if (!cond) { this.ok = false; this.lines.push(`✗ ${message}`); }
    return cond;
  }
  note(message) { this.lines.push(message); }
  result() { return { ok: this.ok, lines: this.lines }; }
  get streams() { return this.cap.streams; }
  stream(i = 0) { return this.cap.streams[i]; }
  tshark() { return tsharkHttp(this.cap.file, [...new Set(this.cap.streams.map((s) => s.serverPort))]); }
}

const ms = (seconds) => {
  if (!Number.isFinite(seconds)) return '? ms';
  const v = seconds * 1000;
  return Math.abs(v) < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`;
};
/** Time from event b to event a (anything with .t), or NaN when either is missing. */
const dt = (a, b) => (a && b ? a.t - b.t : NaN);
const frameT = (cap, no) => cap.frames.find((f) => f.no === no).t;
const finalResponses = (s) => s.responses.filter((r) => !r.interim);

function oneStream(c) {
  c.expect(c.streams.length === 1, `expected 1 TCP stream, found ${c.streams.length}`);
  return c.stream(0);
}

function noResponseBytes(c, s, closer) {
  c.expect(s.requests.length === 1 && s.requests[0].complete, 'one complete request');
  c.expect(s.s2c.data.length === 0, `server sent no payload bytes (sent ${s.s2c.data.length})`);
  c.expect(s.firstClose?.by === closer, `${closer} closes first (found ${s.firstClose?.by} ${s.firstClose?.kind})`);
  const delay = dt(s.firstClose, s.requests[0]);
  c.note(`frame ${s.requests[0]?.firstFrame}: ${s.requests[0]?.startLine}; no response bytes; ${s.firstClose?.by} ${s.firstClose?.kind} in frame ${s.firstClose?.no}, ${ms(delay)} after the request`);
  return delay;
}

function nodeErrorResponse(c, s, status) {
  const r = s.responses.find((x) => x.status === status);
  if (!c.expect(r, `a ${status} response`)) return null;
  c.expect(!r.header('content-length').length && !r.header('transfer-encoding').length, `${status} has neither Content-Length nor Transfer-Encoding`);
  c.expect(r.header('connection')[0] === 'close', `${status} says Connection: close`);
  c.expect(r.framing === 'close' && r.bodyBytes === 0 && r.complete, `${status} body is close-delimited and empty`);
  c.expect(s.firstClose?.by === 'server' && s.firstClose.kind === 'FIN', `server sends FIN first (found ${s.firstClose?.by} ${s.firstClose?.kind})`);
  const codes = c.tshark().map((h) => h.code).filter(Boolean);
  c.expect(codes.includes(String(status)), `tshark sees the ${status} (it saw ${codes.join(',') || 'none'})`);
  return r;
}

function packedResponse(c, r, what) {
  const packed = r.headFrames.length === 1 && r.bodyFrames.length === 1 && r.headFrames[0] === r.bodyFrames[0];
  c.expect(packed, `${what}: header section and body in one segment (head ${r.headFrames}, body ${r.bodyFrames})`);
  return packed;
}

function segmentLen(cap, no) { return cap.frames.find((f) => f.no === no).len; }

export const checks = {
  '01-agent-false'(file) {
    const c = new Checker(file);
    c.expect(c.streams.length === 3, `3 TCP streams (found ${c.streams.length})`);
    c.streams.forEach((s, i) => {
      const [req] = s.requests;
      const [res] = s.responses;
      c.expect(s.syn && s.synAck, `stream ${i}: handshake captured`);
      c.expect(s.requests.length === 1 && req.uri === `/${i + 1}` && req.header('connection')[0] === 'close', `stream ${i}: one GET /${i + 1} with Connection: close`);
      c.expect(s.responses.length === 1 && res.status === 200 && res.header('connection')[0] === 'close', `stream ${i}: one 200 with Connection: close`);
      c.expect(s.firstClose?.by === 'server', `stream ${i}: server closes first`);
      c.note(`stream ${i}: SYN frame ${s.syn?.no}, GET ${req?.uri} frame ${req?.firstFrame}, 200 frame ${res?.firstFrame}, server FIN frame ${s.firstClose?.no}`);
    });
    return c.result();
  },

  '02-keepalive-agent'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    c.expect(s.requests.map((r) => r.uri).join() === '/1,/2,/3', `3 requests /1,/2,/3 on the one connection (${s.requests.map((r) => r.uri)})`);
    c.expect(s.responses.length === 3 && s.responses.every((r) => r.status === 200 && r.header('keep-alive')[0] === 'timeout=5'), '3 × 200 with Keep-Alive: timeout=5');
    c.expect(s.probes.length >= 1, `a TCP keep-alive probe during the 1.2 s idle gap (frames ${s.probes})`);
    c.expect(s.firstClose?.by === 'client', 'the client closes (agent.destroy())');
    c.note(`requests in frames ${s.requests.map((r) => r.firstFrame)}, responses in frames ${s.responses.map((r) => r.firstFrame)}, keep-alive probe frame(s) ${s.probes}, client FIN frame ${s.firstClose?.no}`);
    return c.result();
  },

  '02b-keepalive-hint-too-short'(file) {
    const c = new Checker(file);
    c.expect(c.streams.length === 3, `3 TCP streams (found ${c.streams.length})`);
    c.streams.forEach((s, i) => {
      const [res] = s.responses;
      c.expect(s.requests.length === 1 && s.responses.length === 1, `stream ${i}: one exchange`);
      c.expect(res?.header('keep-alive')[0] === 'timeout=1', `stream ${i}: Keep-Alive: timeout=1 (got ${res?.header('keep-alive')})`);
      c.expect(s.firstClose?.by === 'client', `stream ${i}: the client (Agent) drops the socket first`);
      c.note(`stream ${i}: GET ${s.requests[0]?.uri} frame ${s.requests[0]?.firstFrame}, 200 (Keep-Alive: timeout=1) frame ${res?.firstFrame}, client FIN frame ${s.firstClose?.no} (+${ms(dt(s.firstClose, res))})`);
    });
    return c.result();
  },

  '03-writehead-no-end'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const delay = noResponseBytes(c, s, 'client');
    c.expect(delay > 1.4, `client waited ~1.5 s (${ms(delay)})`);
    c.note(`keep-alive probe frame(s) while waiting: ${s.probes.join(',') || 'none'}`);
    return c.result();
  },

  '04-flushheaders-no-end'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [r] = s.responses;
    c.expect(r?.status === 200 && r.framing === 'chunked', '200, Transfer-Encoding: chunked');
    c.expect(r && r.bodyBytes === 0 && !r.complete && r.afterHeadInFrame === 0, 'headers only: no chunk, no last chunk');
    c.expect(s.firstClose?.by === 'client' && dt(s.firstClose, r) > 1.4, 'the client gives up ~1.5 s later and closes');
    c.note(`frame ${r?.firstFrame}: response header section alone (${r?.headBytes} bytes, chunked); keep-alive probe frame(s) ${s.probes.join(',') || 'none'}; client FIN frame ${s.firstClose?.no}, ${ms(dt(s.firstClose, r))} later`);
    return c.result();
  },

  '05-flushheaders-then-end'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [r] = s.responses;
    if (!c.expect(r?.status === 200 && r.complete, 'a complete 200')) return c.result();
    c.expect(r.headFrames.length === 1 && r.afterHeadInFrame === 0, `header section alone in frame ${r.headFrames}`);
    c.expect(r.bodyFrames.length === 1 && r.bodyFrames[0] > r.headFrames[0], `body in a later frame (${r.bodyFrames})`);
    const gap = r.bodyFrames.length ? frameT(c.cap, r.bodyFrames[0]) - frameT(c.cap, r.headFrames[0]) : NaN;
    c.expect(gap >= 0.045, `~50 ms between headers and body (${ms(gap)})`);
    c.note(`frame ${r.headFrames}: headers only (${r.headBytes} bytes); frame ${r.bodyFrames}: chunked body ${r.wireBodyBytes} bytes (${r.bodyBytes} data) ${ms(gap)} later`);
    return c.result();
  },

  '06-res-end'(file, spec) {
    const c = new Checker(file);
    if (spec?.linkType) c.expect(/sll2|cooked-mode capture v2/i.test(c.cap.info.encapsulation), `link type SLL2 (${c.cap.info.encapsulation})`);
    const s = oneStream(c);
    const [r] = s.responses;
    c.expect(r?.status === 200 && r.declared === 12 && r.bodyBytes === 12 && r.complete, '200 with Content-Length: 12 and 12 body bytes');
    if (r && packedResponse(c, r, 'response')) c.note(`frame ${r.headFrames[0]}: response headers+body in one ${segmentLen(c.cap, r.headFrames[0])}-byte segment`);
    c.expect(s.firstClose?.by === 'client', 'client closes (agent.destroy())');
    return c.result();
  },

  '07-three-writes'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [r] = s.responses;
    c.expect(r?.framing === 'chunked' && r.chunks.join() === '11,12,11' && r.lastChunk, `chunked: 3 chunks (11,12,11) + last chunk (${r?.chunks})`);
    if (r && packedResponse(c, r, 'response')) c.note(`frame ${r.headFrames[0]}: headers + 3 chunks + last chunk in one ${segmentLen(c.cap, r.headFrames[0])}-byte segment`);
    return c.result();
  },

  '08-content-length-overrun'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [r] = s.responses;
    c.expect(r?.declared === 3 && r.bodyBytes === 3, 'Content-Length: 3 body complete');
    c.expect(r?.excess?.bytes === 1 && r.excess.text === '4', `then 1 excess byte "4" (${JSON.stringify(r?.excess?.text)})`);
    c.expect(r?.afterHeadInFrame === 4, `4 bytes follow the header section in its segment (${r?.afterHeadInFrame})`);
    c.expect(s.firstClose?.by === 'client', 'the client (parse error) closes first');
    c.note(`frame ${r?.headFrames}: headers + "123" + excess "4" in one segment; client FIN frame ${s.firstClose?.no}`);
    return c.result();
  },

  '09-content-length-underrun'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [r] = s.responses;
    c.expect(r?.declared === 3 && r.bodyBytes === 2 && !r.complete, 'Content-Length: 3 but only 2 body bytes');
    const delay = dt(s.firstClose, r);
    c.expect(s.firstClose?.by === 'server' && delay > 1.8 && delay < 2.5, `server FIN ~2 s after the response (keepAliveTimeout 1000 + 1 s): ${ms(delay)}`);
    c.note(`frame ${r?.headFrames}: headers + "12"; keep-alive probe frame(s) ${s.probes}; server FIN frame ${s.firstClose?.no} ${ms(delay)} later`);
    return c.result();
  },

  '10-strict-content-length'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    noResponseBytes(c, s, 'server');
    return c.result();
  },

  '11-max-requests-per-socket'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    c.expect(s.requests.length === 4 && new Set(s.requests.map((r) => r.firstFrame)).size === 1, `4 requests pipelined in one segment (frames ${s.requests.map((r) => r.firstFrame)})`);
    const codes = s.responses.map((r) => r.status);
    c.expect(codes.join() === '200,200,200,503', `responses 200,200,200,503 (${codes})`);
    const [r1, r2, r3, r4] = s.responses;
    c.expect(r1?.header('keep-alive')[0] === 'timeout=5, max=3' && r2?.header('keep-alive')[0] === 'timeout=5, max=3', 'responses 1-2: Keep-Alive: timeout=5, max=3');
    c.expect(r3?.header('connection')[0] === 'close', 'response 3: Connection: close');
    c.expect(r4 && r4.framing === 'chunked' && r4.bodyBytes === 0 && r4.complete, '503 with an empty chunked body');
    const serverFinBefore503 = s.closes.some((x) => x.by === 'server' && x.no < (r4?.firstFrame ?? 0));
    c.expect(!serverFinBefore503, 'the server keeps the socket open after "Connection: close"');
    c.expect(s.firstClose?.by === 'client', 'the client closes first');
    c.expect(c.tshark().some((h) => h.code === '503'), 'tshark sees the 503');
    c.note(`requests frame ${s.requests[0]?.firstFrame}; responses frames ${s.responses.map((r) => `${r.firstFrame}:${r.status}`).join(' ')}; client FIN frame ${s.firstClose?.no}`);
    return c.result();
  },

  '12-incomplete-headers'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [q] = s.requests;
    c.expect(q?.incompleteHead && q.headFrames.length === 3, `request header section never finished, sent in 3 segments (${q?.headFrames})`);
    const r = nodeErrorResponse(c, s, 408);
    if (r) {
      const after = r.t - q.t;
      c.expect(after >= 1.0 && after < 1.5, `408 ~headersTimeout after the first request byte (${ms(after)})`);
      c.note(`request frames ${q.headFrames} (${q.headBytes} bytes, no empty line); 408 frame ${r.firstFrame} ${ms(after)} after frame ${q.firstFrame}; server FIN frame ${s.firstClose?.no}`);
    }
    return c.result();
  },

  '13-body-never-sent'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [q] = s.requests;
    c.expect(q?.declared === 3 && q.bodyBytes === 0 && !q.complete, 'request declares Content-Length: 3, sends 0 body bytes');
    const r = nodeErrorResponse(c, s, 408);
    if (r) {
      const after = r.t - q.t;
      c.expect(after >= 1.5 && after < 2.0, `408 ~requestTimeout after the request headers (${ms(after)})`);
      c.note(`request headers frame ${q.firstFrame}; 408 frame ${r.firstFrame} ${ms(after)} later; server FIN frame ${s.firstClose?.no}`);
    }
    return c.result();
  },

  '14-header-overflow'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [q] = s.requests;
    c.expect(q?.headBytes > 16384, `request header section > 16 KiB (${q?.headBytes} bytes)`);
    const r = nodeErrorResponse(c, s, 431);
    if (r) c.note(`request frame ${q.firstFrame} (${q.headBytes}-byte header section); 431 frame ${r.firstFrame}; server FIN frame ${s.firstClose?.no}`);
    return c.result();
  },

  '15-garbage-request-line'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [q] = s.requests;
    c.expect(q?.malformed, `request line is not valid HTTP (${JSON.stringify(q?.startLine)})`);
    const r = nodeErrorResponse(c, s, 400);
    if (r) c.note(`request frame ${q.firstFrame}; 400 frame ${r.firstFrame}; server FIN frame ${s.firstClose?.no}`);
    return c.result();
  },

  '16-upgrade'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [r] = s.responses;
    c.expect(r?.status === 101 && /echo/i.test(r.header('upgrade')[0] ?? ''), '101 Switching Protocols, Upgrade: echo');
    const t = tunnelBytes(s);
    c.expect(t && t.c2s === 28 && t.s2c === 28 && !/^HTTP\//.test(t.s2cText), `28 non-HTTP bytes each way after the 101 (${t?.c2s}/${t?.s2c})`);
    c.note(`101 frame ${r?.firstFrame}; tunnel bytes c→s frames ${t?.c2sFrames}, s→c frames ${t?.s2cFrames}`);
    return c.result();
  },

  '17-early-hints'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [hint, final] = s.responses;
    c.expect(hint?.status === 103 && /preload/.test(hint.header('link')[0] ?? ''), '103 Early Hints with a Link header first');
    c.expect(final?.status === 200 && final.complete && final.firstFrame > hint.lastFrame, 'then the 200 in a later segment');
    c.note(`103 frame ${hint?.firstFrame}; 200 frame ${final?.firstFrame} (+${ms(dt(final, hint))})`);
    return c.result();
  },

  '18-expect-100-continue'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [q] = s.requests;
    const [cont, final] = s.responses;
    c.expect(q?.header('expect')[0] === '100-continue' && q.afterHeadInFrame === 0, 'request header section with Expect: 100-continue, alone');
    c.expect(cont?.status === 100, '100 Continue');
    c.expect(q?.bodyFrames.length && q.bodyFrames[0] > cont.firstFrame && q.complete, 'body sent after the 100');
    c.expect(final?.status === 200 && final.firstFrame > q.bodyFrames.at(-1), '200 after the body');
    c.note(`request headers frame ${q?.firstFrame}; 100 frame ${cont?.firstFrame}; body frame ${q?.bodyFrames}; 200 frame ${final?.firstFrame}`);
    return c.result();
  },

  '19-keepalive-reuse-race'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [r1] = s.responses;
    const fin = s.closes.find((x) => x.by === 'server' && x.kind === 'FIN');
    const q2 = s.requests[1];
    const rst = s.closes.find((x) => x.by === 'server' && x.kind === 'RST');
    c.expect(r1?.header('keep-alive')[0] === 'timeout=1', 'response 1 advertises Keep-Alive: timeout=1');
    c.expect(fin && fin === s.firstClose, 'the server closes the idle connection first (FIN)');
    const idle = dt(fin, r1);
    c.expect(idle > 1.8 && idle < 2.5, `server FIN ~keepAliveTimeout + 1 s after the response (${ms(idle)})`);
    c.expect(q2 && fin && q2.firstFrame > fin.no, 'request 2 written after the server FIN');
    c.expect(rst && q2 && rst.no > q2.firstFrame && s.responses.length === 1, 'the server answers request 2 with RST, no response');
    c.note(`GET /1 frame ${s.requests[0]?.firstFrame}; 200 frame ${r1?.firstFrame}; server FIN frame ${fin?.no} (+${ms(idle)}); GET /2 frame ${q2?.firstFrame} (+${ms(dt(q2, fin))} after FIN); RST frame ${rst?.no}`);
    return c.result();
  },

  '20-pipelining'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    c.expect(s.requests.length === 3 && new Set(s.requests.map((r) => r.firstFrame)).size === 1, 'three requests in one segment');
    c.expect(s.responses.map((r) => `${r.status}`).join() === '200,200,200', 'three 200s in order');
    c.expect(s.responses[0]?.firstFrame > s.requests[2]?.firstFrame - 1, 'request 2 and 3 started before response 1');
    c.note(`requests frame ${s.requests[0]?.firstFrame}; responses frames ${s.responses.map((r) => r.firstFrame)}`);
    return c.result();
  },

  '21-req-destroy'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    noResponseBytes(c, s, 'server');
    return c.result();
  },

  '22-duplicate-host'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [q] = s.requests;
    const hosts = q?.header('host') ?? [];
    c.expect(hosts.length === 2, `two Host headers (${hosts.join(' | ')})`);
    c.expect(s.responses[0]?.status === 200, 'answered 200');
    c.note(`request frame ${q?.firstFrame} Host: ${hosts.join(' / ')}; 200 frame ${s.responses[0]?.firstFrame}`);
    return c.result();
  },

  '23-graceful-close'(file) {
    const c = new Checker(file);
    c.expect(c.streams.length === 2, `2 TCP streams (found ${c.streams.length})`);
    const [a, b] = c.streams;
    if (a && b) {
      const aRes = a.responses[0];
      const bReq = b.requests[0];
      const bRes = b.responses[0];
      c.expect(a.requests.length === 1 && aRes?.status === 200, 'A: one exchange');
      c.expect(a.firstClose?.by === 'server' && a.firstClose.kind === 'FIN', 'A: the server closes the idle connection (FIN)');
      c.expect(bReq && a.firstClose && bReq.firstFrame < a.firstClose.no && bRes?.firstFrame > a.firstClose.no, 'B: request before, response after A is closed');
      c.expect(bRes?.status === 200 && bRes.complete, 'B: the in-flight response completes (200)');
      c.note(`A: 200 frame ${aRes?.firstFrame}, server FIN frame ${a.firstClose?.no} (+${ms(dt(a.firstClose, aRes))} idle); B: GET /slow frame ${bReq?.firstFrame}, 200 frame ${bRes?.firstFrame}, ${b.firstClose?.by} FIN frame ${b.firstClose?.no}`);
    }
    return c.result();
  },

  '24-connection-close'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [q] = s.requests;
    const [r] = s.responses;
    c.expect(q?.header('connection')[0] === 'close' && r?.header('connection')[0] === 'close', 'Connection: close both ways');
    c.expect(r && s.firstClose?.by === 'server' && s.firstClose.no > r.lastFrame, 'server FIN after the response');
    c.note(`request frame ${q?.firstFrame}; 200 frame ${r?.firstFrame}; server FIN frame ${s.firstClose?.no}`);
    return c.result();
  },

  '25-client-destroy'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const delay = noResponseBytes(c, s, 'client');
    c.expect(delay > 0.09 && delay < 0.3, `client closes ~0.1 s after the request (${ms(delay)})`);
    return c.result();
  },

  '26-post-json'(file, spec) {
    const c = new Checker(file);
    if (spec?.nano) c.expect(c.cap.info.precision === 'ns', `nanosecond timestamps (${c.cap.info.fileType})`);
    const s = oneStream(c);
    const [q] = s.requests;
    const [r] = s.responses;
    c.expect(q?.method === 'POST' && q.complete && q.declared === q.bodyBytes, 'POST with a complete JSON body');
    c.expect(r?.status === 201 && r.complete && /json/.test(r.header('content-type')[0] ?? ''), '201 with a JSON body');
    if (q) packedResponse(c, q, 'request');
    if (r) packedResponse(c, r, 'response');
    c.note(`frame ${q?.firstFrame}: POST headers+${q?.bodyBytes}-byte body; frame ${r?.firstFrame}: 201 headers+${r?.bodyBytes}-byte body`);
    return c.result();
  },

  '27-connect-tunnel'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [q] = s.requests;
    const [r] = s.responses;
    c.expect(q?.method === 'CONNECT' && q.uri === '127.0.0.1:5227', 'CONNECT 127.0.0.1:5227');
    c.expect(r?.status === 200 && r.tunnel, '200 Connection Established');
    const t = tunnelBytes(s);
    c.expect(t && t.c2s === 25 && t.s2c === 25, `25 tunnel bytes each way (${t?.c2s}/${t?.s2c})`);
    c.note(`CONNECT frame ${q?.firstFrame}; 200 frame ${r?.firstFrame}; tunnel c→s frames ${t?.c2sFrames}, s→c frames ${t?.s2cFrames}`);
    return c.result();
  },

  // ---- rule scenarios (catalog.mjs RULE_SCENARIOS)

  '28-missing-host'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [q] = s.requests;
    c.expect(q?.complete && /HTTP\/1\.1$/.test(q.startLine) && q.header('host').length === 0, `an HTTP/1.1 request without Host (${q?.startLine})`);
    // Not the parser's bare 400 (nodeErrorResponse): Node's missing-Host check answers through a
    // ServerResponse, so this 400 has an empty chunked body and Connection: close.
    const r = s.responses[0];
    c.expect(r?.status === 400 && r.header('connection')[0] === 'close' && r.framing === 'chunked' && r.bodyBytes === 0 && r.complete, '400 Connection: close with an empty chunked body');
    c.expect(s.firstClose?.by === 'server' && s.firstClose.kind === 'FIN', `server FIN first (found ${s.firstClose?.by} ${s.firstClose?.kind})`);
    c.note(`frame ${q?.firstFrame}: ${q?.startLine} with ${q?.headers.length} header fields, none Host; 400 frame ${r?.firstFrame}; server FIN frame ${s.firstClose?.no}`);
    return c.result();
  },

  '29-too-many-headers'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [q] = s.requests;
    const [r] = s.responses;
    c.expect(q?.complete && q.headers.length === 1102, `a request with 1102 header fields (${q?.headers.length})`);
    const body = r ? s.s2c.data.toString('latin1').split('\r\n\r\n')[1] : '';
    c.expect(r?.status === 200 && body.startsWith('headers=1000 '), `200 whose body says the handler saw 1000 (${JSON.stringify(body)})`);
    c.note(`frame${q?.headFrames.length === 1 ? '' : 's'} ${q?.headFrames}: GET with ${q?.headers.length} header fields (${q?.headBytes} B); 200 frame ${r?.firstFrame}: ${JSON.stringify(body)}`);
    return c.result();
  },

  '30-head-with-body'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [q] = s.requests;
    const [r] = s.responses;
    c.expect(q?.method === 'HEAD', `a HEAD request (${q?.method})`);
    c.expect(r?.status === 200 && r.header('content-length')[0] === '5', '200 with Content-Length: 5');
    c.expect(r?.excess?.bytes === 5 && r.excess.text === 'hello', `5 bytes "hello" after its header section (${JSON.stringify(r?.excess?.text)})`);
    c.note(`HEAD frame ${q?.firstFrame}; 200 frame ${r?.firstFrame} with ${r?.excess?.bytes} body bytes in frame ${r?.excess?.frames}; ${s.firstClose?.by} ${s.firstClose?.kind} frame ${s.firstClose?.no}`);
    return c.result();
  },

  '31-invalid-chunk'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [r] = s.responses;
    c.expect(r?.status === 200 && r.framing === 'chunked' && r.invalidChunk && r.chunks.length === 1, `a chunked 200 whose second chunk-size line is not hex (chunks ${r?.chunks})`);
    c.expect(r && !r.complete, 'the response never completes');
    c.note(`GET frame ${s.requests[0]?.firstFrame}; 200 frame ${r?.firstFrame}: chunk 5 "hello", then "zz"; ${s.firstClose?.by} ${s.firstClose?.kind} frame ${s.firstClose?.no}`);
    return c.result();
  },

  '32-keepalive-timeout-mismatch'(file) {
    const c = new Checker(file);
    c.expect(c.streams.length === 2, `2 TCP streams (found ${c.streams.length})`);
    const [a, b] = c.streams;
    if (a && b) {
      const r = a.responses[0];
      c.expect(r?.header('keep-alive')[0] === 'timeout=5', `A: 200 says Keep-Alive: timeout=5 (${r?.header('keep-alive')})`);
      const idle = dt(a.firstClose, r);
      c.expect(a.firstClose?.by === 'server' && idle > 1.2 && idle < 2, `A: server closes the idle connection after ~1.5 s (keepAliveTimeout 500 + 1 s) (${ms(idle)})`);
      c.expect(b.syn && a.firstClose && b.syn.t > a.firstClose.t && b.responses[0]?.status === 200, 'B: a later connection to the same server is served');
      c.note(`A: GET frame ${a.requests[0]?.firstFrame}, 200 timeout=5 frame ${r?.firstFrame}, server FIN frame ${a.firstClose?.no} after ${ms(idle)} idle; B: SYN frame ${b.syn?.no}, GET frame ${b.requests[0]?.firstFrame}, 200 frame ${b.responses[0]?.firstFrame}`);
    }
    return c.result();
  },

  '33-connection-refused'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    c.expect(s.syn && !s.synAck, 'a SYN and no SYN-ACK');
    const rst = s.frames.find((f) => f.flags.rst);
    c.expect(rst?.dir === 's2c' && s.frames.every((f) => f.len === 0), 'answered by a RST from the port, no data');
    c.note(`SYN frame ${s.syn?.no}; RST frame ${rst?.no}`);
    return c.result();
  },

  '34-conflicting-framing'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [q] = s.requests;
    c.expect(q?.header('content-length')[0] === '5' && q.header('transfer-encoding')[0] === 'chunked', 'a request with Content-Length and Transfer-Encoding: chunked');
    const r = nodeErrorResponse(c, s, 400);
    c.note(`POST frame ${q?.firstFrame}; 400 frame ${r?.firstFrame}; server FIN frame ${s.firstClose?.no}`);
    return c.result();
  },

  '35-request-after-connection-close'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [q1, q2] = s.requests;
    const [r1, r2] = s.responses;
    c.expect(r1?.status === 200 && r1.header('connection')[0] === 'close', 'response 1: 200 Connection: close');
    c.expect(q2 && r1 && q2.firstFrame > r1.lastFrame && !s.closes.some((x) => x.no < q2.firstFrame), 'request 2 after response 1, on the still open connection');
    c.expect(r2?.status === 503, `request 2 answered 503 (${r2?.status})`);
    c.note(`GET /1 frame ${q1?.firstFrame}; 200 Connection: close frame ${r1?.firstFrame}; GET /2 frame ${q2?.firstFrame}; 503 frame ${r2?.firstFrame}; ${s.firstClose?.by} ${s.firstClose?.kind} frame ${s.firstClose?.no}`);
    return c.result();
  },

  '36-connection-reset'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [r] = s.responses;
    c.expect(r?.status === 200 && r.complete, 'a complete 200');
    c.expect(s.firstClose?.by === 'server' && s.firstClose.kind === 'RST' && s.firstClose.no > r?.lastFrame, `then a server RST (found ${s.firstClose?.by} ${s.firstClose?.kind})`);
    c.note(`GET frame ${s.requests[0]?.firstFrame}; 200 frame ${r?.firstFrame}; server RST frame ${s.firstClose?.no}, ${ms(dt(s.firstClose, r))} later`);
    return c.result();
  },

  '37-response-cut-short'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [r] = s.responses;
    c.expect(r?.framing === 'chunked' && r.chunks.length === 1 && !r.lastChunk && !r.complete, 'a chunked 200 with one chunk and no last chunk');
    c.expect(s.firstClose?.by === 'server' && s.firstClose.kind === 'FIN', 'server FIN first');
    c.note(`GET frame ${s.requests[0]?.firstFrame}; 200 frame ${r?.firstFrame} (one 6-byte chunk); server FIN frame ${s.firstClose?.no}, ${ms(dt(s.firstClose, r))} later`);
    return c.result();
  },

  '38-unmatched-response'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    c.expect(s.requests.length === 1, `one request (${s.requests.length})`);
    c.expect(s.responses.length === 2 && s.responses.every((r) => r.status === 200 && r.complete), 'two complete 200s');
    c.note(`GET frame ${s.requests[0]?.firstFrame}; 200s in frame${new Set(s.responses.map((r) => r.firstFrame)).size === 1 ? '' : 's'} ${[...new Set(s.responses.map((r) => r.firstFrame))]}; ${s.firstClose?.by} ${s.firstClose?.kind} frame ${s.firstClose?.no}`);
    return c.result();
  },

  '39-snaplen-96'(file, spec) {
    const c = new Checker(file);
    const s = oneStream(c);
    const rows = tshark(['-r', file, '-n', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'tcp.len'])
      .trim().split('\n').map((l) => l.split('\t').map(Number));
    const cut = rows.filter(([, len, capLen]) => capLen < len);
    c.expect(rows.every(([, , capLen]) => capLen <= spec.snaplen), `no frame longer than the snap length ${spec.snaplen}`);
    c.expect(cut.length > 0 && cut.every(([, , , tcpLen]) => tcpLen > 0), `data frames cut by the snap length (${cut.map(([no]) => no)})`);
    c.expect(s.firstClose?.by === 'client', 'client closes (agent.destroy()), as in 06');
    c.note(`cut frames: ${cut.map(([no, len, capLen, tcpLen]) => `${no} (${capLen} of ${len} B kept, TCP payload ${tcpLen} B)`).join(', ')}`);
    return c.result();
  },

  '40-handshake-incomplete'(file) {
    const c = new Checker(file);
    c.expect(c.streams.length === 3, `3 TCP streams (found ${c.streams.length})`);
    const [a, b, x] = c.streams;
    if (a && b && x) {
      c.expect([a, b].every((s) => s.synAck && s.frames.every((f) => f.len === 0) && s.firstClose?.by === 'server' && s.firstClose.kind === 'FIN'), '1, 2: handshake completed (queued), no data, closed by the server once it accepted');
      const syns = x.frames.filter((f) => f.flags.syn);
      c.expect(!x.synAck && syns.length >= 2 && x.frames.length === syns.length, `3: only SYNs, no SYN-ACK (${syns.length} SYNs)`);
      c.note(`1: SYN frame ${a.syn?.no}, server FIN frame ${a.firstClose?.no}; 2: SYN frame ${b.syn?.no}, server FIN frame ${b.firstClose?.no}; 3: SYN frames ${syns.map((f) => f.no)} (${ms(dt(syns.at(-1), syns[0]))} apart), never answered`);
    }
    return c.result();
  },

  '41-capture-ends-waiting'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [q] = s.requests;
    c.expect(q?.complete && s.s2c.data.length === 0, 'a complete request and no response byte in the file');
    c.expect(s.closes.length === 0, 'no FIN or RST: the capture ends first');
    const last = c.cap.frames.at(-1);
    c.note(`GET frame ${q?.firstFrame}; the last frame is ${last?.no} (${ms(dt(last, q))} after the request); no response byte, no FIN or RST`);
    return c.result();
  },

  '43-capture-ends-streaming'(file) {
    const c = new Checker(file);
    c.expect(c.streams.length === 3, `three TCP streams (found ${c.streams.length})`);
    c.expect(c.streams.every((s) => s.closes.length === 0), 'no FIN or RST: the capture ends first');
    const last = c.cap.frames.at(-1);
    const byPath = (path) => c.streams.find((s) => s.requests[0]?.uri === path);
    const events = byPath('/events');
    const download = byPath('/download');
    const upload = byPath('/upload');
    const sse = events?.responses[0];
    if (c.expect(sse, 'GET /events with a response')) {
      c.expect(sse.header('content-type')[0] === 'text/event-stream' && sse.framing === 'chunked' && !sse.complete && sse.chunks.length > 0, 'an unfinished chunked text/event-stream response with events in it');
      c.note(`GET /events frame ${events.requests[0].firstFrame}: text/event-stream, ${sse.chunks.length} chunks (${sse.bodyBytes} B), no last chunk; its last frame ${sse.lastFrame} is ${ms(dt(last, { t: sse.tEnd }))} before the file's last frame ${last.no}`);
    }
    const got = download?.responses[0];
    if (c.expect(got, 'GET /download with a response')) {
      c.expect(got.declared === 1_000_000 && !got.complete && got.bodyBytes > 0, `a Content-Length: 1000000 body under way (${got.bodyBytes} B)`);
      c.note(`GET /download frame ${download.requests[0].firstFrame}: 200, ${got.bodyBytes} of ${got.declared} body bytes; its last frame ${got.lastFrame} is ${ms(dt(last, { t: got.tEnd }))} before the end`);
    }
    const put = upload?.requests[0];
    if (c.expect(put, 'POST /upload')) {
      const lastByte = upload.c2s.segs.at(-1);
      c.expect(put.method === 'POST' && put.declared === 1_000_000 && !put.complete && put.bodyBytes > 0 && upload.s2c.data.length === 0, `a Content-Length: 1000000 upload under way (${put.bodyBytes} B), no response byte`);
      c.note(`POST /upload frame ${put.firstFrame}: ${put.bodyBytes} of ${put.declared} body bytes; its last frame ${lastByte?.no} is ${ms(dt(last, lastByte))} before the end`);
    }
    return c.result();
  },

  '44-capture-starts-mid-download'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    c.expect(!s.syn && !s.synAck, 'no SYN or SYN-ACK: the connection is picked up mid-stream');
    const firstData = s.frames.find((f) => f.len > 0);
    c.expect(firstData?.dir === 's2c', `the first payload is the server's (frame ${firstData?.no})`);
    const start = s.s2c.data.indexOf('HTTP/1.1 ', 0, 'latin1');
    c.expect(start > 64 * 1024, `more than 64 KiB of body before the first status line (${start} B)`);
    c.expect(s.requests.map((r) => r.uri).join(' ') === '/file/2 /file/3', `the client's requests: ${s.requests.map((r) => r.uri).join(', ')}`);
    const firstRequest = s.requests[0];
    c.expect(firstRequest !== undefined && s.s2c.segs.filter((g) => g.no < firstRequest.firstFrame).reduce((n, g) => n + g.end - g.start, 0) === start, 'every server byte before the first request belongs to /file/1');
    const statuses = s.s2c.data.toString('latin1', start).match(/HTTP\/1\.1 \d{3}/g) ?? [];
    c.expect(statuses.length === 2, `two responses after it (${statuses.length})`);
    c.note(`first frame ${s.frames[0].no} (no handshake); ${start} B of /file/1's body (frames ${firstData?.no}–…) before GET /file/2 in frame ${firstRequest?.firstFrame}; GET /file/3 frame ${s.requests[1]?.firstFrame}; ${s.closes.map((x) => `${x.by} ${x.kind} frame ${x.no}`).join(', ')}`);
    return c.result();
  },

  '45-localhost-fallback'(file) {
    const c = new Checker(file);
    c.expect(c.streams.length === 2, `two TCP streams (found ${c.streams.length})`);
    const [refused, served] = c.streams;
    c.expect(refused?.syn && refused.frames.length === 2 && refused.frames[1].flags.rst && refused.syn.dst === '::1', 'a SYN to [::1] answered by RST');
    c.expect(served?.syn && served.syn.dst === '127.0.0.1' && served.serverPort === refused?.serverPort && served.requests.length === 2, 'then a connection to 127.0.0.1 on the same port carrying both GETs');
    const after = dt(served?.syn, refused?.frames[1]);
    c.expect(after >= 0 && after < 0.3, `the fallback SYN follows the RST within 0.3 s (${ms(after)})`);
    c.note(`SYN frame ${refused?.syn?.no} to [::1]:${refused?.serverPort}, RST frame ${refused?.frames[1]?.no}; SYN frame ${served?.syn?.no} to 127.0.0.1 ${ms(after)} later; GETs frames ${served?.requests.map((q) => q.firstFrame).join(', ')}`);
    return c.result();
  },

  '46-fetch-keepalive-hint'(file) {
    const c = new Checker(file);
    c.expect(c.streams.length === 3, `three TCP streams (found ${c.streams.length})`);
    for (const s of c.streams) {
      const r = s.responses[0];
      c.expect(s.requests.length === 1 && r?.header('keep-alive')[0] === 'timeout=2', `stream ${s.id}: one GET, answered with Keep-Alive: timeout=2`);
      c.expect(s.firstClose?.by === 'client' && dt(s.firstClose, { t: r?.tEnd }) < 0.1, `stream ${s.id}: the client closes first, right after the response (${ms(dt(s.firstClose, { t: r?.tEnd }))})`);
    }
    c.note(c.streams.map((s) => `stream ${s.id}: GET frame ${s.requests[0]?.firstFrame}, 200 frame ${s.responses[0]?.firstFrame}, client FIN frame ${s.firstClose?.no} ${ms(dt(s.firstClose, { t: s.responses[0]?.tEnd }))} later`).join('; '));
    return c.result();
  },

  '47-upload-refused-early'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const q = s.requests[0];
    const r = finalResponses(s)[0];
    c.expect(q?.method === 'POST' && q.declared === 3000000 && !q.complete && q.bodyBytes < 3000000, `one POST declaring 3000000 B, ${q?.bodyBytes} B of it in the file`);
    c.expect(r?.status === 413 && r.header('connection')[0] === 'close', 'answered 413 with Connection: close');
    const lastBody = q?.bodyFrames.at(-1);
    c.expect(r !== undefined && lastBody !== undefined && r.firstFrame < lastBody, `the 413 (frame ${r?.firstFrame}) comes before the last body frame (${lastBody})`);
    const fin = s.closes.find((x) => x.by === 'server' && x.kind === 'FIN');
    const rst = s.closes.find((x) => x.by === 'server' && x.kind === 'RST');
    c.expect(fin !== undefined && rst !== undefined && rst.no > fin.no, `the server's FIN (frame ${fin?.no}), then its RST (frame ${rst?.no})`);
    c.expect(!s.closes.some((x) => x.by === 'client'), 'the client never closes');
    c.note(`POST frame ${q?.firstFrame}, ${q?.bodyBytes} of 3000000 body bytes in frames ${q?.bodyFrames.join(', ')}; 413 frame ${r?.firstFrame}; server FIN frame ${fin?.no}, RST frame ${rst?.no}`);
    return c.result();
  },

  '48-curl-per-request'(file) {
    const c = new Checker(file);
    c.expect(c.streams.length === 6, `six TCP streams (found ${c.streams.length})`);
    const agents = c.streams.map((s) => s.requests[0]?.header('user-agent')[0] ?? null);
    c.expect(agents.slice(0, 4).every((a) => a?.startsWith('curl/')), `streams 0–3 from curl (${agents.slice(0, 4).join(', ')})`);
    c.expect(agents.slice(4).every((a) => a === null), 'streams 4–5 from Node (no User-Agent)');
    c.expect(c.streams.every((s) => s.requests.length === 1 && finalResponses(s).length === 1), 'one exchange on each');
    c.expect(c.streams[2]?.responses[0]?.status === 404, 'the third is a 404');
    c.expect(c.streams[3]?.requests[0]?.startLine.endsWith('HTTP/1.0') && c.streams[3].firstClose?.by === 'server', 'the fourth is HTTP/1.0, closed by the server');
    c.expect(c.streams.slice(0, 3).every((s) => s.firstClose?.by === 'client'), 'curl closes the HTTP/1.1 connections itself');
    c.expect(c.streams.slice(4).every((s) => s.requests[0]?.header('connection')[0] === 'close' && s.firstClose?.by === 'server'), 'the Node GETs say Connection: close and the server closes');
    c.note(c.streams.map((s) => `stream ${s.id}: ${s.requests[0]?.startLine} (${s.requests[0]?.header('user-agent')[0] ?? 'no User-Agent'}) → ${s.responses[0]?.status}, ${s.firstClose?.by} ${s.firstClose?.kind} frame ${s.firstClose?.no}`).join('; '));
    return c.result();
  },

  '49-client-abandons'(file) {
    const c = new Checker(file);
    c.expect(c.streams.length === 4, `four TCP streams (found ${c.streams.length}: the download, the stream, one undici opens and leaves unused, the events)`);
    const byPath = (path) => c.streams.find((s) => s.requests[0]?.uri === path);
    const download = byPath('/download');
    const stream = byPath('/stream');
    const events = byPath('/events');
    const r = download?.responses[0];
    c.expect(r?.status === 200 && r.declared === 2000000 && !r.complete, `/download: 200 declaring 2000000 B, ${r?.bodyBytes} B of it in the file`);
    const fin = download?.closes.find((x) => x.by === 'client' && x.kind === 'FIN');
    const rst = download?.closes.find((x) => x.by === 'client' && x.kind === 'RST');
    c.expect(fin !== undefined && rst !== undefined && rst.no > fin.no, `/download: the client's FIN (frame ${fin?.no}), then its RST (frame ${rst?.no}) as more of the body arrives`);
    const bodyAfterFin = download?.frames.filter((f) => f.dir === 's2c' && f.len > 0 && f.no > (fin?.no ?? Infinity)).length ?? 0;
    c.expect(bodyAfterFin > 0, `/download: the server was still sending after the client's FIN (${bodyAfterFin} segments)`);
    const s2 = stream?.responses[0];
    c.expect(s2?.framing === 'chunked' && !s2.complete && stream?.firstClose?.by === 'client' && stream.firstClose.kind === 'FIN', `/stream: a chunked 200 without its last chunk, the client's FIN (frame ${stream?.firstClose?.no})`);
    const e = events?.responses[0];
    c.expect(e?.header('content-type')[0] === 'text/event-stream' && !e.complete && events?.firstClose?.by === 'client', `/events: an event stream the client closes (frame ${events?.firstClose?.no})`);
    c.expect(c.streams.every((s) => s.firstClose?.by === 'client'), 'the client closes first on every connection');
    c.note(`/download: 200 frame ${r?.firstFrame}, ${r?.bodyBytes} B, client FIN frame ${fin?.no}, RST frame ${rst?.no}; /stream: ${s2?.bodyBytes} B, client FIN frame ${stream?.firstClose?.no}; /events: client ${events?.firstClose?.kind} frame ${events?.firstClose?.no}`);
    return c.result();
  },

  '50-upstream-dies-mid-keepalive'(file) {
    const c = new Checker(file);
    c.expect(c.streams.length === 2, `two TCP streams (found ${c.streams.length})`);
    const [first, second] = c.streams;
    c.expect(first?.requests.map((q) => q.uri).join(' ') === '/a /b /crash', `connection 1 carries /a, /b, /crash (${first?.requests.map((q) => q.uri).join(' ')})`);
    c.expect(finalResponses(first ?? { responses: [] }).length === 2 && first?.responses.every((r) => r.header('keep-alive')[0] === 'timeout=5'), 'two 200s, each with Keep-Alive: timeout=5; /crash unanswered');
    const crash = first?.requests[2];
    c.expect(first?.firstClose?.by === 'server' && crash !== undefined && first.firstClose.no > crash.firstFrame, `the server's FIN (frame ${first?.firstClose?.no}) comes after GET /crash (frame ${crash?.firstFrame})`);
    c.expect(second?.requests.map((q) => q.uri).join(' ') === '/c /slow' && finalResponses(second).length === 1, 'connection 2 carries /c (answered) and /slow (not)');
    c.expect(second?.firstClose?.by === 'client' && dt(second.firstClose, { t: frameT(c.cap, second.requests[1]?.firstFrame) }) >= 0.19, `the client closes ~200 ms after GET /slow (${ms(dt(second?.firstClose, { t: frameT(c.cap, second?.requests[1]?.firstFrame) }))})`);
    c.note(`GET /crash frame ${crash?.firstFrame}, server FIN frame ${first?.firstClose?.no}; GET /slow frame ${second?.requests[1]?.firstFrame}, client FIN frame ${second?.firstClose?.no}`);
    return c.result();
  },

  '52-slow-reader'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const [big, small] = s.responses;
    c.expect(s.requests.map((q) => q.uri).join(' ') === '/big /small', `GET /big then GET /small on one connection (${s.requests.map((q) => q.uri).join(' ')})`);
    c.expect(big?.status === 200 && big.complete && big.bodyBytes === 1048576 && small?.status === 200 && small.complete, `both answered 200 in full (/big ${big?.bodyBytes} B)`);
    const zeroWindows = s.frames.filter((f) => f.dir === 'c2s' && f.window === 0 && !f.flags.rst);
    c.expect(zeroWindows.length > 0, `the client advertised a zero window (${zeroWindows.length} segments, first frame ${zeroWindows[0]?.no})`);
    const zwProbes = s.frames.filter((f) => f.zeroWindowProbe);
    c.expect(zwProbes.length > 0 && zwProbes.every((f) => f.dir === 's2c'), `tshark's keep-alive probes from the server into the closed window: zero-window probes (frames ${zwProbes.map((f) => f.no).join(', ')})`);
    const keepAlives = s.frames.filter((f) => f.keepAlive && !f.zeroWindowProbe);
    const smallRequest = s.requests[1]?.headFrames[0] ?? Infinity;
    c.expect(keepAlives.some((f) => f.dir === 'c2s' && f.no < smallRequest), `a TCP keep-alive probe from the client in the idle gap before GET /small (frames ${keepAlives.map((f) => f.no).join(', ')})`);
    c.note(`zero window from frame ${zeroWindows[0]?.no}; zero-window probes ${zwProbes.map((f) => f.no).join(', ')}; keep-alive probes ${keepAlives.map((f) => `${f.no} (${f.dir})`).join(', ')}`);
    return c.result();
  },

  '53-server-restart'(file) {
    const c = new Checker(file);
    const refused = c.streams.filter((s) => s.syn && s.frames.length === 2 && s.frames[1].flags.rst && s.frames[1].dir === 's2c');
    const served = c.streams.filter((s) => s.responses.some((r) => r.status === 200));
    c.expect(c.streams.length === refused.length + 2 && refused.length >= 2, `GET /1 served, ${refused.length} connections refused (SYN answered by RST), GET /2 served (${c.streams.length} streams)`);
    c.expect(served.map((s) => s.requests[0]?.uri).join(' ') === '/1 /2', `the served requests: ${served.map((s) => s.requests[0]?.uri).join(' ')}`);
    const [one, two] = served;
    c.expect(one?.firstClose?.by === 'server' && one.firstClose.kind === 'FIN', `the first connection closed by the server (FIN frame ${one?.firstClose?.no}): server.close() + closeIdleConnections()`);
    c.expect(refused.every((s) => s.syn.no > (one?.firstClose?.no ?? Infinity) && s.syn.no < (two?.syn?.no ?? 0)), `every refusal between that close and GET /2's SYN (frame ${two?.syn?.no})`);
    c.note(`refused SYNs in frames ${refused.map((s) => s.syn.no).join(', ')}; GET /2's SYN frame ${two?.syn?.no}`);
    return c.result();
  },

  '54-upload-aborted'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    const q = s.requests[0];
    const r = s.responses[0];
    c.expect(q?.method === 'POST' && q.declared === 100000 && q.bodyBytes === 30000 && !q.complete, `POST declaring Content-Length: 100000 with ${q?.bodyBytes} B of body`);
    const fin = s.closes.find((x) => x.by === 'client' && x.kind === 'FIN');
    c.expect(fin !== undefined && s.firstClose === fin, `the client closes first, with FIN (frame ${fin?.no})`);
    const head = r?.headFrames?.[0];
    c.expect(r?.status === 400 && head !== undefined && head > (fin?.no ?? Infinity), `then the server's 400 (frame ${head})`);
    const rst = s.closes.find((x) => x.by === 'client' && x.kind === 'RST');
    c.expect(rst !== undefined && rst.no > (head ?? Infinity), `answered by the client's RST (frame ${rst?.no})`);
    c.note(`client FIN frame ${fin?.no}, 400 frame ${head}, client RST frame ${rst?.no}`);
    return c.result();
  },

  '55-pipelined-burst'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    c.expect(s.requests.length === 20 && s.responses.length === 20 && s.responses.every((r) => r.status === 200), `20 GETs, 20 responses 200 (${s.requests.length}/${s.responses.length})`);
    c.expect(s.requests.every((q, i) => q.uri === `/${i + 1}`), 'requests /1 … /20 in order');
    // A request is pipelined when its head began before the previous response's last byte arrived.
    const pipelined = s.requests.filter((q, i) => i > 0 && q.headFrames[0] < (s.responses[i - 1].bodyFrames.at(-1) ?? s.responses[i - 1].headFrames.at(-1)));
    const bursts = [...new Set(s.requests.map((q) => q.headFrames[0]))];
    c.expect(bursts.length === 2 && pipelined.length >= 10, `two bursts of requests (frames ${bursts.join(', ')}), ${pipelined.length} of them sent before the previous response had completed`);
    c.note(`pipelined: ${pipelined.map((q) => q.uri).join(' ')}`);
    return c.result();
  },

  '51-tls-close-notify'(file) {
    const c = new Checker(file);
    const s = oneStream(c);
    c.expect(s.c2s.data[0] === 0x16 && s.c2s.data[1] === 0x03 && s.s2c.data[0] === 0x16, 'TLS handshake records both ways (content type 22)');
    c.expect(s.requests.every((q) => q.method === undefined), 'no HTTP/1 request line in the clear');
    const fin = s.closes.find((x) => x.by === 'client' && x.kind === 'FIN');
    const rst = s.closes.find((x) => x.by === 'client' && x.kind === 'RST');
    const after = s.frames.filter((f) => f.dir === 's2c' && f.len > 0 && fin !== undefined && f.no > fin.no);
    c.expect(s.firstClose?.by === 'client' && s.firstClose.kind === 'FIN', `the client closes first with FIN (frame ${s.firstClose?.no})`);
    c.expect(after.length >= 1 && after.every((f) => f.payload[0] === 0x15 || f.payload[0] === 0x17) && after.every((f) => f.len < 100), `then the server sends a short TLS record (the close_notify alert, encrypted: ${after.map((f) => `frame ${f.no}, ${f.len} B`).join('; ')})`);
    c.expect(rst !== undefined && after.length > 0 && rst.no > after[0].no, `and the client's RST follows it (frame ${rst?.no})`);
    c.note(`client FIN frame ${fin?.no}; server record after it: ${after.map((f) => `frame ${f.no} (${f.len} B, type ${f.payload[0]})`).join(', ')}; client RST frame ${rst?.no}`);
    return c.result();
  },

  '42-capture-loss'(file, spec) {
    const c = new Checker(file);
    const s = oneStream(c);
    const targets = s.requests.map((q) => q.uri);
    c.expect(targets.join(' ') === '/item/1 /item/2 /item/3 /item/5 /item/6', `requests 1, 2, 3, 5, 6 in the file, 4 lost (${targets.join(' ')})`);
    c.expect(s.responses.length === 4 && s.responses.every((r) => r.status === 200 && r.complete), `four complete 200s in the file, two lost (${s.responses.length})`);
    // tshark's own TCP analysis sees the loss: ACKs of bytes it never saw, or a segment after a hole.
    const flagged = tshark(['-r', file, '-n', '-Y', 'tcp.analysis.ack_lost_segment || tcp.analysis.lost_segment', '-T', 'fields', '-e', 'frame.number'])
      .trim().split('\n').filter(Boolean).map(Number);
    c.expect(flagged.length >= 3, `tshark flags the loss in at least 3 frames (${flagged.join(', ')})`);
    c.expect(s.firstClose?.by === 'client', 'the client closes (agent.destroy())');
    c.note(`GETs in frames ${s.requests.map((q) => q.firstFrame).join(', ')}; 200s in frames ${s.responses.map((r) => r.firstFrame).join(', ')}; tshark's lost/ACKed-unseen flags: ${flagged.join(', ')}; client ${s.firstClose?.kind} frame ${s.firstClose?.no}`);
    return c.result();
  },

  tour(file, names) {
    const c = new Checker(file);
    c.expect(c.cap.info.packets > 0, 'not empty');
    const ports = new Set(c.streams.map((s) => s.serverPort));
    c.note(`${c.cap.info.packets} frames, ${c.streams.length} TCP streams, server ports ${[...ports].sort().join(' ')} (${names.length} scenarios)`);
    c.expect(ports.size === names.length, `one server port per merged scenario (${ports.size} vs ${names.length})`);
    return c.result();
  },
};

// ---------------------------------------------------------------------------
// Fact sheet for VERIFIED.md: everything an expected-results file may assert.

const flagText = (f) => ['syn', 'fin', 'rst', 'psh', 'ack'].filter((k) => f.flags[k]).map((k) => k.toUpperCase()).join(',');
const sec = (t) => (Number.isFinite(t) ? t.toFixed(3) : '?');

function messageLabel(m, i) {
  const what = m.kind === 'request'
    ? (m.method ? `${m.method} ${m.uri}` : `unparsable "${m.startLine.slice(0, 30)}"`)
    : (m.status ? `${m.status}` : `unparsable "${m.startLine.slice(0, 30)}"`);
  return `${m.kind === 'request' ? 'req' : 'resp'}${i + 1} ${what}`;
}

function framing(m) {
  if (m.incompleteHead) return `header section incomplete (${m.headBytes} B, no empty line)`;
  if (m.malformed) return 'start line unparsable';
  switch (m.framing) {
    case 'content-length': return `Content-Length ${m.declared}, body ${m.bodyBytes} B${m.excess ? ` + ${m.excess.bytes} excess B ${JSON.stringify(m.excess.text)} (frames ${m.excess.frames})` : ''}`;
    case 'chunked': return `chunked, ${m.chunks.length} chunk(s) [${m.chunks}] = ${m.bodyBytes} B${m.lastChunk ? ' + last chunk' : ', NO last chunk'} (${m.wireBodyBytes} B on the wire)`;
    case 'close': return `close-delimited, body ${m.bodyBytes} B`;
    default: return m.tunnel ? 'no body; protocol switch/tunnel follows' : 'no body';
  }
}

function packing(m) {
  if (!m.bodyFrames.length) {
    if (m.framing === 'none' || m.incompleteHead || m.malformed) return '—';
    return m.complete ? '— (empty body)' : 'headers only, no body bytes';
  }
  if (m.headFrames.length === 1 && m.bodyFrames[0] === m.headFrames[0]) return m.bodyFrames.length === 1 ? 'packed (1 segment)' : 'packed + more';
  return 'headers-only segment, body later';
}

export function describe(file, { title, port } = {}) {
  const cap = load(file);
  const out = [];
  const { info } = cap;
  const last = cap.frames.at(-1);
  out.push(`- file: ${info.fileType}, link type ${info.encapsulation}, ${info.precision === 'ns' ? 'nanosecond' : 'microsecond'} timestamps, ${info.packets} frames, ${sec(last?.t)} s`);
  out.push(`- TCP streams: ${cap.streams.length}${port ? ` (server port ${port})` : ''}`);
  const http = tsharkHttp(file, [...new Set(cap.streams.map((s) => s.serverPort))]);
  for (const s of cap.streams) {
    out.push('');
    out.push(`**stream ${s.id}** — client :${s.clientPort} → server :${s.serverPort}; handshake SYN ${s.syn?.no ?? '—'}, SYN-ACK ${s.synAck?.no ?? '—'}${s.syn && s.synAck ? ` (SYN→SYN-ACK ${((s.synAck.t - s.syn.t) * 1000).toFixed(3)} ms)` : ''}`);
    const msgs = [...s.requests.map((m, i) => [m, i]), ...s.responses.map((m, i) => [m, i])].sort((a, b) => a[0].firstFrame - b[0].firstFrame);
    out.push('');
    out.push('| message | first frame | t (s) | header frames | body frames | framing | packing | Connection / Keep-Alive |');
    out.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const [m, i] of msgs) {
      const conn = [m.header('connection')[0] && `Connection: ${m.header('connection')[0]}`, m.header('keep-alive')[0] && `Keep-Alive: ${m.header('keep-alive')[0]}`].filter(Boolean).join('; ') || '—';
      out.push(`| ${messageLabel(m, i)} | ${m.firstFrame} | ${sec(m.t)} | ${m.headFrames.join(',')} | ${m.bodyFrames.join(',') || '—'} | ${framing(m)}${m.complete ? '' : ' **incomplete**'} | ${packing(m)} | ${conn} |`);
    }
    const t = tunnelBytes(s);
    if (t) out.push(`\nAfter the protocol switch: client→server ${t.c2s} B (frames ${t.c2sFrames}) ${JSON.stringify(t.c2sText)}, server→client ${t.s2c} B (frames ${t.s2cFrames}) ${JSON.stringify(t.s2cText)} — not HTTP.`);
    // Exchanges: final responses pair with requests in order; interim ones are listed with them.
    const finals = s.responses.filter((r) => !r.interim);
    const ex = s.requests.map((q, i) => {
      const r = finals[i];
      const prev = finals[i - 1];
      const idle = prev && prev.tEnd !== undefined && q.t > prev.tEnd ? `; idle ${ms(q.t - prev.tEnd)} since response ${i}` : '';
      const interim = s.responses.filter((x) => x.interim && x.request === q).map((x) => `${x.status}@${x.firstFrame}`);
      return `${i + 1}. ${q.method ? `${q.method} ${q.uri}` : '(unparsable)'}${q.complete ? '' : ' (incomplete)'} (frame ${q.firstFrame})${interim.length ? ` → interim ${interim}` : ''} → ${r ? `${r.status} (frame ${r.firstFrame}, first byte +${ms(r.t - q.t)} after the request began)` : '**no response**'}${i ? `; exchange ${i + 1} on this connection${idle}` : ''}`;
    });
    if (ex.length) out.push(`\nExchanges:\n${ex.map((e) => `   ${e}`).join('\n')}`);
    const closes = s.closes.map((x) => `${x.by} ${x.kind} frame ${x.no} @${sec(x.t)}s`);
    if (s.firstClose) {
      const before = s.frames.filter((f) => f.no < s.firstClose.no && f.len > 0 && !f.keepAlive).at(-1);
      out.push(`\nTeardown: first close by **${s.firstClose.by}** (${s.firstClose.kind}, frame ${s.firstClose.no}), ${before ? `${ms(s.firstClose.t - before.t)} after the last data frame (${before.no})` : 'no data before it'}; all: ${closes.join('; ')}`);
    } else {
      out.push('\nTeardown: none (connection still open at the end of the capture)');
    }
    if (s.probes.length) out.push(`TCP keep-alive probes (zero-length, seq = next-1) in frame(s) ${s.probes.join(', ')}; answered by the ACK right after each.`);
    const frames = s.frames.map((f) => `${f.no}:${f.dir === 'c2s' ? 'c→s' : 's→c'} ${flagText(f)}${f.len ? ` len=${f.len}` : ''}${f.keepAlive ? ' (keep-alive)' : ''} @${sec(f.t)}`);
    out.push(`\nFrames: ${frames.join(' · ')}`);
  }
  out.push('');
  const tv = http.map((h) => {
    if (!h.method && !h.code) return `${h.no}: (HTTP layer, no message: tunnel data)`;
    if (!h.method) return `${h.no}: ${h.code}`;
    const uris = (h.uri ?? '').split(';');
    return `${h.no}: ${h.method.split(';').map((m, i) => `${m} ${uris[i] ?? ''}`.trim()).join(' + ')}`;
  }).join('; ');
  out.push(`tshark's HTTP view (\`-d tcp.port==${[...new Set(cap.streams.map((s) => s.serverPort))].join(',')},http -Y http\`): ${tv || 'nothing'}`);
  return { title, lines: out };
}
