/**
 * `wirelens export --format har`: HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), one
 * entry per exchange, written the moment the exchange completes.
 *
 * HarExporter turns the analysis's records into entry texts (`emit('entry', …)`) and, for findings
 * that could not ride on their entry, log-level finding texts (`emit('finding', …)`); HarDocument
 * frames them as the one JSON document HAR is — `{"log":{…,"entries":[` then each entry as it comes,
 * then `],"_findings":[…]}}` — so only those few findings wait for the end, never the entries.
 *
 * What HAR has no field for is in custom `_` fields (the spec's convention): `_file`,
 * `_connectionId` (the id of `wirelens conns`, tshark's tcp.stream + 1), `_exchange` (its index on
 * the connection), `_reused`, `_frames` (Wireshark frame numbers of each message's header section
 * and body), `_packing` (header/body packing verdicts), `_findings` (rule ids of the findings on the
 * exchange), `_interim` (1xx responses, in order), `_transferSize` (response bytes on the wire,
 * 1xx heads included) and `_error` (why an entry has no response).
 *
 * Timings are from the wire, in ms: `connect` = SYN → the client's handshake ACK (first exchange of
 * a connection whose handshake was captured; else -1), `blocked` = that ACK → the request's first
 * byte (same condition), `send` = request first → last byte, `wait` = TTFB (the model's
 * timing.ttfb), `receive` = first response byte → end of the response. `time` is their sum
 * (-1 excluded), as HAR requires; with a 100 Continue, `send` and `wait` overlap.
 */
import type { AnalysisSubscriber, StreamTap } from '../analysis/analysis.js';
import type { HeaderField } from '../http/types.js';
import type { Finding } from '../lint/types.js';
import type { CaptureSummary, ConnectionModel, ExchangeModel, MessageModel } from '../model/types.js';
import type { ConnectionRecord } from '../tcp/connection.js';
import { headerValue, headerValues } from '../http/headers.js';
import { formatEndpoint } from '../model/endpoint.js';
import { exchangeKey, wireBodyBytes, type Emit } from './export-common.js';
import { escapeJsonControls } from './terminal-safe.js';

export class HarExporter implements AnalysisSubscriber {
  /** The tcp stage's live records of open connections: their handshake, for `connect`. */
  private readonly open = new Map<number, ConnectionRecord>();
  /** Rule ids of findings whose exchange has not been written yet. */
  private readonly pending = new Map<string, Finding[]>();
  /** Per open connection, the last exchange index written. */
  private readonly written = new Map<number, number>();

  constructor(
    private readonly file: string,
    private readonly emit: Emit,
  ) {}

  /** Not a tap (no bytes are wanted): the way to keep the connection's tcp record while it is open. */
  stream(record: ConnectionRecord): StreamTap | undefined {
    this.open.set(record.id, record);
    return undefined;
  }

  finding(f: Finding): void {
    if (f.connection !== null && f.exchange !== null && (this.written.get(f.connection) ?? 0) < f.exchange) {
      const key = exchangeKey(f.connection, f.exchange);
      const list = this.pending.get(key);
      if (list === undefined) this.pending.set(key, [f]);
      else list.push(f);
      return;
    }
    this.logFinding(f);
  }

  exchange(x: ExchangeModel): void {
    const key = exchangeKey(x.connection, x.index);
    const findings = this.pending.get(key) ?? [];
    this.pending.delete(key);
    this.written.set(x.connection, x.index);
    const entry = harEntry(x, this.file, this.open.get(x.connection) ?? null, findings.map((f) => f.ruleId));
    this.emit('entry', escapeJsonControls(JSON.stringify(entry)));
  }

  connectionClosed(c: ConnectionModel): void {
    this.open.delete(c.id);
    this.written.delete(c.id);
    // Findings on exchanges that never became records (none expected): kept at log level rather than lost.
    for (const [key, findings] of this.pending) {
      if (!key.startsWith(`${c.id}:`)) continue;
      this.pending.delete(key);
      for (const f of findings) this.logFinding(f);
    }
  }

