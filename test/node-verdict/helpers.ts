/** Runs the analysis with Node's verdict on a capture and returns every message's verdict, in order. */
import { analyse } from '../../src/analysis/analysis.js';
import type { ExchangeModel, MessageModel } from '../../src/model/types.js';
import type { NodeParserSettings, NodeVerdict } from '../../src/node-verdict/types.js';

export const DEFAULT_SETTINGS: NodeParserSettings = { maxHeaderSize: null, insecureHTTPParser: false };

export interface Verdicts {
  exchanges: ExchangeModel[];
  /** "request 1", "interim 1", "response 1" … → the message's verdict without the `parser` field. */
  byMessage: Record<string, Omit<NodeVerdict, 'parser'> | null>;
}

export async function verdictsOf(file: string, settings: NodeParserSettings = DEFAULT_SETTINGS): Promise<Verdicts> {
  const exchanges: ExchangeModel[] = [];
  await analyse(file, { nodeVerdict: settings }, { exchange: (x) => exchanges.push(x) });
  exchanges.sort((a, b) => a.connection - b.connection || a.index - b.index);
  const byMessage: Verdicts['byMessage'] = {};
  const put = (key: string, m: MessageModel) => {
    if (m.node === null) byMessage[key] = null;
    else {
      const { parser: _p, ...rest } = m.node;
      byMessage[key] = rest;
    }
  };
  for (const x of exchanges) {
    const id = exchanges.some((o) => o.connection !== x.connection) ? `${x.connection}.${x.index}` : `${x.index}`;
    if (x.request !== null) put(`request ${id}`, x.request);
    x.interim.forEach((m, i) => put(`interim ${id}.${i + 1}`, m));
    if (x.response !== null) put(`response ${id}`, x.response);
  }
  return { exchanges, byMessage };
}

/** A verdict with every key, for toEqual: `accepted` and what Node saw, or Node's stop. */
export function accepted(fields: Partial<Omit<NodeVerdict, 'parser'>>): Omit<NodeVerdict, 'parser'> {
  return { accepted: true, code: null, reason: null, offset: null, frame: null, method: null, url: null, status: null, headers: null, bodyBytes: null, next: null, differs: [], ...fields };
}

export function rejected(fields: Partial<Omit<NodeVerdict, 'parser'>>): Omit<NodeVerdict, 'parser'> {
  return { ...accepted(fields), accepted: false, ...fields };
}
