/**
 * Node's own verdict on a connection's bytes (see verdict-stage.ts): what Node's parser read on
 * each side, and the per-message verdict the model carries (`MessageModel.node`).
 */

/** The Node.js options that change what its parser accepts (`--node-max-header-size`, `--node-insecure-http-parser`). */
export interface NodeParserSettings {
  /** Node's `maxHeaderSize` (bytes); null: Node's default (16 KiB, or --max-http-header-size). */
  maxHeaderSize: number | null;
  /** Node's `insecureHTTPParser` (lenient llhttp). */
  insecureHTTPParser: boolean;
}

/** Node's own defaults: what the verdict uses unless told otherwise. */
export const NODE_DEFAULTS: NodeParserSettings = { maxHeaderSize: null, insecureHTTPParser: false };

/**
 * Header fields Node's default maxHeadersCount puts in `message.headers`: the first 1000 (the
 * parser's maxHeaderPairs, 2000, counts names and values). Its `rawHeaders` holds more: the
 * parser's list stops growing past 2000 entries only at the end of a 32-field flush (1023 fields
 * measured on Node 20.20 for 1102 or 2002 sent).
 */
export const NODE_HEADERS_KEPT = 1000;

/** What Node's parser made of one message (`report --json`: `node` on every message). */
export interface NodeVerdict {
  /** Node delivered the message: a server 'request' (or 'upgrade'/'connect'), a client 'response' or 'information'. */
  accepted: boolean;
  /**
   * Node's error at or after this message, before the next one: an llhttp code (`HPE_*`), or
   * `ECONNRESET` when the connection closed inside the message ('aborted', 'socket hang up'). Null
   * when Node found nothing wrong (or never reached this message: see `next`).
   */
  code: string | null;
  /** llhttp's reason ("Invalid method encountered", "Expected HTTP/") or the error message. */
  reason: string | null;
  /** Offset in this direction's byte stream where Node stopped (llhttp's position); null without an HPE_ error. */
  offset: number | null;
  /** The frame that carried the byte at `offset`. */
  frame: number | null;
  /** Method, URL, status as Node saw them (null when not accepted, or not applicable). */
  method: string | null;
  url: string | null;
  status: number | null;
  /** Header fields in Node's `rawHeaders` (`rawHeaders.length / 2`); `message.headers` takes the first NODE_HEADERS_KEPT of them. */
  headers: number | null;
  /** Body bytes Node delivered ('data' events). */
  bodyBytes: number | null;
  /** What Node does next: "400 Bad Request and close", "'error' event (HPE_…)", "'aborted'", "never parsed: …". */
  next: string | null;
  /**
   * Where Node, having accepted the message, read it differently from wirelens' parser: "Node's
   * rawHeaders has 1023 header fields, wirelens read 1102", "Node read 3 B of body, wirelens 4 B", "Node read the
   * status as 200, wirelens as null". Empty when they agree (or Node did not accept it).
   */
  differs: string[];
  /** The Node.js and llhttp versions whose parser gave the verdict, e.g. "node 20.20.2, llhttp 9.3.1". */
  parser: string;
}

/** One message as Node's parser read it, in the order it read them on that side. */
export interface NodeMessage {
  interim: boolean;
  method: string | null;
  url: string | null;
  status: number | null;
  /** Header fields in Node's `rawHeaders` (its length / 2). */
  headers: number;
  /** Body bytes Node delivered. */
  bodyBytes: number;
  /** The message's body ended (false: the connection closed or an error came first). */
  complete: boolean;
  /** Node parsed the message but answered it itself instead of delivering it ("400 Bad Request and close: …"); null: delivered. */
  refused: string | null;
  /** The chunk the head ended in (stream offsets): where attach.ts matches it to wirelens' message. */
  chunkStart: number;
  chunkEnd: number;
  /** Its Content-Length when that alone frames the body (no Transfer-Encoding); null otherwise. */
  contentLength: number | null;
}

/** Where and why Node stopped reading one side. */
export interface NodeStop {
  code: string;
  reason: string;
  /** Stream offset (null for a close: 'aborted', 'socket hang up'). */
  offset: number | null;
  frame: number | null;
  next: string;
}

export function parserVersion(): string {
  return `node ${process.versions.node}, llhttp ${process.versions.llhttp ?? 'unknown'}`;
}
