/**
 * What the export formats (HAR, Zeek, NDJSON) share: how an exporter hands on its records and the
 * few derived values every format states the same way.
 *
 * An exporter is an AnalysisSubscriber that turns each model record into text the moment the record
 * is final and hands it to `emit` with a kind ('entry' / 'finding' for HAR, 'conn' / 'http' /
 * 'wirelens' for Zeek, 'record' for NDJSON). Where the text goes — a file, standard output, the
 * main thread from a worker — is the caller's: the same exporter serves every output layout.
 */
import type { ExchangeModel, MessageModel } from '../model/types.js';

export type Emit = (kind: string, text: string) => void;

/** Body bytes as they crossed the wire (chunk framing included): from the end of the head to the end of the body. */
export function wireBodyBytes(m: MessageModel): number {
  const { headEnd, bodyEnd } = m.offsets;
  if (headEnd === null) return 0;
  return (bodyEnd ?? headEnd + (m.framing?.actualBodyBytes ?? 0)) - headEnd;
}

/** The request target's path, without the query (absolute-form targets reduced to their path). */
export function targetPath(target: string | null): string | null {
  if (target === null) return null;
  let path = target;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(path);
  if (scheme !== null) path = path.slice(scheme[0].length) || '/';
  const q = path.search(/[?#]/);
  return q < 0 ? path : path.slice(0, q);
}

/** The exchange's key in the findings waiting for it. */
export function exchangeKey(connection: number, exchange: number): string {
  return `${connection}:${exchange}`;
}

/** Which message stopped short, if one did: the request, else the response (null when both completed). */
export function stalled(x: ExchangeModel): 'request' | 'response' | null {
  if (x.request !== null && !x.request.complete) return 'request';
  if (x.response !== null && !x.response.complete) return 'response';
  return null;
}