  captureEnded(_summary: CaptureSummary): void {
    for (const findings of this.pending.values()) for (const f of findings) this.logFinding(f);
    this.pending.clear();
  }

  private logFinding(f: Finding): void {
    const { ruleId, severity, message, connection, exchange, frames } = f;
    this.emit('finding', escapeJsonControls(JSON.stringify({ file: this.file, ruleId, severity, message, connection, exchange, frames })));
  }
}

/**
 * The HAR document around the entries: opened with the first entry (or at the end), entries
 * written one by one, log-level findings held (they are few) and written with the close.
 */
export class HarDocument {
  private opened = false;
  private entries = 0;
  private readonly findings: string[] = [];

  constructor(
    private readonly out: (text: string) => void,
    private readonly version: string,
  ) {}

  add(kind: string, text: string): void {
    if (kind === 'finding') {
      this.findings.push(text);
      return;
    }
    this.open();
    this.out(this.entries++ ? ',\n' : '\n');
    this.out(text);
  }

  end(): void {
    this.open();
    this.out(`\n],"_findings":[${this.findings.length ? '\n' : ''}${this.findings.join(',\n')}]}}\n`);
  }

  private open(): void {
    if (this.opened) return;
    this.opened = true;
    const creator = { name: 'wirelens', version: this.version };
    this.out(`{"log":{"version":"1.2","creator":${JSON.stringify(creator)},"pages":[],"entries":[`);
  }
}

const ms = (seconds: number): number => Math.round(seconds * 1e6) / 1e3;

/** One HAR entry. */
function harEntry(x: ExchangeModel, file: string, record: ConnectionRecord | null, findings: string[]): object {
  const req = x.request;
  const res = x.response;
  const timings = harTimings(x, record);
  const started = timings.connect >= 0 && record?.handshake.syn ? record.handshake.syn.time : (x.timing.requestStart ?? record?.startTime ?? 0);
  const time = Object.values(timings).reduce((sum, t) => sum + (t > 0 ? t : 0), 0);
  return {
    startedDateTime: new Date(started * 1000).toISOString(),
    time: Math.round(time * 1e3) / 1e3,
    request: harRequest(req, record),
    response: harResponse(x),
    cache: {},
    timings,
    serverIPAddress: record === null ? undefined : record.server.ip,
    connection: String(x.connection),
    _file: file,
    _connectionId: x.connection,
    _exchange: x.index,
    _reused: x.reuse.reused,
    _frames: {
      requestHeaders: req?.packing.headerFrames ?? [],
      requestBody: req?.packing.bodyFrames ?? [],
      responseHeaders: res?.packing.headerFrames ?? [],
      responseBody: res?.packing.bodyFrames ?? [],
    },
    _packing: { request: req?.packing.verdict ?? null, response: res?.packing.verdict ?? null },
    _findings: findings,
    _interim: x.interim.map((m) => ({
      status: m.status ?? 0,
      statusText: m.reason ?? '',
      httpVersion: m.version ?? '',
      headers: harHeaders(m.headers),
      headersSize: m.headSize,
      _frames: m.frames,
    })),
  };
}

function harTimings(x: ExchangeModel, record: ConnectionRecord | null): Record<string, number> {
  const { requestStart, requestEnd, firstResponseByte, responseEnd, ttfb } = x.timing;
  const hs = record?.handshake;
  const handshake = x.index === 1 && hs?.syn && hs.ack && requestStart !== null ? { syn: hs.syn.time, ack: hs.ack.time } : null;
  return {
    blocked: handshake === null ? -1 : ms(Math.max(0, (requestStart as number) - handshake.ack)),
    dns: -1,
    connect: handshake === null ? -1 : ms(handshake.ack - handshake.syn),
    send: requestStart !== null && requestEnd !== null ? ms(requestEnd - requestStart) : 0,
    wait: ttfb === null ? 0 : ms(ttfb),
    receive: firstResponseByte !== null && responseEnd !== null ? ms(Math.max(0, responseEnd - firstResponseByte)) : 0,
    ssl: -1,
  };
}

