/**
 * The model: `Capture → Connection → Exchange → Message`, plain serialisable data with no I/O.
 * `wirelens report --json` prints it as records (a connection record when it ends, an exchange record
 * as soon as it completes); the TUI, HAR export and the rules consume the same objects unchanged.
 * Versioned: fields are added, never renamed or removed, within a schemaVersion. Every documented key
 * is always present: `null` when unknown or not applicable, never left out.
 *
 * Conventions: frame numbers are 1-based (Wireshark's `frame.number`); times are seconds since the
 * epoch; durations are seconds; offsets are byte offsets within one direction of one TCP stream.
 */
import type { DecodeStats } from '../decode/decoder.js';
import type { Deviation, FramingKind, FramingReason, HeaderField, ProtocolLabel, ProtocolSwitch, StreamDeviation } from '../http/types.js';
import type { FrameAt, StreamGapRecord, Teardown } from '../tcp/connection.js';
import type { Direction } from '../tcp/stream.js';
import type { NodeVerdict } from '../node-verdict/types.js';

/**
 * 2: exchanges are records of their own (`connection` names their connection), written as soon as
 * they complete; connection records are written when the connection ends, and carry no exchange
 * list. `conns --json` and `report --json` describe a connection with the same record.
 */
export const SCHEMA_VERSION = 2;

/** What the decode stage made of the frames (see src/decode/decoder.ts DecodeStats). */
export type DecodeSummary = DecodeStats;

/** The capture as a whole: written last (`report --json`'s closing fields, the `conns` footer). */
export interface CaptureSummary {
  schemaVersion: typeof SCHEMA_VERSION;
  /** The file as given on the command line ('<stdin>' for -). */
  file: string;
  format: 'pcap' | 'pcapng' | null;
  /** Frames in the file (read before any damage). */
  frames: number;
  /** Bytes of the file read. */
  bytes: number;
  firstTime: number | null;
  lastTime: number | null;
  connections: number;
  /**
   * TCP segments that came for a connection after its close had been acknowledged both ways (a
   * copy, a FIN resent because the final ACK was lost beyond the capture point): counted here, in
   * no connection's frames (tshark's conversation counts them in it).
   */
  lateSegments: number;
  exchanges: number;
  /** Final responses by status class; `none`: exchanges without a final response. */
  /** Final responses by class; `none`: no response (or an invalid status line); `notCaptured`: sent, but lost by the capture (ExchangeModel.lost). */
  statusClasses: { '1xx': number; '2xx': number; '3xx': number; '4xx': number; '5xx': number; none: number; notCaptured: number };
  /** Deviations recorded inside messages and between them. */
  deviations: number;
  /** Findings by severity (all 0 when no rules ran). */
  findings: { error: number; warning: number; note: number };
  decode: DecodeSummary;
  /** The damage that stopped reading, if any; everything before it is in the records. */
  error: { code: string; offset: number | null; message: string } | null;
}

/** Where the capture was taken, as far as segment sizes tell (see capture-point.ts). */
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

/** A connection as soon as it is seen (the `connectionOpened` event): what is known then. */
export interface ConnectionOpened {
  id: number;
  client: string;
  server: string;
  ipVersion: 4 | 6;
  startTime: number;
  firstFrame: number;
  midStream: boolean;
}

/** How the connection's end relates to its last exchange: the durations the close behaviours are about. */
export interface Closing {
  /** Frame and time of the first FIN or RST (null while open). */
  first: (FrameAt & { by: Direction; kind: 'fin' | 'rst' }) | null;
  /**
   * Seconds from the end of the last complete exchange to the first FIN/RST (keep-alive idle
   * close); null after a protocol switch (the tunnel's bytes flowed in between) and while open.
   */
  idleBefore: number | null;
  /** The last response that said `Connection: close`, and how long the connection stayed open after it (null while open). */
  afterConnectionClose: { exchange: number; frame: number; time: number; openFor: number | null } | null;
}

