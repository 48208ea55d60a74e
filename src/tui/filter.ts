/**
 * The `/` filter: space-separated terms, all of which must match an exchange.
 *   status:4xx  status:404  status:none    the final response's status (class, code, or no response)
 *   status:lost                            the response fell in a capture gap (the table's `lost`)
 *   method:POST                            the request method (case-insensitive)
 *   rule:content-length-*                  a finding of that rule on the exchange (`*` matches any run)
 *   conn:3                                 the connection id
 *   severity:error                         a finding of that severity on the exchange
 *   anything else                          a case-insensitive substring of the request target
 */
import type { Severity } from '../lint/types.js';
import type { ExchangeRow } from './exchange-row.js';

export type FilterTerm =
  | { kind: 'status'; code: number | null; class: number | null; missing: 'none' | 'lost' | null }
  | { kind: 'method'; method: string }
  | { kind: 'rule'; pattern: RegExp }
  | { kind: 'conn'; id: number }
  | { kind: 'severity'; severity: Severity }
  | { kind: 'text'; text: string };

export interface Filter {
  /** The text as typed. */
  source: string;
  terms: FilterTerm[];
}

/** What the filter looks at: the exchange and the findings on it. */
export interface FilterSubject {
  exchange: ExchangeRow;
  findings: readonly { ruleId: string; severity: Severity }[];
}

export class FilterError extends Error {}

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];

/** Parses the filter text; throws FilterError (one line, shown in the status bar) for a bad term. */
export function parseFilter(source: string): Filter {
  const terms = source
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '')
    .map(parseTerm);
  return { source: source.trim(), terms };
}

function parseTerm(term: string): FilterTerm {
  const colon = term.indexOf(':');
  const key = colon > 0 ? term.slice(0, colon).toLowerCase() : '';
  const value = colon > 0 ? term.slice(colon + 1) : '';
  switch (key) {
    case 'status':
      return statusTerm(value);
    case 'method':
      if (value === '') throw new FilterError('method: needs a method, e.g. method:POST');
      return { kind: 'method', method: value.toUpperCase() };
    case 'rule':
      if (value === '') throw new FilterError('rule: needs a rule id, e.g. rule:content-length-*');
      return { kind: 'rule', pattern: globPattern(value) };
    case 'conn': {
      if (!/^\d+$/.test(value)) throw new FilterError(`conn: needs a connection id, not '${value}'`);
      return { kind: 'conn', id: Number(value) };
    }
    case 'severity': {
      const severity = value.toLowerCase() as Severity;
      if (!SEVERITIES.includes(severity)) throw new FilterError(`severity: is error, warning or note, not '${value}'`);
      return { kind: 'severity', severity };
    }
    default:
      return { kind: 'text', text: term.toLowerCase() };
  }
}

function statusTerm(value: string): FilterTerm {
  const v = value.toLowerCase();
  if (v === 'none' || v === 'lost') return { kind: 'status', code: null, class: null, missing: v };
  if (/^[1-5]xx$/.test(v)) return { kind: 'status', code: null, class: Number(v[0]), missing: null };
  if (/^\d{3}$/.test(v)) return { kind: 'status', code: Number(v), class: null, missing: null };
  throw new FilterError(`status: is a code (404), a class (4xx), none or lost, not '${value}'`);
}

/** A rule id glob (`*` any run of characters) as an anchored, case-insensitive RegExp. */
function globPattern(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

export function matchesFilter(filter: Filter, subject: FilterSubject): boolean {
  return filter.terms.every((term) => matchesTerm(term, subject));
}

function matchesTerm(term: FilterTerm, { exchange, findings }: FilterSubject): boolean {
  switch (term.kind) {
    case 'status': {
      const status = exchange.status;
      // As the table shows them: `-` no response came, `lost` the capture lost it.
      if (term.missing !== null) return status === null && (exchange.lost === 'response') === (term.missing === 'lost');
      if (status === null) return false;
      return term.code !== null ? status === term.code : Math.floor(status / 100) === term.class;
    }
    case 'method':
      return (exchange.method ?? '').toUpperCase() === term.method;
    case 'rule':
      return findings.some((f) => term.pattern.test(f.ruleId));
    case 'conn':
      return exchange.connection === term.id;
    case 'severity':
      return findings.some((f) => f.severity === term.severity);
    case 'text':
      return (exchange.target ?? '').toLowerCase().includes(term.text);
  }
}