function harRequest(req: MessageModel | null, record: ConnectionRecord | null): object {
  const server = record === null ? 'unknown' : formatEndpoint(record.server.ip, record.server.port);
  if (req === null) {
    return { method: '', url: `http://${server}/`, httpVersion: '', cookies: [], headers: [], queryString: [], headersSize: -1, bodySize: -1 };
  }
  const url = requestUrl(req, server);
  const body = req.body;
  return {
    method: req.method ?? '',
    url,
    httpVersion: req.version ?? '',
    cookies: cookies(headerValue(req.headers, 'cookie')),
    headers: harHeaders(req.headers),
    queryString: queryString(url),
    ...(body === null ? {} : { postData: { mimeType: body.contentType ?? '', text: body.text ?? body.base64 ?? '', ...(body.text === null && body.base64 !== null ? { _encoding: 'base64' } : {}) } }),
    headersSize: req.framing === null ? -1 : req.headSize,
    bodySize: req.framing === null ? -1 : wireBodyBytes(req),
  };
}

function harResponse(x: ExchangeModel): object {
  const res = x.response;
  const interimBytes = x.interim.reduce((n, m) => n + m.headSize, 0);
  if (res === null) {
    return {
      status: 0,
      statusText: '',
      httpVersion: '',
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: '' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      _transferSize: interimBytes,
      _error: x.lost?.message === 'response' ? 'response not captured (lost in a capture gap)' : x.timing.unanswered === null ? 'no response' : `no response (${x.timing.unanswered.endedBy})`,
    };
  }
  const body = res.body;
  const wire = res.framing === null ? 0 : wireBodyBytes(res);
  const decodedSize = body?.decodedSize ?? null;
  return {
    status: res.status ?? 0,
    statusText: res.reason ?? '',
    httpVersion: res.version ?? '',
    cookies: setCookies(res.headers),
    headers: harHeaders(res.headers),
    content: {
      // HAR: the content's length, larger than bodySize when it was compressed (the bytes saved in `compression`).
      size: decodedSize ?? res.framing?.actualBodyBytes ?? 0,
      ...(decodedSize === null ? {} : { compression: decodedSize - (res.framing?.actualBodyBytes ?? 0) }),
      mimeType: headerValue(res.headers, 'content-type') ?? '',
      ...(body === null ? {} : body.text !== null ? { text: body.text } : body.base64 !== null ? { text: body.base64, encoding: 'base64' } : {}),
    },
    redirectURL: headerValue(res.headers, 'location') ?? '',
    headersSize: res.framing === null ? -1 : res.headSize,
    bodySize: res.framing === null ? -1 : wire,
    _transferSize: interimBytes + res.headSize + wire,
  };
}

/** The headers as sent: order, case and repeats kept. */
function harHeaders(headers: readonly HeaderField[]): Array<{ name: string; value: string }> {
  return headers.map((h) => ({ name: h.name, value: h.value }));
}

/** An absolute URL for the request: origin-form targets joined to the Host header (else the server's address). */
function requestUrl(req: MessageModel, server: string): string {
  const target = req.target ?? '/';
  const host = headerValue(req.headers, 'host') ?? server;
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? target : target.startsWith('/') ? `http://${host}${target}` : `http://${req.method === 'CONNECT' ? target : host}/`;
  try {
    return new URL(candidate).href;
  } catch {
    return `http://${server}/`;
  }
}

function queryString(url: string): Array<{ name: string; value: string }> {
  const q = url.indexOf('?');
  if (q < 0) return [];
  return [...new URLSearchParams(url.slice(q + 1).split('#')[0])].map(([name, value]) => ({ name, value }));
}

function cookies(header: string | null): Array<{ name: string; value: string }> {
  if (header === null) return [];
  return header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? { name: part, value: '' } : { name: part.slice(0, eq), value: part.slice(eq + 1) };
    });
}

function setCookies(headers: readonly HeaderField[]): Array<{ name: string; value: string }> {
  return headerValues(headers, 'set-cookie').flatMap((value) => cookies(value.split(';')[0]));
}

