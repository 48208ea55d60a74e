/**
 * Node's own HTTP parser: the llhttp binding its `http` module parses every socket with
 * (`_http_common`'s HTTPParser, the same object `http.Server` and `http.request` allocate), driven
 * here directly and synchronously. `_http_common` is an internal module but a public require name
 * (no deprecation warning, unlike `process.binding('http_parser')`).
 */
import { createRequire } from 'node:module';
import { NODE_HEADERS_KEPT, type NodeParserSettings } from './types.js';

/** The parse error `execute()`/`finish()` return (they do not throw): llhttp's code and position. */
export interface ParseError extends Error {
  code: string;
  reason: string;
  bytesParsed: number;
}

export interface HttpParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenientFlags: number): void;
  execute(bytes: Uint8Array): number | ParseError;
  finish(): undefined | ParseError;
  resume(): void;
  close(): void;
  [callback: number]: unknown;
}

interface HttpParserBinding {
  new (): HttpParser;
  REQUEST: number;
  RESPONSE: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
  kLenientAll: number;
  kLenientNone: number;
}

const common = createRequire(import.meta.url)('_http_common') as { HTTPParser: HttpParserBinding; methods: string[] };

export const HTTPParser = common.HTTPParser;
/** Method names by llhttp's method index (what kOnHeadersComplete passes a server parser). */
export const METHODS = common.methods;

/**
 * Node's default `maxHeadersCount` (2000) as the parser's `maxHeaderPairs` (lib/_http_common.js
 * MAX_HEADER_PAIRS): `_headers` stops growing past it, counted in names and values alike.
 */
export const MAX_HEADER_PAIRS = 2 * NODE_HEADERS_KEPT;

/** kOnHeadersComplete's return values (lib/_http_client.js, lib/_http_server.js). */
export const SKIP_BODY = 1;
export const UPGRADE = 2;
/** llhttp's HPE_PAUSED: returned by kOnHeadersComplete, it stops `execute()` right after the head. */
export const PAUSED = 21;

/**
 * Parsers of connections that ended, for the next ones (Node's http module keeps such a free list
 * of 1000 too): a parser's native memory goes only when the collector finalises its small JS
 * object, so on 10^5 short connections fresh parsers pile up by the gigabyte.
 */
const free: HttpParser[] = [];
const FREE_MAX = 1000;

/** A parser of `type` as Node's http module sets it up for these settings (from the free list when it can). */
export function newParser(type: number, settings: NodeParserSettings): HttpParser {
  const parser = free.pop() ?? new HTTPParser();
  initialize(parser, type, settings);
  return parser;
}

/** The connection is done with `parser`: it is kept for reuse, or closed (its native memory freed). */
export function releaseParser(parser: HttpParser): void {
  if (free.length < FREE_MAX) free.push(parser);
  else parser.close();
}

/** (Re)initialises a parser, as Node does for each socket: 0 is Node's default maxHeaderSize (--max-http-header-size). */
export function initialize(parser: HttpParser, type: number, settings: NodeParserSettings): void {
  parser.initialize(type, {}, settings.maxHeaderSize ?? 0, settings.insecureHTTPParser ? HTTPParser.kLenientAll : HTTPParser.kLenientNone);
}

export function isParseError(result: unknown): result is ParseError {
  return result instanceof Error;
}
