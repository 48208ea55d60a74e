/**
 * Projects wirelens's `report --json` / `conns --json` output onto the shape of
 * `captures/<name>.expected.json` (written from tshark by captures/expected.mjs), so that
 * `expect(project(...)).toEqual(expected)` shows exactly which field differs.
 *
 * Every expected file has the common facts (always projected). A few scenario-making extras are
 * asserted only where the expected file has the key, and then always with the meaning below:
 * - `close.afterLastData`: seconds from the last data byte (any message, either direction) before
 *   the first FIN/RST to that FIN/RST;
 * - `reuse.keepAlive` / `reuse.connectionClose` / `reuse.idleBefore`: the model's reuse fields;
 * - `delays.responseAfterRequestStart`: first byte of the final response − first byte of the request;
 * - `delays.bodyAfterHeaders`: last byte of the final response − end of its header section;
 * - `request.framing`: the request's framing (requests that declare a body or never finish their head);
 * - `request.startLine` instead of `method`/`target`: an unusable start line (15).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import type { ConnectionModel, ExchangeModel, FramingModel, MessageModel } from '../../src/model/types.js';
import type { Deviation, StreamDeviation } from '../../src/http/types.js';
import type { NestedConnection, NestedReport } from '../helpers/report-json.js';

/** The public rule ids, copied exactly from BEHAVIOURS.md §2 (stable names users put in configs). */
export const PUBLIC_RULE_IDS = [
  // Connections and keep-alive
  'connection-per-request', 'keepalive-reuse-race', 'request-after-connection-close', 'max-requests-per-socket',
  'keepalive-hint-too-short', 'keepalive-timeout-mismatch', 'connection-reset', 'connection-refused',
  'handshake-incomplete',
  // Message framing
  'content-length-overrun', 'content-length-underrun', 'incomplete-message', 'response-stalled-after-headers',
  'no-response', 'empty-reply', 'conflicting-framing', 'invalid-chunk', 'body-not-allowed', 'malformed-message',
  // Pairing
  'unmatched-response', 'unanswered-request',
  // Header/body packing and timing
  'headers-flushed-separately', 'slow-request-headers', 'pipelining',
  // Server protections and status codes Node sends by itself
  'request-timeout', 'header-overflow', 'bad-request', 'service-unavailable-drop',
  // Headers
  'duplicate-header', 'missing-host', 'too-many-headers',
  // Capture quality
  'capture-gap', 'retransmission', 'truncated-frames',
] as const;

// ------------------------------------------------------------------ the expected files' shape

export interface ExpectedDeviation { code: string; frames: number[]; length?: number; direction?: string }
export interface ExpectedFraming { kind: string; actualBodyBytes: number; declared?: number; chunks?: number; lastChunk?: boolean }
export interface ExpectedMessage {
  method?: string | null;
  target?: string | null;
  startLine?: string;
  status?: number;
  complete: boolean;
  headerFrames: number[];
  bodyFrames: number[];
  packing: string;
  framing?: ExpectedFraming | null;
  deviations: ExpectedDeviation[];
}
export interface ExpectedExchange {
  index: number;
  pipelined: boolean;
  /** Which message the capture lost whole (ExchangeModel.lost), asserted where the file has capture loss. */
  lost?: 'request' | 'response' | null;
  request: ExpectedMessage | null;
  interim: { status: number; headerFrames: number[] }[];
  response: ExpectedMessage | null;
  reuse: {
    index: number;
    keepAlive?: { timeout: number | null; max: number | null } | null;
    connectionClose?: { request: boolean; response: boolean };
    idleBefore?: number | null;
  };
  delays?: { responseAfterRequestStart?: number; bodyAfterHeaders?: number };
}
export interface ExpectedClose {
  kind: 'fin' | 'rst' | 'open';
  by: 'client' | 'server' | null;
  clientFin: number | null;
  serverFin: number | null;
  clientRst: number | null;
  serverRst: number | null;
  halfClosed: boolean;
  afterLastData?: number | null;
}
export interface ExpectedConnection {
  id: number;
  server: string;
  protocol: string;
  handshake: { syn: number | null; synAck: number | null; ack: number | null };
  close: ExpectedClose;
  keepAlives: { client: number; server: number };
  /** tshark's keep-alive probes sent into a closed window (captures/checks.mjs). */
  zeroWindowProbes: { client: number; server: number };
  exchanges: ExpectedExchange[];
  deviations: ExpectedDeviation[];
  protocolSwitch: { kind: string; exchange: number; upgradeTo: string | null; frame: number } | null;
  uninspectedBytes: { client: number; server: number };
}
export interface ExpectedFile {
  capture: string;
  scenario: { number: number | null; name: string };
  description: string;
  frames: number;
  connections: ExpectedConnection[];
  rules: string[];
  /** At least one of these as well (BEHAVIOURS §4.12: "+ slow-request-headers / incomplete-message"). */
  rulesAnyOf?: string[];
  notes?: string;
}

