/**
 * `wirelens export --format ndjson`: flat records, one JSON object per line, for analytics engines
 * (DuckDB, ClickHouse, BigQuery, Spark). Three record types share one stream, told apart by `type`:
 *
 *   connection  when the connection ends (one per TCP connection);
 *   exchange    when the exchange completes (one per request/response);
 *   finding     when the rule is certain.
 *
 * Every key of a type is always present, null when unknown, in a fixed order; values are scalars
 * except `frames` (an array of frame numbers). Keys are snake_case, so SQL engines take them as
 * unquoted column names. Each record names its capture (`file`), so the output of many captures can
 * be concatenated and loaded as one table. The per-record path builds one small object and
 * stringifies it: never the whole model record.
 */
import type { AnalysisSubscriber } from '../analysis/analysis.js';
import type { Finding } from '../lint/types.js';
import type { ConnectionModel, ExchangeModel, MessageModel } from '../model/types.js';
import { headerValue } from '../http/headers.js';
import { splitEndpoint } from '../model/endpoint.js';
import { stalled, targetPath, wireBodyBytes, type Emit } from './export-common.js';
import { escapeJsonControls } from './terminal-safe.js';

/** The keys of each record type, in output order (README "export --format ndjson" documents them). */
export const NDJSON_KEYS = {
  connection: [
    'type', 'file', 'connection', 'client_ip', 'client_port', 'server_ip', 'server_port', 'ip_version', 'protocol',
    'start_time', 'end_time', 'duration', 'first_frame', 'last_frame', 'mid_stream', 'handshake_rtt', 'refused',
    'teardown', 'closed_first_by', 'frames_client', 'frames_server', 'bytes_client', 'bytes_server',
    'retransmissions_client', 'retransmissions_server', 'duplicates_client', 'duplicates_server', 'zero_window_client', 'zero_window_server', 'gaps', 'history',
    'capture_point', 'exchanges', 'idle_before_close', 'end',
  ],
  exchange: [
    'type', 'file', 'connection', 'exchange', 'reused', 'pipelined', 'idle_before', 'method', 'target', 'path', 'host',
    'version', 'status', 'reason', 'interim_status', 'request_start', 'request_end', 'first_response_byte', 'response_end',
    'ttfb', 'total', 'request_head_bytes', 'request_body_bytes', 'request_wire_body_bytes', 'response_head_bytes',
    'response_body_bytes', 'response_wire_body_bytes', 'request_framing', 'response_framing', 'request_packing',
    'response_packing', 'request_first_frame', 'request_end_frame', 'response_first_frame', 'response_end_frame',
    'stalled', 'unanswered', 'lost', 'content_type', 'keep_alive_timeout', 'connection_close', 'deviations',
  ],
  finding: ['type', 'file', 'rule_id', 'severity', 'connection', 'exchange', 'time', 'first_frame', 'frames', 'message'],
} as const;

export class NdjsonExporter implements AnalysisSubscriber {
  constructor(
    /** The capture as given on the command line: every record's `file`. */
    private readonly file: string,
    private readonly emit: Emit,
  ) {}

  connectionClosed(c: ConnectionModel): void {
    const client = splitEndpoint(c.client);
    const server = splitEndpoint(c.server);
    this.line({
      type: 'connection',
      file: this.file,
      connection: c.id,
      client_ip: client.ip,
      client_port: client.port,
      server_ip: server.ip,
      server_port: server.port,
      ip_version: c.ipVersion,
      protocol: c.protocol,
      start_time: c.startTime,
      end_time: c.endTime,
      duration: c.duration,
      first_frame: c.firstFrame,
      last_frame: c.lastFrame,
      mid_stream: c.midStream,
      handshake_rtt: c.handshake.rtt,
      refused: c.handshake.refused,
      teardown: c.teardown.kind,
      closed_first_by: c.teardown.closedFirstBy,
      frames_client: c.frames.client,
      frames_server: c.frames.server,
      bytes_client: c.bytes.client,
      bytes_server: c.bytes.server,
      retransmissions_client: c.retransmissions.client,
      retransmissions_server: c.retransmissions.server,
      duplicates_client: c.duplicates.client,
      duplicates_server: c.duplicates.server,
      zero_window_client: c.zeroWindow.client,
      zero_window_server: c.zeroWindow.server,
      gaps: c.gaps.length,
      history: c.history,
      capture_point: c.capturePoint.kind,
      exchanges: c.exchanges,
      idle_before_close: c.closing.idleBefore,
      end: c.end,
    });
  }

  exchange(x: ExchangeModel): void {
    const req = x.request;
    const res = x.response;
    const last = x.interim.length > 0 ? x.interim[x.interim.length - 1] : null;
    this.line({
      type: 'exchange',
      file: this.file,
      connection: x.connection,
      exchange: x.index,
      reused: x.reuse.reused,
      pipelined: x.pipelined,
      idle_before: x.reuse.idleBefore,
      method: req?.method ?? null,
      target: req?.target ?? null,
      path: targetPath(req?.target ?? null),
      host: req === null ? null : headerValue(req.headers, 'host'),
      version: req?.version ?? null,
      status: res?.status ?? null,
      reason: res?.reason ?? null,
      interim_status: last?.status ?? null,
      request_start: x.timing.requestStart,
      request_end: x.timing.requestEnd,
      first_response_byte: x.timing.firstResponseByte,
      response_end: x.timing.responseEnd,
      ttfb: x.timing.ttfb,
      total: x.timing.total,
      request_head_bytes: req?.headSize ?? null,
      request_body_bytes: req?.framing?.actualBodyBytes ?? null,
      request_wire_body_bytes: wire(req),
      response_head_bytes: res?.headSize ?? null,
      response_body_bytes: res?.framing?.actualBodyBytes ?? null,
      response_wire_body_bytes: wire(res),
      request_framing: req?.framing?.kind ?? null,
      response_framing: res?.framing?.kind ?? null,
      request_packing: req?.packing.verdict ?? null,
      response_packing: res?.packing.verdict ?? null,
      request_first_frame: req?.frames[0] ?? null,
      request_end_frame: req?.endFrame ?? null,
      response_first_frame: res?.frames[0] ?? null,
      response_end_frame: res?.endFrame ?? null,
      stalled: stalled(x),
      unanswered: x.timing.unanswered !== null,
      lost: x.lost?.message ?? null,
      content_type: res === null ? null : headerValue(res.headers, 'content-type'),
      keep_alive_timeout: x.reuse.keepAlive?.timeout ?? null,
      connection_close: x.reuse.connectionClose.request || x.reuse.connectionClose.response,
      deviations: (req?.deviations.length ?? 0) + (res?.deviations.length ?? 0) + x.interim.reduce((n, m) => n + m.deviations.length, 0),
    });
  }

  finding(f: Finding): void {
    this.line({
      type: 'finding',
      file: this.file,
      rule_id: f.ruleId,
      severity: f.severity,
      connection: f.connection,
      exchange: f.exchange,
      time: f.time,
      first_frame: f.frames.length > 0 ? f.frames[0] : null,
      frames: f.frames,
      message: f.message,
    });
  }

  private line(record: object): void {
    this.emit('record', `${escapeJsonControls(JSON.stringify(record))}\n`);
  }
}

function wire(m: MessageModel | null): number | null {
  return m === null || m.framing === null ? null : wireBodyBytes(m);
}
