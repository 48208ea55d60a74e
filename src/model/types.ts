/**
 * The model: `Capture → Connection → Exchange → Message`, plain serialisable data with no I/O.
 * `wirelens report --json` prints it as is; the TUI, HAR export and the rules consume it unchanged.
 * Versioned: fields are added, never renamed or removed, within a schemaVersion.
 *
 * Conventions: frame numbers are 1-based (Wireshark's `frame.number`); times are seconds since the
 * epoch; durations are seconds; offsets are byte offsets within one direction of one TCP stream.
 */
import type { ProtocolLabel, Deviation, Framing, HeaderField, ProtocolSwitch, StreamDeviation } from '../http/types.js';
import type { FrameAt, Handshake, StreamGapRecord, Teardown } from '../tcp/connection.js';
import type { Direction } from '../tcp/stream.js';

export const SCHEMA_VERSION = 1;

export interface CaptureModel {
  schemaVersion: typeof SCHEMA_VERSION;
  /** The file as given on the command line ('<stdin>' for -). */
  file: string;
  format: 'pcap' | 'pcapng' | null;
  /** Frames in the file (read before any damage). */
  frames: number;
  firstTime: number | null;
  lastTime: number | null;
  /** The damage that stopped reading, if any; everything before it is in the model. */
  error: { code: string; offset: number; message: string } | null;
  connections: ConnectionModel[];
}

/** Where the capture was taken, as far as segment sizes tell (see annotate-capture-point.ts). */
export interface CapturePoint {
  /**
   * 'loopback': MSS ≥ 16 KiB, a loopback interface (64 KiB MTU) — segments hold far more than on a
   * 1500-byte network. 'offload': segments larger than the announced MSS — captured on a host with
   * TSO/GSO, before the NIC split them. 'network': ordinary segment sizes.
   */
  kind: 'loopback' | 'offload' | 'network';
  /** MSS each side announced in its SYN (null when the handshake was not captured). */
  mss: Record<Direction, number | null>;
  /** Largest payload seen in one segment, per direction. */
  maxSegment: Record<Direction, number>;
  /** One sentence for the reader, stated next to every packing verdict on this connection. */
  note: string | null;
}

export interface ConnectionModel {
  /** Same id as `wirelens conns` (tshark tcp.stream + 1). */
  id: number;
  client: string;
  server: string;
  ipVersion: 4 | 6;
  /** 'unknown' also for a connection that carried no payload. */
  protocol: ProtocolLabel;
  startTime: number;
  endTime: number;
  duration: number;
  firstFrame: number;
  lastFrame: number;
  midStream: boolean;
  handshake: Handshake;
  teardown: Teardown;
  frames: Record<Direction, number>;
  bytes: Record<Direction, number>;
  retransmissions: Record<Direction, number>;
  keepAlives: Record<Direction, number>;
  truncatedFrames: number;
  gaps: StreamGapRecord[];
  history: string;
  capturePoint: CapturePoint;
  exchanges: ExchangeModel[];
  /** 101 Switching Protocols or a successful CONNECT: bytes after it are counted, not parsed. */
  protocolSwitch: ProtocolSwitch | null;
  /** Bytes not parsed as HTTP per direction (a non-HTTP connection, or after a protocol switch). */
  uninspectedBytes: Record<Direction, number>;
  /** Deviations between messages: excess after a body, skipped bytes, body not allowed. */
  deviations: StreamDeviation[];
  /** How the connection ended for the HTTP analysis. */
  end: 'close' | 'capture-end' | null;
}

export interface ExchangeModel {
  /** 1-based on the connection: the reuse index (1 = first request on a new connection). */
  index: number;
  /** The request started before the previous response completed (HTTP/1.1 pipelining). */
  pipelined: boolean;
  request: MessageModel | null;
  /** 1xx interim responses (100 Continue, 102, 103 Early Hints), in order. */
  interim: MessageModel[];
  response: MessageModel | null;
  reuse: Reuse;
  timing: Timing;
}

export interface Reuse {
  /** Same as the exchange index: 1st, 2nd, … request on this connection. */
  index: number;
  /** The connection had carried an exchange before this one. */
  reused: boolean;
  /** Seconds between the previous response's end and this request's start (null for the first, and for a pipelined request sent before the previous response ended). */
  idleBefore: number | null;
  /** The response's `Keep-Alive: timeout=N, max=M` (null when absent). */
  keepAlive: { timeout: number | null; max: number | null } | null;
  /** `Connection: close` on the request or the response (the connection will not be reused). */
  connectionClose: { request: boolean; response: boolean };
}

export interface Timing {
  requestStart: number | null;
  requestEnd: number | null;
  /** Time of the first byte of the first response (interim or final). */
  firstResponseByte: number | null;
  responseEnd: number | null;
  /**
   * firstResponseByte - requestEnd (time to first byte, as the client waits for it). When the first
   * response byte came before the request ended (a 100 Continue the body waited for), measured from
   * the end of the request's header section instead; null if it came before even that. Never negative.
   */
  ttfb: number | null;
  /** responseEnd - requestStart. */
  total: number | null;
}

export type PackingVerdict =
  /** The header section and body bytes shared a segment (Node's default: headers wait for the first write). */
  | 'packed'
  /** The header section went in segment(s) without body bytes; the body followed later. */
  | 'headers-only-segment'
  /** No body (or an empty one): nothing to pack. */
  | 'no-body'
  /** The header section never completed, or the body never came. */
  | 'incomplete';

export interface Packing {
  verdict: PackingVerdict;
  /** The header section itself was spread over several segments. */
  headerSplit: boolean;
  /** The frame that carried both the end of the header section and body bytes (packed only). */
  sharedFrame: number | null;
  headerFrames: number[];
  bodyFrames: number[];
  /** The capture-point caveat for this verdict (loopback / offload), or null. */
  note: string | null;
}

export interface BodyView {
  /** Body bytes kept (de-chunked): the body's first bytes, up to --body-limit or the first byte not captured. */
  kept: number;
  /** The body was longer than what was kept. */
  truncated: boolean;
  contentType: string | null;
  /** Content-Encoding that was decoded for display (gzip, deflate, br), or null. */
  decodedFrom: string | null;
  /**
   * The (decoded) body as text when it is text-like, else null. Bytes that could not be decoded
   * are text only when they look like text themselves (Content-Type describes the decoded body).
   */
  text: string | null;
  /** Base64 of the kept raw bytes when the body is not text-like (null when none were kept). */
  base64: string | null;
  /**
   * What the bytes alone do not tell, or null: the part shown and why not all ("decoded from the
   * first 50 B of 1.2 KiB of br data (--body-limit 50)"), a prefix too short to decode, a body not
   * in its declared Content-Encoding ("…; shown undecoded"), bytes the capture lost ("733 B not
   * captured"). Parts are joined by "; ".
   */
  note: string | null;
}

export interface MessageModel {
  kind: 'request' | 'response';
  direction: Direction;
  startLine: string;
  method?: string;
  target?: string;
  status?: number;
  reason?: string;
  version: string | null;
  headers: HeaderField[];
  headSize: number;
  framing: Framing | null;
  complete: boolean;
  /** Every frame that carried a byte of the message, in order. */
  frames: number[];
  packing: Packing;
  times: { start: number; headersEnd: number | null; end: number };
  offsets: { headStart: number; headEnd: number | null; bodyEnd: number | null };
  deviations: Deviation[];
  /** Present only with `--bodies` (JSON) or for display. */
  body?: BodyView;
}

export type { FrameAt };
