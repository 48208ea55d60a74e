/**
 * `wirelens export --format zeek` (Zeek's TSV logs) and `--format zeek-json` (one JSON object per
 * line, as Zeek's JSON writer gives it): conn.log when a connection ends, http.log when an exchange
 * completes, and wirelens.log — the findings — when a rule is certain, all keyed by the same uid
 * (see zeek-fields.ts for the field definitions, value formats and the uid).
 *
 * ZeekExporter writes each log's lines through `emit(path, text)`: in TSV style the header lines
 * come with a log's first line (or at the end for a log with none), and `#close` ends each log;
 * the times in `#open`/`#close` are network times (the capture's), as Zeek writes them reading a
 * trace. In JSON style there are no header lines; in a merged stream each line carries `_path`
 * (the log) and `_file` (the capture).
 *
 * How conn_state is derived (Zeek's states, from the handshake and teardown the tcp stage recorded;
 * originator = client):
 *   REJ     SYN answered by RST          S0      SYN, no reply
 *   RSTOS0  SYN, then the client's RST   SH      SYN, then the client's FIN, no SYN-ACK
 *   RSTRH   SYN-ACK without SYN, then the server's RST
 *   SHR     SYN-ACK without SYN, then the server's FIN
 *   OTH     neither SYN nor SYN-ACK seen (mid-stream)
 * and for an established connection: RSTO the client sent a RST, RSTR the server did (the client's
 * checked first, as Zeek does), SF both sent FIN, S2 only the client, S3 only the server, S1 neither.
 */
import type { AnalysisSubscriber } from '../analysis/analysis.js';
import type { Finding } from '../lint/types.js';
import type { CaptureSummary, ConnectionModel, ConnectionOpened, ExchangeModel } from '../model/types.js';
import { headerValue } from '../http/headers.js';
import { splitEndpoint, type Endpoint } from '../model/endpoint.js';
import type { Emit } from './export-common.js';
import { CONN_LOG, HTTP_LOG, jsonLine, tsvHeader, tsvLine, WIRELENS_LOG, ZEEK_LOGS, zeekDate, zeekUid, type ZeekLog, type ZeekValue } from './zeek-fields.js';

export type ZeekStyle = 'tsv' | 'json';

interface OpenConnection {
  uid: string;
  orig: Endpoint;
  resp: Endpoint;
}

/**
 * Closed connections whose ids a later finding may still need (a rule that sees a pattern only at
 * the next connection: keepalive-hint-too-short): the most recent ones, so memory stays bounded.
 */
const RECENTLY_CLOSED = 1024;

export class ZeekExporter implements AnalysisSubscriber {
  private readonly open = new Map<number, OpenConnection>();
  /** The last RECENTLY_CLOSED connections closed, oldest first. */
  private readonly closed = new Map<number, OpenConnection>();
  private readonly started = new Set<string>();
  private firstTime: number | null = null;

  constructor(
    private readonly file: string,
    private readonly emit: Emit,
    private readonly style: ZeekStyle,
    /** Tag each JSON line with `_path` and `_file` (one merged stream). */
    private readonly tagged = false,
  ) {}

  connectionOpened(c: ConnectionOpened): void {
    this.firstTime ??= c.startTime;
    this.open.set(c.id, { uid: zeekUid(this.file, c.id), orig: splitEndpoint(c.client), resp: splitEndpoint(c.server) });
  }

