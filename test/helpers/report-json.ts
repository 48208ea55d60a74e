/**
 * `report --json` (schemaVersion 2) is a stream of records: exchange records as each exchange
 * completes, connection records as each connection ends and settles, then the capture summary.
 * Tests mostly want the old view — connections in id order, each with its exchanges in index order
 * — so they can compare field by field. `nestReport` builds that view and, on the way, checks the
 * stream's own contract, so every test that reads a report also asserts it:
 *   - every record has a known `type`, every connection id appears once;
 *   - every exchange record comes before its connection's record and names a connection that has one;
 *   - a connection's `exchanges` count equals its exchange records, whose indexes are 1..n, once each;
 *   - the summary's `connections` and `exchanges` counts equal the records (unless `--conn` filtered them);
 *   - a finding record names a connection (and exchange) that has a record — it may come before or
 *     after it: a rule reports when it is certain, which for some is only at a later event —, and the
 *     summary's finding counts equal the finding records.
 */
import { expect } from 'vitest';
import type { CaptureSummary, ConnectionModel, ExchangeModel } from '../../src/model/types.js';
import { capture } from './captures.js';
import { runCli } from './cli.js';

export type ExchangeRecord = { type: 'exchange' } & ExchangeModel;
export type ConnectionRecord = { type: 'connection' } & ConnectionModel;
/** A finding as report --json writes it: the shape of lint --format json's findings. */
export type FindingRecord = { ruleId: string; severity: 'error' | 'warning' | 'note'; message: string; connection: number | null; exchange: number | null; frames: number[] };

/** `report --json` as printed: the opening, the records, the summary fields. */
export type ReportDocument = CaptureSummary & { records: Array<ExchangeRecord | ConnectionRecord | ({ type: 'finding' } & FindingRecord)> };

/** A connection record with its exchanges (sorted by index) in place of the count. */
export type NestedConnection = Omit<ConnectionModel, 'exchanges'> & { exchanges: ExchangeModel[] };

/** The summary plus the connections (sorted by id), each with its exchanges; the array replaces the summary's count. */
export type NestedReport = Omit<CaptureSummary, 'connections'> & { connections: NestedConnection[]; findingRecords: FindingRecord[] };

/**
 * `conns --json`: the connection records (in the order they ended) and the summary (whose count is
 * the array's length; its HTTP counts are null, as conns does not parse HTTP).
 */
export type ConnsDocument = Omit<CaptureSummary, 'connections' | 'exchanges' | 'statusClasses' | 'deviations'> & {
  connections: ConnectionModel[];
  exchanges: null;
  statusClasses: null;
  deviations: null;
};

export function nestReport(doc: ReportDocument, filtered = false): NestedReport {
  const { records, ...summary } = doc;
  const connections = new Map<number, ConnectionModel>();
  const exchanges = new Map<number, ExchangeModel[]>();
  const findings: FindingRecord[] = [];
  const seenExchanges = new Set<string>();
  records.forEach((record, i) => {
    const { type, ...rest } = record;
    if (type === 'finding') {
      const f = rest as FindingRecord;
      findings.push(f);
    } else if (type === 'exchange') {
      const x = rest as ExchangeModel;
      if (connections.has(x.connection)) throw new Error(`record ${i}: exchange ${x.index} of connection ${x.connection} came after the connection's record`);
      const list = exchanges.get(x.connection) ?? [];
      seenExchanges.add(`${x.connection}/${x.index}`);
      list.push(x);
      exchanges.set(x.connection, list);
    } else if (type === 'connection') {
      const c = rest as ConnectionModel;
      if (connections.has(c.id)) throw new Error(`record ${i}: connection ${c.id} twice`);
      connections.set(c.id, c);
    } else {
      throw new Error(`record ${i}: unknown type ${JSON.stringify(type)}`);
    }
  });
  for (const id of exchanges.keys()) if (!connections.has(id)) throw new Error(`exchanges of connection ${id}, which has no connection record`);
  const nested = [...connections.values()]
    .sort((a, b) => a.id - b.id)
    .map((c): NestedConnection => {
      const list = (exchanges.get(c.id) ?? []).sort((a, b) => a.index - b.index);
      const indexes = list.map((x) => x.index);
      const want = list.map((_, k) => k + 1);
      if (c.exchanges !== list.length || indexes.join() !== want.join()) {
        throw new Error(`connection ${c.id}: count ${c.exchanges}, exchange records with indexes [${indexes.join(', ')}]`);
      }
      return { ...c, exchanges: list };
    });
  const { connections: count, ...rest } = summary as CaptureSummary;
  if (!filtered && (count !== nested.length || rest.exchanges !== exchangeCount(nested))) {
    throw new Error(`summary counts ${count} connections and ${rest.exchanges} exchanges; the records hold ${nested.length} and ${exchangeCount(nested)}`);
  }
  for (const f of findings) {
    if (f.connection !== null && !connections.has(f.connection)) throw new Error(`finding ${f.ruleId} names connection ${f.connection}, which has no record`);
    if (f.exchange !== null && !seenExchanges.has(`${f.connection}/${f.exchange}`)) throw new Error(`finding ${f.ruleId} names exchange ${f.connection}/${f.exchange}, which has no record`);
  }
  const counted = rest.findings.error + rest.findings.warning + rest.findings.note;
  if (!filtered && counted !== findings.length) throw new Error(`summary counts ${counted} findings; the records hold ${findings.length}`);
  return { ...rest, connections: nested, findingRecords: findings };
}

const exchangeCount = (connections: NestedConnection[]): number => connections.reduce((n, c) => n + c.exchanges.length, 0);

/** Parses `report --json` stdout and nests it (see nestReport); `filtered` for output of `--conn`. */
export function parseReport(stdout: string, filtered = false): NestedReport {
  return nestReport(JSON.parse(stdout) as ReportDocument, filtered);
}

/**
 * `wirelens report FILE --json [extra]` in-process, expecting a clean run (exit 0, nothing on
 * stderr), nested. FILE is a path, or a bare name of a capture under captures/.
 */
export async function reportJson(file: string, extra: string[] = []): Promise<NestedReport> {
  const path = file.includes('/') ? file : capture(file);
  const r = await runCli(['report', path, '--json', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return parseReport(r.stdout, extra.includes('--conn'));
}

/** `wirelens conns FILE --json` in-process, expecting a clean run; connections as printed. */
export async function connsJson(file: string): Promise<ConnsDocument> {
  const path = file.includes('/') ? file : capture(file);
  const r = await runCli(['conns', path, '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout) as ConnsDocument;
  // HTTP is not parsed: no exchange count anywhere, neither per connection nor in the summary.
  expect(doc.connections.filter((c) => c.exchanges !== null)).toEqual([]);
  expect([doc.exchanges, doc.statusClasses, doc.deviations]).toEqual([null, null, null]);
  return doc;
}

/** A message that must be there (narrows the type, fails with a message otherwise). */
export function msg<T>(m: T | null | undefined): T {
  if (m === null || m === undefined) throw new Error('message missing');
  return m;
}
