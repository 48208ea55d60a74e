/**
 * The http stage's records: plain, serialisable data (Zeek-record style — every field documented,
 * optional fields say when they are absent). Offsets are stream byte offsets within one direction
 * of one TCP connection (0 = that direction's first payload byte, as in StreamChunk.offset).
 * Frame numbers are 1-based, as Wireshark counts them. Times are capture times, seconds since the
 * epoch.
 */
import type { Direction, GapCause } from '../tcp/stream.js';

export type MessageKind = 'request' | 'response';

/** What the first bytes of a connection say it carries. Only 'http' connections are parsed. */
export type ProtocolLabel = 'http' | 'tls' | 'h2' | 'unknown';

/**
 * Named deviation codes (llhttp-style constants). A deviation is recorded, never thrown; parsing
 * goes on (leniently, see LENIENCY) or resynchronises at the next plausible start line.
 */
export const DEVIATION = {
  /** A line ended with LF alone (RFC 9112 §2.2). Accepted as a line end; repeats fold into `count`. */
  BARE_LF: 'bare-lf',
  /** Whitespace between a field name and its colon (RFC 9112 §5.1). The name is kept trimmed. */
  SPACE_BEFORE_COLON: 'space-before-colon',
  /** A header line continued on the next line (obs-fold, RFC 9112 §5.2). Unfolded with one SP. */
  OBS_FOLD: 'obs-fold',
  /** A header line without a colon. The line is not kept as a field. */
  MISSING_COLON: 'missing-colon',
  /** A method or field name that is not a token (RFC 9110 §5.6.2). */
  INVALID_TOKEN: 'invalid-token',
  /** A field value containing control characters other than HTAB. */
  INVALID_HEADER_VALUE: 'invalid-header-value',
  /** A start line that does not have the request-line / status-line shape (RFC 9112 §3, §4). */
  INVALID_START_LINE: 'invalid-start-line',
  /** An HTTP-version that is not `HTTP/1.DIGIT`. */
  INVALID_VERSION: 'invalid-version',
  /** Several Content-Length values, all equal (accepted as one, RFC 9110 §8.6). */
  MULTIPLE_CONTENT_LENGTH: 'multiple-content-length',
  /** Several different Content-Length values: framing is invalid (RFC 9112 §6.3 ¶5). */
  CONFLICTING_CONTENT_LENGTH: 'conflicting-content-length',
  /** A Content-Length that is not 1*DIGIT: framing is invalid (RFC 9112 §6.3 ¶5). */
  INVALID_CONTENT_LENGTH: 'invalid-content-length',
  /** Content-Length together with Transfer-Encoding; TE wins (RFC 9112 §6.3 ¶3). */
  CONTENT_LENGTH_WITH_TRANSFER_ENCODING: 'content-length-with-transfer-encoding',
  /** A request whose Transfer-Encoding does not end in chunked: framing is invalid (§6.3 ¶4). */
  INVALID_TRANSFER_ENCODING: 'invalid-transfer-encoding',
  /** A chunk-size line that is not HEXDIG [chunk-ext]: the rest of the body cannot be framed. */
  INVALID_CHUNK_SIZE: 'invalid-chunk-size',
  /** Chunk data not followed by CRLF. Parsing assumes the CRLF was left out and goes on. */
  MISSING_CHUNK_CRLF: 'missing-chunk-crlf',
  /** A chunk-size line (extensions included) longer than the limit. */
  CHUNK_EXTENSIONS_OVERFLOW: 'chunk-extensions-overflow',
  /** Bytes after a complete message (declared body) that do not start a message; `length` = how many. */
  EXCESS_AFTER_BODY: 'excess-after-body',
  /** Bytes after a response that cannot have a body (HEAD, 1xx, 204, 304); `length` = how many. */
  BODY_NOT_ALLOWED: 'body-not-allowed',
  /** Bytes skipped while looking for a start line (stream start, after a gap or a framing error). */
  SKIPPED_BYTES: 'skipped-bytes',
  /** The connection closed (FIN/RST) before the message ended. */
  TRUNCATED_BY_CLOSE: 'truncated-by-close',
  /** The capture ended before the message ended. */
  TRUNCATED_BY_CAPTURE_END: 'truncated-by-capture-end',
  /** Bytes of the message are missing from the capture (a StreamGap inside it); `length` if known. */
  GAP_IN_MESSAGE: 'gap-in-message',
  /** The header (or trailer) section exceeded the size limit; the message is abandoned. */
  HEADER_SECTION_TOO_LARGE: 'header-section-too-large',
  /** More outstanding requests than the pairing queue holds; this request is not paired. */
  PENDING_OVERFLOW: 'pending-overflow',
} as const;