  exchange(x: ExchangeModel): void {
    const conn = this.connection(x.connection);
    const req = x.request;
    const res = x.response;
    const info = x.interim.length > 0 ? x.interim[x.interim.length - 1] : null;
    const version = res?.version ?? req?.version ?? null;
    this.write(HTTP_LOG, [
      x.timing.requestStart ?? x.timing.firstResponseByte,
      conn.uid,
      ...ids(conn),
      x.index,
      req?.method ?? null,
      req === null ? null : headerValue(req.headers, 'host'),
      req?.target ?? null,
      req === null ? null : headerValue(req.headers, 'referer'),
      version === null ? null : version.replace(/^HTTP\//, ''),
      req === null ? null : headerValue(req.headers, 'user-agent'),
      req === null ? null : headerValue(req.headers, 'origin'),
      req?.framing?.actualBodyBytes ?? 0,
      res?.framing?.actualBodyBytes ?? 0,
      res?.status ?? null,
      res?.reason ?? null,
      info?.status ?? null,
      info?.reason ?? null,
      [],
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  }

  finding(f: Finding): void {
    const conn = f.connection === null ? null : (this.open.get(f.connection) ?? this.closed.get(f.connection) ?? null);
    // A finding about a connection closed long before still gets its (deterministic) uid; its addresses are in conn.log.
    const uid = f.connection === null ? null : (conn?.uid ?? zeekUid(this.file, f.connection));
    this.write(WIRELENS_LOG, [f.time, uid, ...(conn === null ? [null, null, null, null] : ids(conn)), f.exchange, f.ruleId, f.severity, f.frames, f.message]);
  }

  connectionClosed(c: ConnectionModel): void {
    const conn = this.connection(c.id);
    this.open.delete(c.id);
    this.closed.set(c.id, conn);
    if (this.closed.size > RECENTLY_CLOSED) this.closed.delete(this.closed.keys().next().value as number);
    this.write(CONN_LOG, [
      c.startTime,
      conn.uid,
      ...ids(conn),
      'tcp',
      c.protocol === 'http' ? 'http' : null,
      c.duration,
      c.bytes.client,
      c.bytes.server,
      connState(c),
      null,
      null,
      c.gaps.reduce((n, g) => n + (typeof g.length === 'number' ? g.length : 0), 0),
      c.history,
      c.frames.client,
      null,
      c.frames.server,
      null,
      null,
    ]);
  }

  captureEnded(summary: CaptureSummary): void {
    if (this.style !== 'tsv' || (summary.frames === 0 && summary.error !== null)) return;
    for (const log of ZEEK_LOGS) {
      this.header(log, summary.firstTime ?? 0);
      this.emit(log.path, `#close\t${zeekDate(summary.lastTime ?? summary.firstTime ?? 0)}\n`);
    }
  }

  private connection(id: number): OpenConnection {
    const known = this.open.get(id);
    if (known !== undefined) return known;
    return { uid: zeekUid(this.file, id), orig: { ip: '', port: 0 }, resp: { ip: '', port: 0 } };
  }

  private write(log: ZeekLog, values: ZeekValue[]): void {
    if (this.style === 'json') {
      this.emit(log.path, jsonLine(log, values, this.tagged ? { _path: log.path, _file: this.file } : null));
      return;
    }
    this.header(log, this.firstTime ?? (typeof values[0] === 'number' ? values[0] : 0));
    this.emit(log.path, tsvLine(log, values));
  }

  private header(log: ZeekLog, open: number): void {
    if (this.started.has(log.path)) return;
    this.started.add(log.path);
    this.emit(log.path, tsvHeader(log, open));
  }
}

function ids(c: OpenConnection): ZeekValue[] {
  return [c.orig.ip, c.orig.port, c.resp.ip, c.resp.port];
}

/** Zeek's conn_state from what the capture shows (see the file comment). */
export function connState(c: ConnectionModel): string {
  const { syn, synAck, refused } = c.handshake;
  const t = c.teardown;
  if (refused) return 'REJ';
  if (syn !== null && synAck === null) return t.clientRst ? 'RSTOS0' : t.clientFin ? 'SH' : 'S0';
  if (syn === null && synAck !== null) return t.serverRst ? 'RSTRH' : t.serverFin ? 'SHR' : 'OTH';
  if (syn === null) return 'OTH';
  if (t.clientRst) return 'RSTO';
  if (t.serverRst) return 'RSTR';
  if (t.clientFin && t.serverFin) return 'SF';
  if (t.clientFin) return 'S2';
  if (t.serverFin) return 'S3';
  return 'S1';
}
