/**
 * `wirelens export` through the real process (bin/wirelens over dist/, worker threads and all):
 * several captures into one merged stream or one output per capture, unreadable and damaged
 * captures (one line naming the file, exit 2, everything before the damage written), a reader that
 * stops early, Node's verdict (on by default, --no-node-verdict), and the command-line mistakes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, wirelensProcess } from '../helpers/process.js';

const A = 'captures/01-agent-false.pcapng'; // 3 connections, GET /1 /2 /3
const B = 'captures/08-content-length-overrun.pcapng'; // 1 connection, GET /, content-length-overrun
const C = 'captures/02-keepalive-agent.pcapng'; // 1 connection, 3 exchanges

let dir: string;
beforeAll(() => {
  ensureBuilt('src/cli/export.js');
  dir = mkdtempSync(join(tmpdir(), 'wirelens-export-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (text: string): Array<Record<string, unknown>> =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** The records of one file, in the order they were written. */
const ofFile = (records: Array<Record<string, unknown>>, file: string): string[] =>
  records.filter((r) => r.file === file).map((r) => `${r.type} ${r.connection}/${r.exchange ?? '-'}`);

describe('several captures', () => {
  it('one merged NDJSON stream: each capture’s records complete and in order, each naming its capture', () => {
    const merged = wirelensProcess(['export', '--format', 'ndjson', A, B, C]);
    expect([merged.code, merged.stderr]).toEqual([0, '']);
    const records = lines(merged.stdout);
    for (const file of [A, B, C]) {
      const alone = lines(wirelensProcess(['export', '--format', 'ndjson', file]).stdout);
      expect(ofFile(records, file)).toEqual(ofFile(alone, file));
    }
    expect(ofFile(records, B)).toEqual(['finding 1/1', 'exchange 1/1', 'connection 1/-']);
    // A: 3 exchanges, 3 connections, 1 connection-per-request finding; B: 3 (content-length-overrun,
    // citing Node's verdict); C: 3 exchanges, 1 connection.
    expect(records).toHaveLength(7 + 3 + 4);
  });

  it('one merged HAR document: entries of every capture with their _file', () => {
    const r = wirelensProcess(['export', '--format', 'har', A, B]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { log: { entries: Array<{ _file: string; request: { url: string } }>; _findings: Array<{ file: string; ruleId: string }> } };
    expect(doc.log.entries.map((e) => `${e._file} ${e.request.url}`).sort()).toEqual([
      `${A} http://127.0.0.1:5101/1`,
      `${A} http://127.0.0.1:5101/2`,
      `${A} http://127.0.0.1:5101/3`,
      `${B} http://127.0.0.1:5108/`,
    ]);
    expect(doc.log._findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual([`${A} connection-per-request`]);
  });

  it('--output DIR: one output per capture, named after it, the same as exporting it alone', () => {
    const out = join(dir, 'per-file');
    const r = wirelensProcess(['export', '--format', 'ndjson', '--output', out, A, B]);
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', '']);
    expect(readdirSync(out).sort()).toEqual(['01-agent-false.ndjson', '08-content-length-overrun.ndjson']);
    expect(readFileSync(join(out, '08-content-length-overrun.ndjson'), 'utf8')).toBe(wirelensProcess(['export', '--format', 'ndjson', B]).stdout);
  });

  it('a directory of captures in Zeek form: one log directory per capture', () => {
    const out = join(dir, 'zeek');
    const r = wirelensProcess(['export', '--format', 'zeek', '--output', out, A, B]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['01-agent-false', '08-content-length-overrun']);
    expect(readdirSync(join(out, '01-agent-false')).sort()).toEqual(['conn.log', 'http.log', 'wirelens.log']);
    const conn = readFileSync(join(out, '01-agent-false', 'conn.log'), 'utf8').split('\n').filter((l) => !l.startsWith('#') && l !== '');
    expect(conn.map((l) => l.split('\t')[11])).toEqual(['SF', 'SF', 'SF']);
  });

  it('standard input among the captures is read by the main thread (a worker has no stdin)', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/wirelens'), 'export', '--format', 'ndjson', '-', B], {
      cwd: ROOT,
      encoding: 'utf8',
      input: readFileSync(join(ROOT, A)),
    });
    expect([r.status, r.stderr]).toEqual([0, '']);
    const records = lines(r.stdout);
    expect(ofFile(records, '<stdin>')).toEqual(ofFile(lines(wirelensProcess(['export', '--format', 'ndjson', A]).stdout), A));
    expect(ofFile(records, B)).toEqual(['finding 1/1', 'exchange 1/1', 'connection 1/-']);
  });

  it('the same name twice gets -2', () => {
    const out = join(dir, 'twice');
    expect(wirelensProcess(['export', '--format', 'har', '--output', out, B, `./${B}`]).code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['08-content-length-overrun-2.har', '08-content-length-overrun.har']);
  });
});