export type DeviationCode = (typeof DEVIATION)[keyof typeof DEVIATION];

/**
 * The tolerances the parser applies (always on: an analyzer reads what peers sent). Each one is
 * named here with the deviation it records when it lets something through.
 */
export const LENIENCY = {
  /** LF without CR ends a line (header, chunk-size, trailer, after chunk data). */
  BARE_LF_LINE_END: DEVIATION.BARE_LF,
  /** obs-fold lines are unfolded into the previous field value. */
  OBS_FOLD_UNFOLDED: DEVIATION.OBS_FOLD,
  /** `Name : value` is read as field `Name`. */
  SPACE_BEFORE_COLON_TRIMMED: DEVIATION.SPACE_BEFORE_COLON,
  /** Equal repeated Content-Length values are read as one. */
  REPEATED_CONTENT_LENGTH_MERGED: DEVIATION.MULTIPLE_CONTENT_LENGTH,
  /** Transfer-Encoding overrides Content-Length. */
  TRANSFER_ENCODING_OVERRIDES_LENGTH: DEVIATION.CONTENT_LENGTH_WITH_TRANSFER_ENCODING,
  /** A missing CRLF after chunk data is assumed and the next chunk-size line is read. */
  MISSING_CHUNK_CRLF_ASSUMED: DEVIATION.MISSING_CHUNK_CRLF,
  /** A gap of known length inside a Content-Length, chunk-data or close-delimited body is bridged by arithmetic. */
  BODY_GAP_BRIDGED: DEVIATION.GAP_IN_MESSAGE,
  /** Invalid start lines and field lines are kept (with their deviation) rather than rejected. */
  INVALID_LINES_KEPT: DEVIATION.INVALID_START_LINE,
  /** Empty lines (CR/LF) before a start line are ignored (RFC 9112 §2.2 allows it); no deviation. */
  LEADING_EMPTY_LINES_IGNORED: null,
} as const;

/** One deviation, located. */
export interface Deviation {
  code: DeviationCode;
  /** Stream offset of the first offending byte (of the line, field, or byte run concerned). */
  offset: number;
  /** Human-readable detail, e.g. "Content-Length values 3 and 5 differ". */
  message: string;
  /** Frames that carried the offending bytes (at least the one at `offset`); empty if none were captured. */
  frames: number[];
  /** Byte count, for runs: excess/skipped bytes, missing bytes of a truncation or gap (absent when unknown). */
  length?: number;
  /** Occurrences folded into this record (bare-lf only; absent = 1). */
  count?: number;
}

/**
 * A deviation between messages (skipped bytes, excess after a body, body after a no-body
 * response): it belongs to the byte stream of one direction, not to a message.
 */
export interface StreamDeviation extends Deviation {
  direction: Direction;
  /** Index (in this direction) of the message these bytes followed; 0 = none before them. */
  afterMessage: number;
  /** Set by HttpConnectionAnalyzer: the exchange of the message they followed (null = none). */
  exchange?: number | null;
}

/** One header (or trailer) field line, raw and in order. */
export interface HeaderField {
  /** Field name as sent (case kept; trailing whitespace before the colon removed). */
  name: string;
  /** Field value, latin1-decoded, leading/trailing SP/HTAB removed, obs-fold unfolded. */
  value: string;
  /** Stream offset of the start of the field line. */
  offset: number;
}

export type FramingKind = 'content-length' | 'chunked' | 'close' | 'none' | 'tunnel' | 'invalid';

