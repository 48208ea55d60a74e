/**
 * `wirelens export --format zeek|zeek-json` through the real process: the TSV logs are read back
 * by a reader that follows Zeek's header lines (#separator, #set_separator, #empty_field,
 * #unset_field, #fields, #types), as zeek-cut and Zui do, and the values are the recorded facts;
 * the three logs share the connection's uid; the JSON form carries the same values. conn_state's
 * derivation is checked state by state on constructed connections (the recordings only end SF and
 * RSTR).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionModel } from '../../src/model/types.js';
import { connState } from '../../src/report/zeek.js';
import { CONN_LOG, HTTP_LOG, tsvValue, WIRELENS_LOG, zeekUid } from '../../src/report/zeek-fields.js';
import { ensureBuilt, wirelensProcess } from '../helpers/process.js';

type Value = string | number | boolean | null | Array<string | number>;
interface ZeekTsv {
  header: Record<string, string>;
  fields: string[];
  types: string[];
  rows: Array<Record<string, Value>>;
}

/** Zeek's \xHH escapes undone. */
const unescape = (text: string): string => text.replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

/** Reads a Zeek TSV log the way its header lines say. */
function readZeekTsv(text: string): ZeekTsv {
  const lines = text.split('\n').filter((l) => l !== '');
  const first = /^#separator (.+)$/.exec(lines[0]);
  if (first === null) throw new Error('no #separator line');
  const sep = unescape(first[1]);
  const header: Record<string, string> = {};
  const rows: Array<Record<string, Value>> = [];
  let fields: string[] = [];
  let types: string[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith('#')) {
      const [key, ...rest] = line.slice(1).split(sep);
      if (key === 'fields') fields = rest;
      else if (key === 'types') types = rest;
      else header[key] = rest.join(sep);
      continue;
    }
    const cells = line.split(sep);
    const row: Record<string, Value> = {};
    fields.forEach((f, i) => (row[f] = typed(cells[i], types[i], header)));
    rows.push(row);
  }
  return { header, fields, types, rows };
}

function typed(cell: string, type: string, header: Record<string, string>): Value {
  if (cell === header.unset_field) return null;
  if (type.startsWith('set[') || type.startsWith('vector[')) {
    if (cell === header.empty_field) return [];
    const inner = type.slice(type.indexOf('[') + 1, -1);
    return cell.split(header.set_separator).map((c) => typed(c, inner, header) as string | number);
  }
  if (type === 'time' || type === 'interval' || type === 'count' || type === 'port') return Number(cell);
  if (type === 'bool') return cell === 'T';
  return cell === header.empty_field ? '' : unescape(cell);
}