/** Every fact about one TCP connection: `conns --json` rows and `report --json` connection records alike. */
export interface ConnectionModel {
  /** Same id in every command (tshark tcp.stream + 1). */
  id: number;
  client: string;
  server: string;
  ipVersion: 4 | 6;
  /** 'unknown' for a connection whose payload is not HTTP, TLS or h2; 'none' when it carried no payload. */
  protocol: ProtocolLabel | 'none';
  startTime: number;
  /** Seconds since the capture's first frame. */
  start: number;
  endTime: number;
  duration: number;
  firstFrame: number;
  lastFrame: number;
  midStream: boolean;
  handshake: HandshakeModel;
  teardown: Teardown;
  frames: { client: number; server: number; total: number };
  bytes: Record<Direction, number>;
  retransmissions: Record<Direction, number>;
  /** Frame of each side's first retransmitted segment (null: none). */
  firstRetransmission: Record<Direction, number | null>;
  /** Of each side's retransmissions, those its peer reported as duplicates (D-SACK): spurious, nothing was lost. */
  spuriousRetransmissions: Record<Direction, number>;
  outOfOrder: Record<Direction, number>;
  /** Frame of each side's first out-of-order segment (null: none). */
  firstOutOfOrder: Record<Direction, number | null>;
  conflictingOverlaps: number;
  zeroWindow: Record<Direction, number>;
  /** TCP keep-alive probes of an idle connection (the peer's window open). */
  keepAlives: Record<Direction, number>;
  /** Probes into a window the peer had closed (zero window): the sender had data waiting for the reader. */
  zeroWindowProbes: Record<Direction, number>;
  truncatedFrames: number;
  /** Frames that were the same packet captured a second time (tcp/duplicate.ts): counted in `frames`, not analysed. */
  duplicates: Record<Direction, number>;
  gaps: StreamGapRecord[];
  history: string;
  capturePoint: CapturePoint;
  /** Exchanges on this connection (their records carry `connection` = this id); null when HTTP was not parsed (`conns`). */
  exchanges: number | null;
  /** 101 Switching Protocols or a successful CONNECT: bytes after it are counted, not parsed. */
  protocolSwitch: ProtocolSwitch | null;
  /** Bytes not parsed as HTTP per direction (a non-HTTP connection, or after a protocol switch). */
  uninspectedBytes: Record<Direction, number>;
  /** Deviations between messages: excess after a body, skipped bytes, body not allowed. */
  deviations: StreamDeviation[];
  closing: Closing;
  /** How the connection ended for the HTTP analysis: a TCP close, or the end of the capture. */
  end: 'close' | 'capture-end';
}

/** The handshake; `rtt` is SYN → SYN-ACK as seen at the capture point. */
export interface HandshakeModel {
  syn: FrameAt | null;
  synAck: FrameAt | null;
  ack: FrameAt | null;
  /** SYN → SYN-ACK, seconds (null unless both were captured). */
  rtt: number | null;
  refused: boolean;
  /**
   * Refused, and the client connected to the same port on another address within 0.3 s (Node's
   * autoSelectFamily, curl: `localhost` → `::1` refused, then 127.0.0.1): that connection's id.
   */
  fallback: number | null;
  clientMss: number | null;
  serverMss: number | null;
}

export interface ExchangeModel {
  /** The connection's id. */
  connection: number;
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
  /** What had already happened on the connection when the request's first byte was sent. */
  before: Before;
  /**
   * A message of this exchange the capture lost whole: its first byte fell in a capture gap (the
   * exchange's `request` or `response` is then null because of the capture, not the peers). null
   * when both messages were seen, or one was simply never sent.
   */
  lost: LostMessageModel | null;
}

/** A message presumed sent but never captured, and where: the gap in its direction's stream. */
export interface LostMessageModel {
  message: 'request' | 'response';
  /** Stream offset of the gap (bytes of the lost message's direction). */
  offset: number;
  /** Bytes missing in that gap (null when unknown). */
  length: number | null;
  /** The first frame after the gap, or the frame whose ACK revealed it. */
  frame: number;
}

/**
 * Cross-direction order: the facts the keep-alive rules stand on. A request sent after the
 * server's FIN (or a RST) is the reuse race; one sent after a `Connection: close` response went
 * to a connection the server had said it would not reuse.
 */
export interface Before {
  /** The server's FIN, sent before the request's first byte (null when it came later or never). */
  serverFin: FrameAt | null;
  serverRst: FrameAt | null;
  /** Seconds between the server's FIN and the request's first byte. */
  requestAfterServerFin: number | null;
  /** An earlier response on this connection had carried `Connection: close` before the request's first byte. */
  connectionClose: { exchange: number; frame: number } | null;
}

export interface Reuse {
  /** Same as the exchange index: 1st, 2nd, … request on this connection. */
  index: number;
  /** The connection had carried an exchange before this one. */
  reused: boolean;
  /** Seconds between the previous exchange's last byte and this request's start (null for the first, for a pipelined request sent before the previous response ended, and after a response the capture lost). */
  idleBefore: number | null;
  /** The response's `Keep-Alive: timeout=N, max=M` (null when absent). */
  keepAlive: { timeout: number | null; max: number | null } | null;
  /** `Connection: close` on the request or the response (the connection will not be reused). */
  connectionClose: { request: boolean; response: boolean };
}