/**
 * Which RFC 9112 §6.3 case decided the framing:
 * - 'head-response', 'informational' (1xx but 101), 'no-content' (204), 'not-modified' (304): ¶1, no body;
 * - 'switching-protocols' (101) and 'connect-tunnel' (2xx to CONNECT): ¶2, the connection becomes a tunnel;
 * - 'chunked': ¶4, Transfer-Encoding ends in chunked;
 * - 'transfer-encoding-not-chunked': ¶4, a response read until close;
 * - 'invalid-transfer-encoding': ¶4, a request, 400 territory;
 * - 'invalid-content-length': ¶5, bad or conflicting Content-Length;
 * - 'content-length': ¶6;
 * - 'request-without-length': ¶7, no body;
 * - 'response-without-length': ¶8, read until close.
 */
export type FramingReason =
  | 'head-response'
  | 'informational'
  | 'no-content'
  | 'not-modified'
  | 'switching-protocols'
  | 'connect-tunnel'
  | 'chunked'
  | 'transfer-encoding-not-chunked'
  | 'invalid-transfer-encoding'
  | 'invalid-content-length'
  | 'content-length'
  | 'request-without-length'
  | 'response-without-length';

/** How the body length was determined and what arrived. */
export interface Framing {
  /**
   * 'content-length' (declared length), 'chunked', 'close' (until the connection closes), 'none'
   * (no body), 'tunnel' (no body; the connection switched protocols after this message),
   * 'invalid' (the header section made framing undecidable: the bytes that follow are skipped
   * until the next plausible start line).
   */
  kind: FramingKind;
  /** The RFC 9112 §6.3 case that decided it. */
  reason: FramingReason;
  /** Content-Length value (kind 'content-length' only). */
  declared?: number;
  /**
   * Body payload bytes (chunk data only, without chunk framing; bytes lost in a bridged gap
   * included). For 'content-length': compare with `declared`.
   */
  actualBodyBytes: number;
  /**
   * Of `actualBodyBytes`, the bytes the capture lost: holes of known length inside the body that
   * the framing bridged by arithmetic (LENIENCY.BODY_GAP_BRIDGED, each one a 'gap-in-message'
   * deviation). Always present; 0 when every counted body byte was captured. The captured body
   * bytes are `actualBodyBytes - missingBytes`. A gap the framing could not bridge ends the message
   * instead (complete false) and is not counted here.
   */
  missingBytes: number;
  /** Chunked only: number of chunks with data (the last, zero-size chunk is not counted). */
  chunks?: number;
  /** Chunked only: sizes of the first 256 data chunks, in order. */
  chunkSizes?: number[];
  /** Chunked only: raw chunk-ext text (from the first `;`) of the first 32 chunks that had one. */
  chunkExtensions?: string[];
  /** Chunked only: whether the last chunk (size 0) arrived. */
  lastChunk?: boolean;
  /** Chunked only: trailer fields, in order (present once the last chunk arrived). */
  trailers?: HeaderField[];
}

