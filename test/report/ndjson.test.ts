/**
 * `wirelens export --format ndjson` through the real process: every record of every recording has
 * exactly its type's documented keys, in order (null when unknown); the values are the recorded
 * facts; and the stream loads into DuckDB as it is and answers README's question — p95 TTFB per
 * path, reused vs fresh connections — with the figures computed here from the records themselves.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NDJSON_KEYS } from '../../src/report/ndjson.js';
import { ensureBuilt, wirelensProcess } from '../helpers/process.js';

type Row = Record<string, unknown>;

function ndjson(...args: string[]): Row[] {
  const r = wirelensProcess(['export', '--format', 'ndjson', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Row);
}

let dir: string;
beforeAll(() => {
  ensureBuilt('src/cli/export.js');
  dir = mkdtempSync(join(tmpdir(), 'wirelens-ndjson-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('NDJSON records', () => {
  it('every record of every recording has exactly its documented keys, in order', () => {
    const rows = ndjson('captures');
    const byType = (t: string): Row[] => rows.filter((r) => r.type === t);
    for (const row of rows) expect(Object.keys(row)).toEqual(NDJSON_KEYS[row.type as keyof typeof NDJSON_KEYS]);
    // 63 recordings (tour.pcapng and the rule scenarios 28–55 among them); all three types occur.
    expect(new Set(rows.map((r) => r.file)).size).toBe(63);
    expect([byType('connection').length > 35, byType('exchange').length > 35, byType('finding').length > 0]).toEqual([true, true, true]);
  });

  it('`lost`: which message the capture lost whole (42: response 2, request 4, response 6)', () => {
    const rows = ndjson('captures/42-capture-loss.pcapng').filter((r) => r.type === 'exchange');
    expect(rows.map((r) => [r.exchange, r.target, r.status, r.lost, r.unanswered, r.pipelined])).toEqual([
      [1, '/item/1', 200, null, false, false],
      [2, '/item/2', null, 'response', false, false],
      [3, '/item/3', 200, null, false, false],
      [4, null, 200, 'request', false, false],
      [5, '/item/5', 200, null, false, false],
      [6, '/item/6', null, 'response', false, false],
    ]);
  });

  it('an exchange and its connection, with concrete values', () => {
    const rows = ndjson('captures/18-expect-100-continue.pcapng');
    expect(rows.map((r) => r.type)).toEqual(['exchange', 'connection']);
    expect(rows[0]).toMatchObject({
      file: 'captures/18-expect-100-continue.pcapng',
      connection: 1,
      exchange: 1,
      reused: false,
      method: 'PUT',
      target: '/upload',
      path: '/upload',
      host: '127.0.0.1:5118',
      status: 200,
      interim_status: 100,
      ttfb: 0.001367,
      request_head_bytes: 138,
      request_body_bytes: 33,
      response_head_bytes: 123,
      response_body_bytes: 18,
      request_packing: 'headers-only-segment',
      response_packing: 'packed',
      request_first_frame: 4,
      request_end_frame: 8,
      response_first_frame: 9,
      response_end_frame: 9,
      stalled: null,
      keep_alive_timeout: 5,
      content_type: null,
    });
    expect(rows[1]).toMatchObject({ connection: 1, client_port: 47358, server_port: 5118, bytes_client: 171, bytes_server: 166, frames_client: 7, frames_server: 5, history: 'ShADadFf', teardown: 'fin', closed_first_by: 'client', exchanges: 1 });
  });

  it("a finding record (content-length-overrun cites Node's verdict; node-parser-error adds no second finding for it)", () => {
    const NODE_SAYS = `Node.js (node ${process.versions.node}, llhttp ${process.versions.llhttp}): HPE_INVALID_CONSTANT "Expected HTTP/, RTSP/ or ICE/" at offset 125 (frame 6); the request emits 'error' (HPE_INVALID_CONSTANT) and the socket is destroyed`;
    const findings = ndjson('captures/08-content-length-overrun.pcapng').filter((r) => r.type === 'finding');
    expect(findings).toEqual([
      {
        type: 'finding',
        file: 'captures/08-content-length-overrun.pcapng',
        rule_id: 'content-length-overrun',
        severity: 'error',
        connection: 1,
        exchange: 1,
        // Frame 6's time (tshark: frame.time_epoch 1795333795.824444).
        time: 1795333795.824444,
        first_frame: 6,
        frames: [6],
        message: `the 200 response: Content-Length: 3 but 4 B sent: 1 B excess in frame 6 — ${NODE_SAYS}`,
      },
    ]);
  });
});

describe('NDJSON in DuckDB', () => {
  it('p95 TTFB per path, reused vs fresh connections (the README query)', async () => {
    const captures = ['01-agent-false.pcapng', '02-keepalive-agent.pcapng', 'tour.pcapng'].map((c) => `captures/${c}`);
    const r = wirelensProcess(['export', '--format', 'ndjson', ...captures]);
    expect(r.code).toBe(0);
    const file = join(dir, 'exchanges.ndjson');
    writeFileSync(file, r.stdout);

    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const result = await connection.runAndReadAll(
      `SELECT path, reused, count(*) AS exchanges, quantile_cont(ttfb, 0.95) AS p95_ttfb
       FROM read_json('${file}', format = 'newline_delimited')
       WHERE type = 'exchange'
       GROUP BY path, reused
       ORDER BY path, reused`,
    );
    const got = result.getRowObjectsJS().map((row) => [row.path, row.reused, Number(row.exchanges), row.p95_ttfb === null ? null : Math.round((row.p95_ttfb as number) * 1e6) / 1e6]);
    connection.closeSync();
    db.closeSync();

    // The same figures from the records, by hand: quantile_cont interpolates linearly between ranks.
    const exchanges = r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Row).filter((x) => x.type === 'exchange');
    const groups = new Map<string, number[]>();
    for (const x of exchanges) {
      const key = JSON.stringify([x.path, x.reused]);
      groups.set(key, [...(groups.get(key) ?? []), ...(x.ttfb === null ? [] : [x.ttfb as number])]);
    }
    const p95 = (values: number[]): number | null => {
      if (values.length === 0) return null;
      const s = [...values].sort((a, b) => a - b);
      const rank = 0.95 * (s.length - 1);
      const lo = Math.floor(rank);
      return Math.round((s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (rank - lo)) * 1e6) / 1e6;
    };
    const expected = [...groups.entries()]
      .map(([key, values]) => {
        const [path, reused] = JSON.parse(key) as [string, boolean];
        return [path, reused, exchanges.filter((x) => x.path === path && x.reused === reused).length, p95(values)];
      })
      .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : Number(a[1]) - Number(b[1])));
    expect(got).toEqual(expected);
    // Concretely: /2 on reused connections, 3 exchanges, p95 0.592 ms.
    expect(got.find((g) => g[0] === '/2' && g[1] === true)).toEqual(['/2', true, 3, 0.000592]);
    expect(got.map((g) => g[0])).toEqual(['/', '/1', '/2', '/2', '/3', '/3', '/user']);
  });
});