let dir: string;
beforeAll(() => {
  ensureBuilt('src/cli/export.js');
  dir = mkdtempSync(join(tmpdir(), 'wirelens-zeek-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function zeekLogs(capture: string, format = 'zeek'): Record<string, string> {
  const out = join(dir, `${format}-${capture}`);
  const r = wirelensProcess(['export', '--format', format, '--output', out, `captures/${capture}`]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
}

describe('Zeek TSV logs', () => {
  it('conn.log, http.log and wirelens.log of a content-length overrun, linked by one uid', () => {
    const logs = zeekLogs('08-content-length-overrun.pcapng');
    expect(Object.keys(logs).sort()).toEqual(['conn.log', 'http.log', 'wirelens.log']);
    const conn = readZeekTsv(logs['conn.log']);
    const http = readZeekTsv(logs['http.log']);
    const wirelens = readZeekTsv(logs['wirelens.log']);
    const uid = zeekUid('captures/08-content-length-overrun.pcapng', 1);
    expect(uid).toMatch(/^C[0-9A-Za-z]{17}$/);
    expect(conn.rows).toEqual([
      {
        ts: 1795333795.820529,
        uid,
        'id.orig_h': '127.0.0.1',
        'id.orig_p': 47796,
        'id.resp_h': '127.0.0.1',
        'id.resp_p': 5108,
        proto: 'tcp',
        service: 'http',
        duration: 0.008236,
        orig_bytes: 64,
        resp_bytes: 126,
        conn_state: 'SF',
        local_orig: null,
        local_resp: null,
        missed_bytes: 0,
        history: 'ShADadFf',
        orig_pkts: 6,
        orig_ip_bytes: null,
        resp_pkts: 4,
        resp_ip_bytes: null,
        tunnel_parents: null,
      },
    ]);
    expect(http.rows).toHaveLength(1);
    expect(http.rows[0]).toMatchObject({
      uid,
      'id.orig_p': 47796,
      trans_depth: 1,
      method: 'GET',
      host: '127.0.0.1:5108',
      uri: '/',
      version: '1.1',
      request_body_len: 0,
      response_body_len: 3,
      status_code: 200,
      status_msg: 'OK',
      info_code: null,
      tags: [],
    });
    // Node's verdict is on by default: content-length-overrun cites it (node-parser-error adds no second row).
    const NODE_SAYS = `Node.js (node ${process.versions.node}, llhttp ${process.versions.llhttp}): HPE_INVALID_CONSTANT "Expected HTTP/, RTSP/ or ICE/" at offset 125 (frame 6); the request emits 'error' (HPE_INVALID_CONSTANT) and the socket is destroyed`;
    expect(wirelens.rows).toEqual([
      {
        // Frame 6's time (tshark: frame.time_epoch 1795333795.824444).
        ts: 1795333795.824444,
        uid,
        'id.orig_h': '127.0.0.1',
        'id.orig_p': 47796,
        'id.resp_h': '127.0.0.1',
        'id.resp_p': 5108,
        trans_depth: 1,
        rule_id: 'content-length-overrun',
        severity: 'error',
        frames: [6],
        message: `the 200 response: Content-Length: 3 but 4 B sent: 1 B excess in frame 6 — ${NODE_SAYS}`,
      },
    ]);
  });

  it("has Zeek's header lines, field names and types", () => {
    const logs = zeekLogs('06-res-end.pcapng');
    expect(logs['conn.log'].split('\n').slice(0, 6)).toEqual(['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\tconn', '#open\t2026-11-22-07-49-54']);
    const conn = readZeekTsv(logs['conn.log']);
    expect(conn.fields.slice(0, 16)).toEqual(['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration', 'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history']);
    expect(conn.types.slice(0, 12)).toEqual(['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'interval', 'count', 'count', 'string']);
    expect(conn.header.close).toBe('2026-11-22-07-49-54');
    const http = readZeekTsv(logs['http.log']);
    expect(http.fields).toEqual(HTTP_LOG.fields.map((f) => f[0]));
    expect(http.fields.slice(6, 17)).toEqual(['trans_depth', 'method', 'host', 'uri', 'referrer', 'version', 'user_agent', 'origin', 'request_body_len', 'response_body_len', 'status_code']);
    // No finding on this capture: wirelens.log is there with its header and no row.
    const wirelens = readZeekTsv(logs['wirelens.log']);
    expect([wirelens.header.path, wirelens.rows.length, wirelens.fields]).toEqual(['wirelens', 0, WIRELENS_LOG.fields.map((f) => f[0])]);
  });

  it('a 100 Continue is info_code/info_msg; a RST from the server is RSTR', () => {
    const [continued] = readZeekTsv(zeekLogs('18-expect-100-continue.pcapng')['http.log']).rows;
    expect([continued.method, continued.request_body_len, continued.status_code, continued.info_code, continued.info_msg]).toEqual(['PUT', 33, 200, 100, 'Continue']);
    const race = zeekLogs('19-keepalive-reuse-race.pcapng');
    expect(readZeekTsv(race['conn.log']).rows.map((r) => [r.conn_state, r.history])).toEqual([['RSTR', 'ShADadfr']]);
    expect(readZeekTsv(race['http.log']).rows.map((r) => [r.trans_depth, r.uri, r.status_code])).toEqual([
      [1, '/1', 200],
      [2, '/2', null],
    ]);
    // ts: the first frame's time, the server's FIN (tshark: frame 8 at 1795333812.697456).
    expect(readZeekTsv(race['wirelens.log']).rows.map((r) => [r.ts, r.trans_depth, r.rule_id, r.frames])).toEqual([[1795333812.697456, 2, 'keepalive-reuse-race', [8, 10]]]);
  });

  it("a finding the next connection reveals (keepalive-hint-too-short) still has its connection's id.*", () => {
    // Connection 1 closed before connection 2 showed the hint was too short.
    const rows = readZeekTsv(zeekLogs('02b-keepalive-hint-too-short.pcapng')['wirelens.log']).rows;
    expect(rows.map((r) => [r.uid, r['id.orig_h'], r['id.orig_p'], r['id.resp_h'], r['id.resp_p'], r.trans_depth, r.rule_id])).toEqual([
      [zeekUid('captures/02b-keepalive-hint-too-short.pcapng', 1), '127.0.0.1', 45256, '127.0.0.1', 5128, 1, 'keepalive-hint-too-short'],
    ]);
  });

  it('zeek-json carries the same values, unset fields left out, as Zeek’s JSON writer does', () => {
    const tsv = zeekLogs('02-keepalive-agent.pcapng');
    const json = zeekLogs('02-keepalive-agent.pcapng', 'zeek-json');
    // A log without lines is not created in JSON form (02 has no finding: no wirelens.log), as Zeek does.
    expect(Object.keys(json).sort()).toEqual(['conn.log', 'http.log']);
    for (const log of ['conn.log', 'http.log', 'wirelens.log']) {
      const rows = (json[log] ?? '').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, Value>);
      const expected = readZeekTsv(tsv[log]).rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)));
      expect(rows).toEqual(expected);
    }
    expect(JSON.parse(json['http.log'].split('\n')[1])).toMatchObject({ trans_depth: 2, uri: '/2', 'id.resp_p': 5102 });
  });
});

describe('Zeek value formats', () => {
  it('escapes the separator, controls, backslashes and values that read as markers', () => {
    expect(tsvValue('a\tb\\c\x1b', 'string')).toBe('a\\x09b\\x5cc\\x1b');
    expect(tsvValue('1.2µs → \x85', 'string')).toBe('1.2µs → \\x85');
    expect(tsvValue('-', 'string')).toBe('\\x2d');
    expect(tsvValue('', 'string')).toBe('(empty)');
    expect(tsvValue(['a,b', 'c'], 'set[string]')).toBe('a\\x2cb,c');
    expect(tsvValue([], 'set[enum]')).toBe('(empty)');
    expect(tsvValue(null, 'count')).toBe('-');
    expect(tsvValue(1.5, 'interval')).toBe('1.500000');
    expect(tsvValue(true, 'bool')).toBe('T');
  });

  it('uids are deterministic and differ by capture and connection', () => {
    expect(zeekUid('a.pcapng', 1)).toBe(zeekUid('a.pcapng', 1));
    expect(new Set([zeekUid('a.pcapng', 1), zeekUid('a.pcapng', 2), zeekUid('b.pcapng', 1)]).size).toBe(3);
    expect(CONN_LOG.fields[1]).toEqual(['uid', 'string']);
  });
});

describe('conn_state', () => {
  const at = (frame: number) => ({ frame, time: frame });
  function conn(handshake: { syn?: boolean; synAck?: boolean; refused?: boolean }, close: { clientFin?: boolean; serverFin?: boolean; clientRst?: boolean; serverRst?: boolean }): ConnectionModel {
    return {
      handshake: { syn: handshake.syn ? at(1) : null, synAck: handshake.synAck ? at(2) : null, ack: null, rtt: null, refused: handshake.refused ?? false, clientMss: null, serverMss: null },
      teardown: {
        kind: 'open',
        closedFirstBy: null,
        clientFin: close.clientFin ? at(5) : null,
        serverFin: close.serverFin ? at(6) : null,
        clientRst: close.clientRst ? at(7) : null,
        serverRst: close.serverRst ? at(8) : null,
        halfClosed: false,
      },
    } as unknown as ConnectionModel;
  }
  const established = { syn: true, synAck: true };

  it.each([
    ['S0', { syn: true }, {}],
    ['REJ', { syn: true, refused: true }, { serverRst: true }],
    ['RSTOS0', { syn: true }, { clientRst: true }],
    ['SH', { syn: true }, { clientFin: true }],
    ['RSTRH', { synAck: true }, { serverRst: true }],
    ['SHR', { synAck: true }, { serverFin: true }],
    ['OTH', {}, { clientFin: true, serverFin: true }],
    ['S1', established, {}],
    ['SF', established, { clientFin: true, serverFin: true }],
    ['S2', established, { clientFin: true }],
    ['S3', established, { serverFin: true }],
    ['RSTO', established, { clientRst: true, serverRst: true }],
    ['RSTR', established, { clientFin: true, serverRst: true }],
  ] as const)('%s', (state, handshake, close) => {
    expect(connState(conn(handshake, close))).toBe(state);
  });
});