/** One HTTP/1.x message as seen in one direction. */
export interface Message {
  kind: MessageKind;
  /** The TCP direction that carried it. */
  direction: Direction;
  /** 1-based position of the message in its direction. */
  index: number;
  /** The start line as sent (latin1, without its line end); '' while it is incomplete. */
  startLine: string;
  /** Requests: the method token (absent if the start line could not be split). */
  method?: string;
  /** Requests: the request-target. */
  target?: string;
  /** Responses: the status code (absent if not three digits). */
  status?: number;
  /** Responses: the reason phrase ('' when absent). */
  reason?: string;
  /** The HTTP-version token as sent, e.g. 'HTTP/1.1'; null if missing. */
  version: string | null;
  /** Header fields, raw and in order (their number is the header count). */
  headers: HeaderField[];
  /** Bytes of the header section: start line, field lines, and the empty line that ends it. */
  headSize: number;
  /** Body framing; null when the header section never completed. */
  framing: Framing | null;
  /**
   * First `bodyLimit` body payload bytes (a copy; de-chunked). Always the body's first bytes,
   * contiguous: keeping stops at the first bridged gap. Absent when none were kept.
   */
  bodyPrefix?: Uint8Array;
  offsets: {
    /** Offset of the first byte of the start line. */
    headStart: number;
    /** Offset just past the empty line ending the header section; null if it never arrived. */
    headEnd: number | null;
    /** Offset just past the last body byte seen (equals headEnd for no body); null while the head is incomplete. */
    bodyEnd: number | null;
  };
  /** Frames that carried any byte of the header section, in stream order. */
  headerFrames: number[];
  /** Frames that carried any body byte (chunk framing and trailers included), in stream order. */
  bodyFrames: number[];
  firstFrame: number;
  lastFrame: number;
  times: {
    /** Time of the first byte. */
    start: number;
    /** Time of the frame that completed the header section; null if it never completed. */
    headersEnd: number | null;
    /** Time of the last byte seen. */
    end: number;
  };
  /**
   * Every framing step reached its end (false when truncated, abandoned, or cut by a gap the
   * framing could not bridge). Says nothing about whether the bytes were captured: a body whose
   * bytes were lost in a bridged gap is complete; see `bodyCaptured`.
   */
  complete: boolean;
  /**
   * Whether the capture holds the body bytes the framing counted (`framing.actualBodyBytes`):
   * 'all' (also for no body), 'partial' (some lost in bridged gaps: `framing.missingBytes`), or
   * 'none' (a non-empty body of which not one byte was captured).
   */
  bodyCaptured: 'all' | 'partial' | 'none';
  /** Deviations inside the message, in stream order. */
  deviations: Deviation[];
}

/** One request/response pair (Zeek http.log style: one record per pair). */
export interface Exchange {
  /** 1-based position on the connection, in order of request start (unmatched responses take the next index when they arrive). */
  index: number;
  /** null for an unmatched response (no outstanding request). */
  request: Message | null;
  /** Interim 1xx responses (100, 102, 103, …; not 101), in order. */
  interim: Message[];
  /** The final response; null when none arrived (or only interim ones). */
  response: Message | null;
  /** The request started before the previous exchange's final response completed. */
  pipelined: boolean;
  /**
   * A message of this exchange the capture lost whole (its first byte fell in a gap): the
   * request of a response that had none waiting, or the final response of a request whose
   * client went on as if answered. null when both messages were seen (or simply never sent).
   */
  lost: LostMessage | null;
}

/** A message presumed sent but never captured, and the gap it fell in. */
export interface LostMessage {
  message: MessageKind;
  gap: {
    direction: Direction;
    /** Stream offset of the gap's first byte. */
    offset: number;
    /** Bytes missing (null when unknown: the start of the stream was never seen). */
    length: number | null;
    /** The first frame after the gap, or the frame that revealed it (see StreamGap.frameAfter). */
    frameAfter: number;
    cause: GapCause | null;
  };
}

/** The connection switched protocols: bytes after the switch are counted, not parsed. */
export interface ProtocolSwitch {
  /** 'upgrade' after 101 Switching Protocols, 'connect' after a 2xx to CONNECT. */
  kind: 'upgrade' | 'connect';
  /** The exchange whose response switched. */
  exchange: number;
  /** The response's Upgrade field value (101), e.g. 'websocket'; null otherwise. */
  upgradeTo: string | null;
  /** Frame and time of the frame that completed the switching response's header section. */
  frame: number;
  time: number;
  /** Stream offset from which each direction's bytes are opaque (null if none followed). */
  offsets: Record<Direction, number | null>;
}

/** Everything the http stage knows about one connection. */
export interface HttpConnectionResult {
  /** null when no payload byte was seen in either direction. */
  protocol: ProtocolLabel | null;
  /** The direction carrying requests: 'client' unless a mid-stream pickup had the roles reversed. */
  requestDirection: Direction;
  /** Exchanges in index order (empty when `retainExchanges` is false). */
  exchanges: Exchange[];
  /** Deviations between messages and pairing deviations, in the order they were found. */
  deviations: StreamDeviation[];
  protocolSwitch: ProtocolSwitch | null;
  /** Bytes not parsed as HTTP, per direction: the whole connection when it is not 'http', and everything after a protocol switch. */
  uninspectedBytes: Record<Direction, number>;
  /** How the connection ended for the analyzer: a TCP close, the end of the capture, or not yet. */
  end: 'close' | 'capture-end' | null;
}