/** The keys every expected file must have (a file cannot drop an assertion by leaving one out). */
export const REQUIRED = {
  file: ['capture', 'scenario', 'description', 'frames', 'connections', 'rules'],
  connection: ['id', 'server', 'protocol', 'handshake', 'close', 'keepAlives', 'zeroWindowProbes', 'exchanges', 'deviations', 'protocolSwitch', 'uninspectedBytes'],
  exchange: ['index', 'pipelined', 'request', 'interim', 'response', 'reuse'],
  message: ['complete', 'headerFrames', 'bodyFrames', 'packing', 'deviations'],
} as const;

// ------------------------------------------------------------------ report --json

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const has = (o: object | null | undefined, key: string): boolean => !!o && Object.prototype.hasOwnProperty.call(o, key);

function deviation(d: Deviation): ExpectedDeviation {
  const out: ExpectedDeviation = { code: d.code, frames: d.frames };
  if (d.length !== undefined) out.length = d.length;
  return out;
}

function streamDeviation(d: StreamDeviation): ExpectedDeviation {
  const out: ExpectedDeviation = { code: d.code, direction: d.direction, frames: d.frames };
  if (d.length !== undefined) out.length = d.length;
  return out;
}

function framing(f: FramingModel | null): ExpectedFraming | null {
  if (f === null) return null;
  const out: ExpectedFraming = { kind: f.kind, actualBodyBytes: f.actualBodyBytes };
  if (f.kind === 'content-length') out.declared = f.declared as number;
  if (f.kind === 'chunked') {
    out.chunks = f.chunks as number;
    out.lastChunk = f.lastChunk as boolean;
  }
  return out;
}

function message(m: MessageModel, e: ExpectedMessage | null | undefined): ExpectedMessage {
  const out: ExpectedMessage = {} as ExpectedMessage;
  if (m.kind === 'request') {
    if (has(e, 'startLine')) out.startLine = m.startLine;
    else Object.assign(out, { method: m.method ?? null, target: m.target ?? null });
  } else {
    out.status = m.status as number; // null (an invalid status line) stays null, so it differs visibly
  }
  Object.assign(out, {
    complete: m.complete,
    headerFrames: m.packing.headerFrames,
    bodyFrames: m.packing.bodyFrames,
    packing: m.packing.verdict,
  });
  if (m.kind === 'response' || has(e, 'framing')) out.framing = framing(m.framing);
  out.deviations = m.deviations.map(deviation);
  return out;
}