describe("Node's verdict", () => {
  it("Node's verdict by default, on worker threads too: the overrun cites it, and node-parser-error reports what only Node rejects; none with --no-node-verdict", () => {
    const rules = (args: string[]) => {
      const r = wirelensProcess(['export', '--format', 'ndjson', ...args, A, B]);
      expect([r.code, r.stderr]).toEqual([0, '']);
      return lines(r.stdout)
        .filter((x) => x.type === 'finding')
        .map((x) => `${x.file as string} ${x.rule_id as string} ${JSON.stringify(x.frames)}${(x.message as string).includes(' — Node.js (node ') ? ' citing Node' : ''}`);
    };
    const perRequest = `${A} connection-per-request [1,11,21]`;
    expect(rules(['--no-node-verdict']).sort()).toEqual([perRequest, `${B} content-length-overrun [6]`]);
    expect(rules([]).sort()).toEqual([perRequest, `${B} content-length-overrun [6] citing Node`]);
    expect(rules(['--node-verdict']).sort()).toEqual([perRequest, `${B} content-length-overrun [6] citing Node`]);
    // A Node client with maxHeaderSize 60 rejects A's three response heads, which curl read: Node alone objects.
    expect(rules(['--node-max-header-size', '60']).sort()).toEqual([
      perRequest,
      `${A} node-parser-error [16]`,
      `${A} node-parser-error [26]`,
      `${A} node-parser-error [6]`,
      `${B} content-length-overrun [6] citing Node`,
    ]);
  });

  it('the parser settings with --no-node-verdict: a usage error', () => {
    const r = wirelensProcess(['export', '--format', 'ndjson', '--no-node-verdict', '--node-insecure-http-parser', B]);
    expect(r).toMatchObject({
      code: 2,
      stdout: '',
      stderr: "wirelens export: --no-node-verdict turns Node's verdict off: --node-max-header-size and --node-insecure-http-parser would do nothing\n",
    });
  });
});

describe('bad input', () => {
  it('a missing capture: one line naming it, exit 2, the others still exported', () => {
    const r = wirelensProcess(['export', '--format', 'ndjson', 'missing.pcapng', B]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('wirelens: missing.pcapng: no such file or directory\n');
    expect(lines(r.stdout).map((x) => x.type)).toEqual(['finding', 'exchange', 'connection']);
  });

  it('nothing is written for a capture that cannot be read at all', () => {
    const out = join(dir, 'none.har');
    const r = wirelensProcess(['export', '--format', 'har', '--output', out, 'missing.pcapng']);
    expect([r.code, r.stderr, existsSync(out)]).toEqual([2, 'wirelens: missing.pcapng: no such file or directory\n', false]);
    expect(wirelensProcess(['export', '--format', 'har', 'missing.pcapng']).stdout).toBe('');
  });

  it('a damaged capture: the records before the damage, then one line naming the file, exit 2', () => {
    const damaged = join(dir, 'damaged.pcapng');
    writeFileSync(damaged, readFileSync(join(ROOT, 'captures/tour.pcapng')).subarray(0, 5000));
    const r = wirelensProcess(['export', '--format', 'ndjson', damaged]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`wirelens: ${damaged}: file ends inside a pcapng block of type 0x00000006 (212 of 236 bytes) at byte offset 4788\n`);
    const records = lines(r.stdout);
    expect(records.map((x) => `${x.type} ${x.connection}/${x.exchange ?? '-'}`)).toEqual([
      // Each of 1-3 closes acknowledged both ways: handed on 10 ms after its final ACK, before the next connection's exchange.
      'exchange 1/1',
      'connection 1/-',
      'exchange 2/1',
      'connection 2/-',
      'exchange 3/1',
      'connection 3/-',
      'exchange 4/1',
      'finding 4/2',
      'exchange 4/2',
      'connection 4/-',
      'finding null/-',
    ]);
    expect(records.filter((x) => x.type === 'connection').map((x) => x.last_frame)).toEqual([10, 20, 30, 38]);
  });

  it('an output that cannot be written: one line naming it, exit 2', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const r = wirelensProcess(['export', '--format', 'har', '--output', join(file, 'x.har'), B]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^wirelens: ${join(file, 'x.har')}: cannot write \\((EEXIST|ENOTDIR)\\)\\n$`));
  });

  it('a reader that stops early (| head) ends the run quietly, exit 0', () => {
    for (const format of ['ndjson', 'har']) {
      const r = spawnSync('bash', ['-c', `node bin/wirelens export captures --format ${format} | head -c 100 > /dev/null; echo "\${PIPESTATUS[0]}"`], { cwd: ROOT, encoding: 'utf8' });
      expect([r.stdout, r.stderr]).toEqual(['0\n', '']);
    }
  });

  it.each([
    [['export', '--format', 'zeek', B], 'wirelens export: --format zeek writes conn.log, http.log and wirelens.log: it needs --output DIR\n'],
    [['export', '--format', 'xml', B], "wirelens export: --format must be har, zeek, zeek-json or ndjson, not 'xml'\n"],
    [['export', B], 'wirelens export: missing --format F: har, zeek (TSV logs; needs --output DIR), zeek-json or ndjson\n'],
  ])('usage: %j', (args, line) => {
    const r = wirelensProcess(args);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', line]);
  });

  it('several captures and --output naming a file: a usage error', () => {
    const file = join(dir, 'plain');
    writeFileSync(file, '');
    const r = wirelensProcess(['export', '--format', 'har', '--output', file, A, B]);
    expect([r.code, r.stderr]).toEqual([2, `wirelens export: --output ${file}: several captures need a directory (one .har file per capture), not a file\n`]);
  });
});
