/**
 * What the tables and the filter need of an exchange and of a closed connection, kept for every one
 * of a capture: a few dozen bytes, where the models take kilobytes (headers, frame lists, Node's
 * verdicts). The models themselves are kept for the connections still streaming in and the ones
 * looked at lately (TuiStore), and rebuilt from the file for the others (analysis/reanalyse.ts).
 */
import { connectionEnd, type ConnectionEnd } from '../analysis/reanalyse.js';
import type { ConnectionModel, ExchangeModel, FramingModel, MessageModel } from '../model/types.js';
import type { Direction } from '../tcp/stream.js';

export interface ExchangeRow {
  connection: number;
  /** 1-based on the connection. */
  index: number;
  /** The request's method and target (null: no request, or not in its start line). */
  method: string | null;
  target: string | null;
  hasRequest: boolean;
  /** A message the capture lost whole (ExchangeModel.lost): `(not captured)` in the table. */
  lost: 'request' | 'response' | null;
  /** The final response's status (null: no response, or an invalid status line). */
  status: number | null;
  /** Interim and final statuses: `100→200`; `-` when no response came, `lost` when the capture lost it. */
  statusText: string;
  /** Head and body bytes of each message (null when there was none). */
  requestBytes: number | null;
  responseBytes: number | null;
  ttfb: number | null;
  total: number | null;
  /** The response's packing and framing in a word (see packingBadge, framingBadge). */
  packing: string;
  framing: string;
}

/** A closed connection as its row and its detail header show it (flat: one object per connection). */
export interface ConnectionRow {
  firstFrame: number;
  lastFrame: number;
  frames: number;
  clientBytes: number;
  serverBytes: number;
  protocol: string;
  teardown: 'fin' | 'rst' | 'open';
  closedFirstBy: Direction | null;
  history: string;
  duration: number;
  /** How the first pass ended it: what analysing it again must repeat. */
  end: ConnectionEnd;
  /** The first pass's handshake.fallback (a fact across connections), repeated the same way. */
  fallback: number | null;
  /** The capture's first frame time, as the record's `start` counts from it. */
  captureStart: number;
}

export function toExchangeRow(x: ExchangeModel): ExchangeRow {
  return {
    connection: x.connection,
    index: x.index,
    method: x.request?.method ?? null,
    target: x.request?.target ?? null,
    hasRequest: x.request !== null,
    lost: x.lost?.message ?? null,
    status: x.response?.status ?? null,
    statusText: statusText(x),
    requestBytes: messageBytes(x.request),
    responseBytes: messageBytes(x.response),
    ttfb: x.timing.ttfb,
    total: x.timing.total,
    packing: packingBadge(x.response),
    framing: framingBadge(x.response?.framing ?? null),
  };
}

export function toConnectionRow(c: ConnectionModel): ConnectionRow {
  return {
    firstFrame: c.firstFrame,
    lastFrame: c.lastFrame,
    frames: c.frames.total,
    clientBytes: c.bytes.client,
    serverBytes: c.bytes.server,
    protocol: c.protocol,
    teardown: c.teardown.kind,
    closedFirstBy: c.teardown.closedFirstBy,
    history: c.history,
    duration: c.duration,
    end: connectionEnd(c),
    fallback: c.handshake.fallback,
    captureStart: c.startTime - c.start,
  };
}

/** The final status, with 1xx interim responses inline: `100→200`; `-` when no response came, `lost` when the capture lost it. */
export function statusText(x: ExchangeModel): string {
  const final = x.response?.status ?? null;
  const interim = x.interim.map((m) => m.status ?? '?');
  const missing = x.lost?.message === 'response' ? 'lost' : '-';
  const parts = [...interim, final ?? (x.response === null ? missing : '?')];
  return parts.join('→');
}

/** Head and body bytes of a message (null when there was none). */
function messageBytes(m: MessageModel | null): number | null {
  return m === null ? null : m.headSize + (m.framing?.actualBodyBytes ?? 0);
}

/** The response's packing verdict in a word: packed, hdrs alone (headers in a segment of their own), split, or blank. */
export function packingBadge(m: MessageModel | null): string {
  if (m === null) return '';
  switch (m.packing.verdict) {
    case 'packed':
      return m.packing.headerSplit ? 'split' : 'packed';
    case 'headers-only-segment':
      return m.packing.headerSplit ? 'split' : 'hdrs alone';
    case 'incomplete':
      return 'incompl.';
    default:
      return m.packing.headerSplit ? 'split' : '';
  }
}

/** `CL 15`, `chunked ×4`, `close`, `none`, `tunnel`, `invalid`. */
export function framingBadge(f: FramingModel | null): string {
  if (f === null) return '';
  switch (f.kind) {
    case 'content-length':
      return `CL ${f.declared ?? '?'}`;
    case 'chunked':
      return `chunked ×${f.chunks ?? 0}`;
    default:
      return f.kind;
  }
}