export interface Timing {
  requestStart: number | null;
  /** When the request ended (null when it never completed). */
  requestEnd: number | null;
  /** Time of the first byte of the first response (interim or final). */
  firstResponseByte: number | null;
  /** When the final response ended (null when it never completed: see the message's `stall`). */
  responseEnd: number | null;
  /**
   * firstResponseByte - requestEnd (time to first byte, as the client waits for it). When the first
   * response byte came before the request ended (a 100 Continue the body waited for), measured from
   * the end of the request's header section instead; null if it came before even that. Never negative.
   */
  ttfb: number | null;
  /** responseEnd - requestStart; null when either is unknown (an unfinished response has no total). */
  total: number | null;
  /**
   * A complete request that got no response byte at all: how long it waited, and what ended the
   * wait (the client gave up, the server closed, or the capture ended) — `frame` is that FIN or
   * RST (null when the capture ended). Null otherwise.
   */
  unanswered: { since: number; until: number; waited: number; endedBy: EndedBy; frame: number | null } | null;
}

/** What ended a wait or a stall: which side closed (FIN or RST), or the end of the capture. */
export type EndedBy = 'client-fin' | 'client-rst' | 'server-fin' | 'server-rst' | 'capture-end';

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
  /** Bytes of the decoded body when the whole body was kept and decoded (null otherwise: not encoded, cut, or not decodable). */
  decodedSize: number | null;
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

/** How the body length was determined and what arrived; every key present (null when not applicable). */
export interface FramingModel {
  kind: FramingKind;
  /** The RFC 9112 §6.3 case that decided it. */
  reason: FramingReason;
  /** Content-Length value (null unless kind is 'content-length'). */
  declared: number | null;
  /** Body payload bytes (de-chunked; bytes lost in a bridged gap included). */
  actualBodyBytes: number;
  /** Body bytes counted in actualBodyBytes that the capture lost (a gap bridged by arithmetic); 0 when none. */
  missingBytes: number;
  /** Chunked: chunks with data; its sizes (first 256); whether the last chunk came; trailers. */
  chunks: number | null;
  chunkSizes: number[] | null;
  lastChunk: boolean | null;
  trailers: HeaderField[] | null;
  /**
   * Bytes that followed the end of this message's body on the same stream and did not start a
   * message (a Content-Length overrun; body bytes after a HEAD/1xx/204/304 response).
   */
  excess: { bytes: number; offset: number; frames: number[]; code: 'excess-after-body' | 'body-not-allowed' } | null;
}

/** An unfinished message: where it stopped and what ended the wait. */
export interface Stall {
  /** The last byte of the message that arrived. */
  lastByte: FrameAt;
  /** What happened after it: the close (its frame), or the end of the capture. */
  endedBy: EndedBy;
  until: FrameAt | null;
  /** Seconds from the last byte to the close or the end of the capture. */
  duration: number;
  /** Where it stopped: in the header section or in the body. */
  in: 'header-section' | 'body';
  /** Body bytes still owed by Content-Length or the current chunk (null when unknown). */
  missingBytes: number | null;
}

export interface MessageModel {
  kind: 'request' | 'response';
  direction: Direction;
  startLine: string;
  /** Requests: the method (null for responses, or when the start line could not be split). */
  method: string | null;
  target: string | null;
  /** Responses: the status code (null for requests, or when the status line is invalid — see `deviations`). */
  status: number | null;
  reason: string | null;
  version: string | null;
  headers: HeaderField[];
  headSize: number;
  /** Null when the header section never completed. */
  framing: FramingModel | null;
  /** Every framing step reached its end (bytes lost in a bridged gap included: see bodyCaptured). */
  complete: boolean;
  /** Whether the capture holds the body: 'all' (also for no body), 'partial' or 'none' (lost in a capture gap). */
  bodyCaptured: 'all' | 'partial' | 'none';
  /** Every frame that carried a byte of the message, in order. */
  frames: number[];
  packing: Packing;
  times: {
    start: number;
    headersEnd: number | null;
    /** Time of the last byte that arrived. */
    lastByte: number;
    /** When the message ended: its last byte, or for a close-delimited body the close; null when unfinished. */
    end: number | null;
  };
  /** The frame that ended the message (for a close-delimited body, the FIN or RST); null when unfinished. */
  endFrame: number | null;
  /** Set when the message never finished: the stall and what ended it. */
  stall: Stall | null;
  offsets: { headStart: number; headEnd: number | null; bodyEnd: number | null };
  deviations: Deviation[];
  /** With `--bodies`: the body for display; null otherwise (and when there is no body). */
  body: BodyView | null;
  /**
   * Node's own verdict on the message (src/node-verdict: its bytes read by the running Node.js's
   * own HTTP parser); null when it is off (`--no-node-verdict`, or an analysis not asked for it)
   * or did not reach the message (a connection picked up mid-stream, a capture gap, a tunnel).
   */
  node: NodeVerdict | null;
}

export type { FrameAt };