function exchange(x: ExchangeModel, e: ExpectedExchange | undefined): ExpectedExchange {
  const reuse: ExpectedExchange['reuse'] = { index: x.reuse.index };
  if (has(e?.reuse, 'keepAlive')) reuse.keepAlive = x.reuse.keepAlive;
  if (has(e?.reuse, 'connectionClose')) reuse.connectionClose = x.reuse.connectionClose;
  if (has(e?.reuse, 'idleBefore')) reuse.idleBefore = x.reuse.idleBefore === null ? null : round6(x.reuse.idleBefore);
  const out: ExpectedExchange = {
    index: x.index,
    pipelined: x.pipelined,
    request: x.request ? message(x.request, e?.request) : null,
    interim: x.interim.map((m) => ({ status: m.status as number, headerFrames: m.packing.headerFrames })),
    response: x.response ? message(x.response, e?.response) : null,
    reuse,
  };
  if (has(e, 'lost')) out.lost = x.lost?.message ?? null;
  if (e?.delays) {
    const delays: NonNullable<ExpectedExchange['delays']> = {};
    const q = x.request;
    const r = x.response;
    if (has(e.delays, 'responseAfterRequestStart') && q && r) delays.responseAfterRequestStart = round6(r.times.start - q.times.start);
    // The last byte, not `times.end`: a close-delimited body ends at the FIN, an unfinished one has no end.
    if (has(e.delays, 'bodyAfterHeaders') && r && r.times.headersEnd !== null) delays.bodyAfterHeaders = round6(r.times.lastByte - r.times.headersEnd);
    out.delays = delays;
  }
  return out;
}

/** Seconds from the last data byte before the first FIN/RST to it (null without a close or data). */
function afterLastData(c: NestedConnection): number | null {
  const t = c.teardown;
  const closes = [t.clientFin, t.serverFin, t.clientRst, t.serverRst].filter((f) => f !== null).map((f) => f.time);
  if (!closes.length) return null;
  const first = Math.min(...closes);
  const ends = c.exchanges
    .flatMap((x) => [x.request, ...x.interim, x.response])
    .filter((m): m is MessageModel => m !== null)
    .map((m) => m.times.lastByte)
    .filter((end) => end <= first);
  return ends.length ? round6(first - Math.max(...ends)) : null;
}

function close(c: NestedConnection, e: ExpectedClose | undefined): ExpectedClose {
  const t = c.teardown;
  const out: ExpectedClose = {
    kind: t.kind,
    by: t.closedFirstBy,
    clientFin: t.clientFin?.frame ?? null,
    serverFin: t.serverFin?.frame ?? null,
    clientRst: t.clientRst?.frame ?? null,
    serverRst: t.serverRst?.frame ?? null,
    halfClosed: t.halfClosed,
  };
  if (has(e, 'afterLastData')) out.afterLastData = afterLastData(c);
  return out;
}

function connection(c: NestedConnection, e: ExpectedConnection | undefined): ExpectedConnection {
  const ps = c.protocolSwitch;
  return {
    id: c.id,
    server: c.server,
    protocol: c.protocol,
    handshake: { syn: c.handshake.syn?.frame ?? null, synAck: c.handshake.synAck?.frame ?? null, ack: c.handshake.ack?.frame ?? null },
    close: close(c, e?.close),
    keepAlives: { client: c.keepAlives.client, server: c.keepAlives.server },
    zeroWindowProbes: { client: c.zeroWindowProbes.client, server: c.zeroWindowProbes.server },
    exchanges: c.exchanges.map((x, i) => exchange(x, e?.exchanges[i])),
    deviations: c.deviations.map(streamDeviation),
    protocolSwitch: ps ? { kind: ps.kind, exchange: ps.exchange, upgradeTo: ps.upgradeTo, frame: ps.frame } : null,
    uninspectedBytes: { client: c.uninspectedBytes.client, server: c.uninspectedBytes.server },
  };
}

/** The part of an expected file that `report --json` is compared with. */
export function expectedReportPart(e: ExpectedFile): { frames: number; connections: ExpectedConnection[] } {
  return { frames: e.frames, connections: e.connections };
}

export function projectReport(model: NestedReport, e: ExpectedFile): { frames: number; connections: ExpectedConnection[] } {
  return { frames: model.frames, connections: model.connections.map((c, i) => connection(c, e.connections[i])) };
}

// ------------------------------------------------------------------ conns --json

type ConnsFacts = Pick<ExpectedConnection, 'id' | 'server' | 'handshake' | 'keepAlives' | 'zeroWindowProbes'> & { close: Omit<ExpectedClose, 'afterLastData'> };

/** `conns --json` (the same connection records as report's): handshake, keep-alives and teardown frames. */
export function projectConns(out: { frames: number; connections: ConnectionModel[] }): { frames: number; connections: ConnsFacts[] } {
  const f = (r: { frame: number } | null): number | null => r?.frame ?? null;
  return {
    frames: out.frames,
    // conns --json streams connections as they end: compare in id order.
    connections: [...out.connections].sort((a, b) => a.id - b.id).map((c) => ({
      id: c.id,
      server: c.server,
      handshake: { syn: f(c.handshake.syn), synAck: f(c.handshake.synAck), ack: f(c.handshake.ack) },
      keepAlives: { client: c.keepAlives.client, server: c.keepAlives.server },
      zeroWindowProbes: { client: c.zeroWindowProbes.client, server: c.zeroWindowProbes.server },
      close: {
        kind: c.teardown.kind, by: c.teardown.closedFirstBy,
        clientFin: f(c.teardown.clientFin), serverFin: f(c.teardown.serverFin),
        clientRst: f(c.teardown.clientRst), serverRst: f(c.teardown.serverRst),
        halfClosed: c.teardown.halfClosed,
      },
    })),
  };
}

export function expectedConnsPart(e: ExpectedFile): { frames: number; connections: ConnsFacts[] } {
  return {
    frames: e.frames,
    connections: e.connections.map((c) => {
      const { afterLastData: _ignored, ...closeFacts } = c.close;
      return { id: c.id, server: c.server, handshake: c.handshake, keepAlives: c.keepAlives, zeroWindowProbes: c.zeroWindowProbes, close: closeFacts };
    }),
  };
}

// ------------------------------------------------------------------ tolerance for delays

const DELAY_KEYS = new Set(['afterLastData', 'idleBefore', 'responseAfterRequestStart', 'bodyAfterHeaders']);

/** Delays (seconds, µs resolution) compare within 5 µs; everything else exactly. */
export function withTolerance<T>(value: T): T {
  const walk = (v: unknown, key: string | null): unknown => {
    if (typeof v === 'number' && key !== null && DELAY_KEYS.has(key)) return expect.closeTo(v, 5);
    if (Array.isArray(v)) return v.map((x) => walk(x, null));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value, null) as T;
}

// ------------------------------------------------------------------ lint (once src/lint exists)

export const LINT_MODULE = join(import.meta.dirname, '..', '..', 'src', 'lint', 'index.ts');

/** The engine and at least one built-in rule (rules/<id>.ts besides rules/index.ts) exist. */
export const lintAvailable = (): boolean =>
  existsSync(LINT_MODULE) && readdirSync(join(import.meta.dirname, '..', '..', 'rules')).some((f) => f.endsWith('.ts') && f !== 'index.ts');

/**
 * The rule ids the built-in rules report for a capture: src/lint's `lintFile` over the capture the
 * model was read from (`model.file`, the path `report --json` was given).
 */
export async function lintRuleIds(model: { file: string }, options: { nodeVerdict?: null } = {}): Promise<string[]> {
  return [...new Set((await lintFindings(model, options)).map((f) => f.ruleId))].sort();
}

/** Every finding of `lintFile` on the capture, rule id and message. */
export async function lintFindings(model: { file: string }, options: { nodeVerdict?: null } = {}): Promise<Array<{ ruleId: string; message: string }>> {
  const mod = (await import(pathToFileURL(LINT_MODULE).href)) as typeof import('../../src/lint/index.js');
  return (await mod.lintFile(model.file, options)).findings;
}
