/**
 * `wirelens lint`, `rules` and `explain` through the real process (bin/wirelens over dist/): exit
 * codes, configuration errors, user rules (good and broken), baselines, and every output format
 * checked by a real consumer — SARIF by Microsoft's SARIF Multitool, JUnit by an XML parser,
 * `github` against workflow-command injection. The 34 built-in rules always run; their findings
 * are asserted on captures whose findings are known (captures/*.expected.json `rules`: 08 has one
 * content-length-overrun error, 05 one headers-flushed-separately note, 06 none, 11 warnings and
 * notes, 01 one connection-per-request warning). The mechanics of user rules, configuration and
 * baselines use the test-only rules in test/lint/fixtures, loaded with --rules-dir as a user would.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { BROKEN_RULES, FIXTURE_RULES } from '../lint/helpers.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/wirelens');
const cap = (name: string): string => join(root, 'captures', name);
const A = cap('01-agent-false.pcapng'); // 3 connections, GET /1 /2 /3; built-in: connection-per-request (warning)
const B = cap('08-content-length-overrun.pcapng'); // 1 connection, GET /; built-in: content-length-overrun (error)
const OVERRUN = 'the 200 response: Content-Length: 3 but 4 B sent: 1 B excess in frame 6';
let dir: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function wirelens(args: string[], cwd = dir): Run {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** lint with the built-in rules and the fixture rules. */
// These tests are about lint itself: Node's verdict (node-parser-error, the citations, on by default)
// is tested in test/node-verdict, so it is turned off here.
const lint = (...args: string[]): Run => wirelens(['lint', '--no-node-verdict', '--rules-dir', FIXTURE_RULES, ...args]);
/** lint with the built-in rules only. */
const lintBuiltin = (...args: string[]): Run => wirelens(['lint', '--no-node-verdict', ...args]);

beforeAll(() => {
  if (!existsSync(join(root, 'dist/src/cli/lint.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'wirelens-lint-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exit codes', () => {
  it('1 when a finding is at or above --fail-on (default error), with the stylish report', () => {
    const r = lint(B);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        B,
        '  frame 1  warning  1 exchange(s), 64 B from the client, 126 B from the server               test-connection',
        '  frame 4  note     GET /                                                                    test-request-line',
        `  frame 6  error    ${OVERRUN}  content-length-overrun`,
        '  capture  error    1 exchange(s) in 1 connection(s)                                         test-capture-end',
        '',
        '✖ 4 problems (2 errors, 1 warning, 1 note)',
        '',
      ].join('\n'),
    );
  });

  it('0 when nothing reaches --fail-on; --fail-on warning and note lower the bar', () => {
    const code = (capture: string, ...args: string[]): number | null => lintBuiltin(cap(capture), ...args).code;
    // 06: no finding at all, and an empty report.
    expect(lintBuiltin(cap('06-res-end.pcapng'), '--fail-on', 'note')).toEqual({ code: 0, stdout: '', stderr: '' });
    // 05: one headers-flushed-separately note.
    expect([code('05-flushheaders-then-end.pcapng'), code('05-flushheaders-then-end.pcapng', '--fail-on', 'warning')]).toEqual([0, 0]);
    expect(code('05-flushheaders-then-end.pcapng', '--fail-on', 'note')).toBe(1);
    // 01: one connection-per-request warning.
    expect([code('01-agent-false.pcapng'), code('01-agent-false.pcapng', '--fail-on', 'warning')]).toEqual([0, 1]);
    // 08: one content-length-overrun error, unless the rule is off or lowered.
    expect(code('08-content-length-overrun.pcapng')).toBe(1);
    expect(code('08-content-length-overrun.pcapng', '--rule', 'content-length-overrun=off', '--fail-on', 'note')).toBe(0);
    expect(code('08-content-length-overrun.pcapng', '--rule', 'content-length-overrun=warning')).toBe(0);
    // The fixture rules count the same way.
    expect(lint(B, '--rule', 'content-length-overrun=off', '--rule', 'test-capture-end=off', '--fail-on', 'warning').code).toBe(1);
    expect(lint(B, '--rule', 'content-length-overrun=off', '--rule', 'test-capture-end=off', '--rule', 'test-connection=off', '--fail-on', 'warning').code).toBe(0);
  });

  it('--max-warnings N: 1 only when there are more than N warnings', () => {
    // 11: two warnings (service-unavailable-drop, max-requests-per-socket) and two pipelining notes (request 2; requests 3–4), no error.
    const json = JSON.parse(lintBuiltin(cap('11-max-requests-per-socket.pcapng'), '--format', 'json').stdout) as Array<{ findings: Array<{ ruleId: string; severity: string }> }>;
    expect(json[0].findings.map((f) => `${f.severity} ${f.ruleId}`)).toEqual([
      'note pipelining',
      'note pipelining',
      'warning service-unavailable-drop',
      'warning max-requests-per-socket',
    ]);
    expect(lintBuiltin(cap('11-max-requests-per-socket.pcapng'), '--max-warnings', '2').code).toBe(0);
    expect(lintBuiltin(cap('11-max-requests-per-socket.pcapng'), '--max-warnings', '1').code).toBe(1);
  });

  it('2 for a usage error, one line', () => {
    const r = lint(B, '--format', 'sarf');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("wirelens lint: --format must be stylish, json, sarif, junit, github, not 'sarf' (did you mean sarif?)\n");
    expect(lint(B, '--max-warnings', '-1')).toEqual({ code: 2, stdout: '', stderr: "wirelens lint: --max-warnings must be a whole number from 0 up, not '-1'\n" });
    const lintOptions = 'options: --format F, --output F, --fail-on LEVEL, --max-warnings N, --config F, --rule ID=SEVERITY, --rules-dir DIR, --baseline F, --write-baseline F, --no-node-verdict, --node-max-header-size N, --node-insecure-http-parser';
    expect(lint(B, '--bogus')).toEqual({ code: 2, stdout: '', stderr: `wirelens lint: unknown option '--bogus'; ${lintOptions}\n` });
    // A near miss is named, as for every other command.
    expect(lint(B, '--formt', 'json')).toEqual({ code: 2, stdout: '', stderr: `wirelens lint: unknown option '--formt' (did you mean --format?); ${lintOptions}\n` });
    expect(lint(B, '--format')).toEqual({ code: 2, stdout: '', stderr: "wirelens lint: Option '--format <value>' argument missing\n" });
    expect(wirelens(['rules', '--bogus'])).toEqual({ code: 2, stdout: '', stderr: "wirelens rules: unknown option '--bogus'; options: --config F, --rule ID=SEVERITY, --rules-dir DIR\n" });
    expect(lint(B, '--baseline', 'x', '--write-baseline', 'y').stderr).toBe('wirelens lint: --baseline and --write-baseline cannot be used together\n');
    expect(wirelens(['lint']).stderr).toBe('wirelens lint: lint needs at least one capture file or directory\n');
  });

  it('2 for an unreadable or damaged capture, one line each; the other files are still linted and the damaged one up to the damage', () => {
    const damaged = join(dir, 'cut.pcapng');
    const bytes = readFileSync(A);
    writeFileSync(damaged, bytes.subarray(0, 2500)); // inside a block after frame 20
    const r = lint(join(dir, 'missing.pcap'), damaged, B, '--format', 'json', '--rule', 'test-capture-end=off');
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`wirelens: ${join(dir, 'missing.pcap')}: no such file or directory`);
    expect(lines[1]).toBe(`wirelens: ${damaged}: file ends inside a pcapng block header (4 of 12 bytes) at byte offset 2496`);
    const out = JSON.parse(r.stdout) as Array<{ file: string; findings: Array<{ ruleId: string; connection: number | null }>; error: string | null }>;
    expect(out.map((f) => [f.file, f.findings.map((x) => `${x.ruleId} ${x.connection}`), f.error === null])).toEqual([
      [join(dir, 'missing.pcap'), [], false],
      // Connections 1 and 2 came before the damage: each a request and a close, and one connection per request.
      [damaged, ['connection-per-request null', 'test-connection 1', 'test-request-line 1', 'test-connection 2', 'test-request-line 2'], false],
      [B, ['test-connection 1', 'test-request-line 1', 'content-length-overrun 1'], true],
    ]);
  });
});

describe('configuration', () => {
  it('wirelens.config.json in the working directory sets severities and options, of built-in and user rules', () => {
    const cwd = join(dir, 'configured');
    mkdirSync(cwd, { recursive: true });
    const rules = { 'connection-per-request': 'off', 'content-length-overrun': 'warning', 'test-connection': 'off', 'test-capture-end': ['note', { minExchanges: 2 }] };
    writeFileSync(join(cwd, 'wirelens.config.json'), JSON.stringify({ rules }));
    const r = wirelens(['lint', '--no-node-verdict', '--rules-dir', FIXTURE_RULES, '--format', 'json', A, B], cwd);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Array<{ findings: Array<{ ruleId: string; severity: string }> }>;
    expect(out.map((f) => f.findings.map((x) => `${x.severity} ${x.ruleId}`))).toEqual([
      ['note test-request-line', 'note test-request-line', 'note test-request-line', 'note test-capture-end'],
      ['note test-request-line', 'warning content-length-overrun'],
    ]);
  });

  it('a bad key is named with its file, exit 2, nothing linted', () => {
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ rules: { 'test-conection': 'error', 'test-capture-end': ['error', { minExchanges: 'two' }] } }));
    const r = lint(B, '--config', config);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `wirelens: ${config}: rules.test-conection: unknown rule (did you mean test-connection?)\n` +
        `wirelens: ${config}: rules.test-capture-end[1].minExchanges: must be a number, not "two"\n`,
    );
  });

  it('--rule with an unknown id or severity is exit 2 naming the flag', () => {
    expect(lint(B, '--rule', 'test-request-lin=off').stderr).toBe('wirelens: --rule test-request-lin=off: unknown rule (did you mean test-request-line?)\n');
    const r = lint(B, '--rule', 'test-request-line=fatal');
    expect([r.code, r.stderr]).toEqual([2, 'wirelens: --rule test-request-line=fatal: expected ID=off|note|warning|error\n']);
  });
});

describe('user rules', () => {
  it('a broken rule file is one line naming it; a rule that throws is disabled with one line; the run goes on (exit 2)', () => {
    const r = wirelens(['lint', '--rules-dir', BROKEN_RULES, '--format', 'json', cap('02-keepalive-agent.pcapng')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `wirelens: ${BROKEN_RULES}/a-syntax-error.js: cannot load: SyntaxError: Unexpected end of input`,
      `wirelens: ${BROKEN_RULES}/b-not-a-rule.js: not a rule: 'severity' must be note, warning, error`,
      `wirelens: ${cap('02-keepalive-agent.pcapng')}: rule 'test-throws' (${BROKEN_RULES}/c-throws.js) failed in exchange 2 of connection 1 and is disabled for the rest of this capture: TypeError: boom on exchange 2`,
    ]);
    const out = JSON.parse(r.stdout) as Array<{ findings: Array<{ ruleId: string; exchange: number }> }>;
    expect(out[0].findings.map((f) => `${f.ruleId} ${f.exchange}`)).toEqual(['test-fine 1', 'test-throws 1', 'test-fine 2', 'test-fine 3']);
  });

  it('wirelens rules lists every rule with its configured severity; explain prints the help; an unknown id suggests one', () => {
    const list = wirelens(['rules', '--rules-dir', FIXTURE_RULES, '--rule', 'test-connection=off', '--rule', 'content-length-overrun=note']);
    expect(list.code).toBe(0);
    const lines = list.stdout.split('\n');
    // A header, the 35 built-in rules (alphabetical), then the user rules, a blank line, the count and the final newline.
    expect(lines).toHaveLength(1 + 35 + 3 + 3);
    expect(lines[0]).toBe('RULE                            SEVERITY  TITLE');
    expect(lines[1]).toBe('bad-request                     warning   The server could not parse the request: 400 Bad Request and close');
    expect(lines[8]).toBe('content-length-overrun          note      More bytes were sent than Content-Length declared');
    expect(lines[26]).toBe('request-after-connection-close  error     Request sent after the server said Connection: close');
    expect(lines[35]).toBe('unmatched-response              warning   Response without an outstanding request');
    expect(lines.slice(36)).toEqual([
      'test-capture-end                error     Test: the capture had exchanges',
      'test-connection                 off       Test: every HTTP connection',
      'test-request-line               note      Test: every request',
      '',
      "38 rules; `wirelens explain ID` prints a rule's help.",
      '',
    ]);
    expect(wirelens(['rules']).stdout).toContain("\n35 rules; `wirelens explain ID` prints a rule's help.\n");
    const explain = wirelens(['explain', 'test-capture-end', '--rules-dir', FIXTURE_RULES]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toBe(
      [
        'test-capture-end (error): Test: the capture had exchanges',
        `from ${FIXTURE_RULES}/capture-end.js`,
        '',
        'A test rule that reports at the end of the capture.',
        '',
        'Options:',
        '  minExchanges (number, default 1): exchanges needed for the finding',
        '',
        'Node.js documentation: https://nodejs.org/docs/latest-v20.x/api/http.html',
        '',
      ].join('\n'),
    );
    // Built-in rules: no file line; Node.js docs, or the capture tool's for the capture-quality rules.
    const overrun = wirelens(['explain', 'content-length-overrun', '--rule', 'content-length-overrun=warning']).stdout.split('\n');
    expect(overrun[0]).toBe('content-length-overrun (error; configured: warning): More bytes were sent than Content-Length declared');
    expect(overrun[1]).toBe('');
    expect(overrun.at(-2)).toBe('Node.js documentation: https://nodejs.org/docs/latest-v20.x/api/http.html#responsestrictcontentlength');
    expect(wirelens(['explain', 'capture-gap']).stdout).toMatch(/\n\nDocumentation: https:\/\/www\.tcpdump\.org\/manpages\/tcpdump\.1\.html\n$/);
    const unknown = wirelens(['explain', 'test-capture-edn', '--rules-dir', FIXTURE_RULES]);
    expect([unknown.code, unknown.stderr]).toEqual([2, "wirelens explain: unknown rule 'test-capture-edn' (did you mean test-capture-end?)\n"]);
    // Words of an id, not a typo of it: the ids that hold them.
    const words = wirelens(['explain', 'keepalive-race']);
    expect([words.code, words.stderr]).toEqual([2, "wirelens explain: unknown rule 'keepalive-race' (did you mean keepalive-reuse-race?)\n"]);
    expect(wirelens(['explain', 'timeout']).stderr).toBe("wirelens explain: unknown rule 'timeout' (did you mean keepalive-timeout-mismatch or request-timeout?)\n");
  });
});

describe('baseline', () => {
  it('round trip: recorded findings are suppressed, a new one fails, frame numbers and client ports do not matter', () => {
    const baseline = join(dir, 'baseline.json');
    const w = lint(A, '--write-baseline', baseline);
    expect(w.code).toBe(0);
    expect(w.stderr).toBe(`wirelens: wrote 8 findings to the baseline ${baseline}\n`);
    const written = JSON.parse(readFileSync(baseline, 'utf8')) as { findings: Array<Record<string, unknown>> };
    const at = { server: '127.0.0.1:5101', client: '127.0.0.1' };
    expect(written.findings).toEqual([
      // connection-per-request spans connections (its finding has no connection): keyed like a capture-wide one.
      { ruleId: 'connection-per-request', server: null, client: null, request: null, count: 1 },
      { ruleId: 'test-capture-end', server: null, client: null, request: null, count: 1 },
      { ruleId: 'test-connection', ...at, request: null, count: 3 },
      { ruleId: 'test-request-line', ...at, request: 'GET /1', count: 1 },
      { ruleId: 'test-request-line', ...at, request: 'GET /2', count: 1 },
      { ruleId: 'test-request-line', ...at, request: 'GET /3', count: 1 },
    ]);

    const again = lint(A, '--baseline', baseline, '--fail-on', 'note');
    expect([again.code, again.stdout]).toEqual([0, '']);
    // The same traffic recorded twice (A twice): the second copy's findings are new.
    const twice = lint(A, A, '--baseline', baseline, '--format', 'json');
    expect(twice.code).toBe(1);
    const out = JSON.parse(twice.stdout) as Array<{ findings: unknown[]; errorCount: number }>;
    expect(out.map((f) => [f.findings.length, f.errorCount])).toEqual([
      [0, 0],
      [8, 1],
    ]);
    // Another server's findings are not in it (the capture-wide test-capture-end is: it has no endpoints).
    const other = lint(B, '--baseline', baseline, '--format', 'json');
    expect(other.code).toBe(1);
    expect((JSON.parse(other.stdout) as Array<{ findings: Array<{ ruleId: string }> }>)[0].findings.map((f) => f.ruleId)).toEqual([
      'test-connection',
      'test-request-line',
      'content-length-overrun',
    ]);
  });

  it('an unreadable baseline is one line, exit 2', () => {
    const r = lint(A, '--baseline', join(dir, 'nope.json'));
    expect([r.code, r.stderr]).toEqual([2, `wirelens: ${join(dir, 'nope.json')}: cannot read the baseline (ENOENT)\n`]);
  });
});

describe('files', () => {
  it('directories are searched recursively; output follows argument order; workers give what one thread gives', async () => {
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'sub'), { recursive: true });
    copyFileSync(A, join(tree, 'sub', 'a.pcapng'));
    copyFileSync(B, join(tree, 'b.cap'));
    writeFileSync(join(tree, 'notes.txt'), 'not a capture');
    // With Node's verdict: replayed on a worker thread per file (compiled) or in this thread (source), alike.
    const r = wirelens(['lint', '--rules-dir', FIXTURE_RULES, B, tree, A, '--format', 'json']);
    const out = JSON.parse(r.stdout) as Array<{ file: string; findings: unknown[] }>;
    expect(out.map((f) => f.file)).toEqual([B, join(tree, 'b.cap'), join(tree, 'sub', 'a.pcapng'), A]);
    // In process (TypeScript source) the files are linted one after the other.
    const inProcess = await runCli(['lint', '--rules-dir', FIXTURE_RULES, B, tree, A, '--format', 'json']);
    expect(r.stdout).toBe(inProcess.stdout);
    expect(r.code).toBe(inProcess.code);
  });

  it('an empty directory and a pattern matching nothing are one line each, exit 2', () => {
    mkdirSync(join(dir, 'empty'), { recursive: true });
    const r = lint(join(dir, 'empty'), join(dir, 'zz*.pcap'), B, '--rule', 'test-capture-end=off');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `wirelens: ${join(dir, 'empty')}: no .pcap, .pcapng or .cap files in this directory\nwirelens: ${join(dir, 'zz*.pcap')}: no files match this pattern\n`,
    );
  });

  it('a glob pattern the shell did not expand', () => {
    const r = lint(join(root, 'captures', '0[18]-*.pcapng'), '--format', 'json');
    expect((JSON.parse(r.stdout) as Array<{ file: string }>).map((f) => f.file)).toEqual([A, cap('08-content-length-overrun.lo0.pcapng'), B]);
  });

  it('--output writes the report to a file', () => {
    const file = join(dir, 'out.json');
    const r = lint(B, '--format', 'json', '--output', file);
    expect([r.code, r.stdout]).toEqual([1, '']);
    // test-capture-end and content-length-overrun.
    expect((JSON.parse(readFileSync(file, 'utf8')) as Array<{ errorCount: number }>)[0].errorCount).toBe(2);
  });
});

describe('formats', () => {
  it('json: one object per file with the documented keys', () => {
    const r = lint(B, '--format', 'json');
    expect(JSON.parse(r.stdout)).toEqual([
      {
        file: B,
        findings: [
          { ruleId: 'test-connection', severity: 'warning', message: '1 exchange(s), 64 B from the client, 126 B from the server', connection: 1, exchange: null, frames: [1, 10] },
          { ruleId: 'test-request-line', severity: 'note', message: 'GET /', connection: 1, exchange: 1, frames: [4, 6] },
          { ruleId: 'content-length-overrun', severity: 'error', message: OVERRUN, connection: 1, exchange: 1, frames: [6] },
          { ruleId: 'test-capture-end', severity: 'error', message: '1 exchange(s) in 1 connection(s)', connection: null, exchange: null, frames: [] },
        ],
        errorCount: 2,
        warningCount: 1,
        noteCount: 1,
        error: null,
      },
    ]);
  });

  it('sarif: valid by the SARIF Multitool (no error or warning), rules with help, first frame as startLine, all frames in properties', () => {
    const file = join(dir, 'out.sarif');
    lint(A, B, '--format', 'sarif', '--output', file);
    const log = JSON.parse(readFileSync(file, 'utf8'));
    const run = log.runs[0];
    expect(log.version).toBe('2.1.0');
    // Every rule that ran: the built-in ones (alphabetical), then the user rules.
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toHaveLength(38);
    expect(ids.slice(0, 3)).toEqual(['bad-request', 'body-not-allowed', 'capture-gap']);
    expect(ids.slice(35)).toEqual(['test-capture-end', 'test-connection', 'test-request-line']);
    expect(run.tool.driver.rules[36]).toEqual({
      id: 'test-connection',
      name: 'TestConnection',
      shortDescription: { text: 'Test: every HTTP connection' },
      fullDescription: { text: 'A test rule that reports every connection with exchanges.' },
      help: {
        text: 'A test rule that reports every connection with exchanges.\n\nhttps://nodejs.org/docs/latest-v20.x/api/net.html#class-netsocket',
        markdown: 'A test rule that reports every connection with exchanges.\n\n[Node.js documentation](https://nodejs.org/docs/latest-v20.x/api/net.html#class-netsocket)',
      },
      helpUri: 'https://nodejs.org/docs/latest-v20.x/api/net.html#class-netsocket',
      defaultConfiguration: { level: 'warning' },
    });
    // A: 7 fixture findings and connection-per-request; B: 3 fixture findings and content-length-overrun.
    expect(run.results.map((r: { ruleId: string }) => r.ruleId)).toEqual([
      'connection-per-request',
      'test-connection',
      'test-request-line',
      'test-connection',
      'test-request-line',
      'test-connection',
      'test-request-line',
      'test-capture-end',
      'test-connection',
      'test-request-line',
      'content-length-overrun',
      'test-capture-end',
    ]);
    const requestLine = run.results.find((r: { message: { text: string } }) => r.message.text === 'GET /');
    expect(requestLine).toEqual({
      ruleId: 'test-request-line',
      ruleIndex: 37,
      level: 'note',
      message: { text: 'GET /' },
      locations: [{ physicalLocation: { artifactLocation: { uri: `file://${B}` }, region: { startLine: 4 } } }],
      properties: { frames: [4, 6], connection: 1, exchange: 1 },
    });
    expect(run.results[10]).toEqual({
      ruleId: 'content-length-overrun',
      ruleIndex: ids.indexOf('content-length-overrun'),
      level: 'error',
      message: { text: OVERRUN },
      locations: [{ physicalLocation: { artifactLocation: { uri: `file://${B}` }, region: { startLine: 6 } } }],
      properties: { frames: [6], connection: 1, exchange: 1 },
    });
    // The capture-quality rules link the capture tool's docs, not Node.js's.
    const gap = run.tool.driver.rules[ids.indexOf('capture-gap')];
    expect([gap.helpUri, gap.help.markdown.split('\n\n').at(-1)]).toEqual([
      'https://www.tcpdump.org/manpages/tcpdump.1.html',
      '[Documentation](https://www.tcpdump.org/manpages/tcpdump.1.html)',
    ]);

    const multitool = createRequire(import.meta.url).resolve('@microsoft/sarif-multitool-linux/Sarif.Multitool');
    // The package's postinstall (chmod u+x) does not run where npm asks for install-script approval.
    chmodSync(multitool, 0o755);
    const validation = join(dir, 'validation.sarif');
    const v = spawnSync(multitool, ['validate', file, '--output', validation, '--log', 'ForceOverwrite'], { encoding: 'utf8' });
    expect(v.status, v.stdout + v.stderr).toBe(0);
    const problems = JSON.parse(readFileSync(validation, 'utf8')).runs[0].results.filter((r: { level: string }) => r.level === 'error' || r.level === 'warning');
    expect(problems).toEqual([]);
  });

  it('junit: parses as XML with a testsuite per file, a testcase per connection with findings plus "capture", a failure per finding at or above --fail-on', () => {
    const r = lint(A, B, '--format', 'junit', '--fail-on', 'warning');
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'failure'].includes(name) }).parse(r.stdout);
    const suites = xml.testsuites.testsuite as Array<{ name: string; tests: string; failures: string; testcase: Array<{ name: string; failure?: unknown[]; 'system-out'?: string }> }>;
    expect(suites.map((s) => [s.name, s.tests, s.failures])).toEqual([
      [A, '4', '5'],
      [B, '2', '3'],
    ]);
    const cases = (s: (typeof suites)[number]) =>
      s.testcase.map((t) => [t.name, (t.failure ?? []).map((f) => (f as { type: string }).type), (t['system-out'] ?? '').split('\n\n').filter(Boolean).length]);
    // connection-per-request covers three connections, so it goes with the capture-wide findings.
    expect(cases(suites[0])).toEqual([
      ['connection 1', ['test-connection'], 1],
      ['connection 2', ['test-connection'], 1],
      ['connection 3', ['test-connection'], 1],
      ['capture', ['connection-per-request', 'test-capture-end'], 0],
    ]);
    expect(cases(suites[1])).toEqual([
      ['connection 1', ['test-connection', 'content-length-overrun'], 1],
      ['capture', ['test-capture-end'], 0],
    ]);
    expect([xml.testsuites.tests, xml.testsuites.failures, xml.testsuites.errors]).toEqual(['6', '8', '0']);
  });

  it('github: one workflow command per finding', () => {
    const r = lint(B, '--format', 'github');
    expect(r.stdout).toBe(
      [
        `::warning file=${B},line=1,title=test-connection::1 exchange(s), 64 B from the client, 126 B from the server`,
        `::notice file=${B},line=4,title=test-request-line::GET /`,
        `::error file=${B},line=6,title=content-length-overrun::${OVERRUN}`,
        `::error file=${B},title=test-capture-end::1 exchange(s) in 1 connection(s)`,
        '',
      ].join('\n'),
    );
  });
});

describe('traffic text cannot break out of any format', () => {
  let evil: string;
  let config: string;
  const targets = ['/%0A::error::pwned', '/x%0D%0A::error%20file=a,line=1::pwned', '/\x1b[2J\x07\x00</failure>&"\'%3A,', '/a\rb'];

  beforeAll(() => {
    const capture = new SyntheticCapture();
    const c = capture.conversation({ serverPort: 80 }).handshake();
    for (const t of targets) c.send('client', `GET ${t} HTTP/1.1\r\nHost: x\r\n\r\n`).send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    c.fin('client').fin('server');
    evil = capture.writeTemp('evil,name:%0A.pcapng');
    config = join(dir, 'decode.json');
    writeFileSync(config, JSON.stringify({ rules: { 'test-request-line': ['error', { decode: true }], 'test-connection': 'off', 'test-capture-end': 'off' } }));
  });

  it('the capture carries the bytes (sanity check of the fixture)', () => {
    const out = JSON.parse(lint(evil, '--config', config, '--format', 'json').stdout) as Array<{ findings: Array<{ message: string }> }>;
    const messages = out[0].findings.map((f) => f.message);
    expect(messages.length).toBeGreaterThanOrEqual(3);
    expect(messages[0]).toBe('GET /%0A::error::pwned (decoded: /\n::error::pwned)');
    expect(messages[1]).toBe('GET /x%0D%0A::error%20file=a,line=1::pwned (decoded: /x\r\n::error file=a,line=1::pwned)');
    expect(messages.some((m) => m.includes('\x1b[2J'))).toBe(true);
  });

  it('github: every line is one annotation of this file; %, CR, LF escaped in messages, also : and , in properties', () => {
    const r = lint(evil, '--config', config, '--format', 'github');
    const lines = r.stdout.trimEnd().split('\n');
    const findings = (JSON.parse(lint(evil, '--config', config, '--format', 'json').stdout) as Array<{ findings: unknown[] }>)[0].findings.length;
    expect(lines).toHaveLength(findings);
    const file = evil.replace(/%/g, '%25').replace(/:/g, '%3A').replace(/,/g, '%2C');
    for (const line of lines) {
      expect(line.startsWith(`::error file=${file},line=`)).toBe(true);
      expect(line).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    }
    expect(lines[0]).toMatch(/title=test-request-line::GET \/%250A::error::pwned \(decoded: \/%0A::error::pwned\)$/);
    expect(lines[1]).toMatch(/::GET \/x%250D%250A::error%2520file=a,line=1::pwned \(decoded: \/x%0D%0A::error file=a,line=1::pwned\)$/);
    expect(r.stdout).not.toMatch(/^::error::pwned/m);
  });

  it('junit: valid XML with the text intact; stylish: one line per finding, no control bytes', () => {
    const junit = lint(evil, '--config', config, '--format', 'junit').stdout;
    expect(XMLValidator.validate(junit)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (n) => ['testcase', 'failure'].includes(n) }).parse(junit);
    const failures = xml.testsuites.testsuite.testcase[0].failure as Array<{ message: string }>;
    expect(failures[0].message).toBe('test-request-line: GET /%0A::error::pwned (decoded: /\n::error::pwned)');
    expect(failures[1].message).toBe('test-request-line: GET /x%0D%0A::error%20file=a,line=1::pwned (decoded: /x\r\n::error file=a,line=1::pwned)');
    expect(junit).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
    const stylish = lint(evil, '--config', config).stdout;
    expect(stylish).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    const rows = stylish.split('\n').filter((l) => l.startsWith('  frame'));
    expect(rows.length).toBe(failures.length);
    expect(rows[0]).toContain('GET /%0A::error::pwned (decoded: /\\n::error::pwned)');
  });

  it('sarif and json stay valid JSON with the text intact', () => {
    const sarif = JSON.parse(lint(evil, '--config', config, '--format', 'sarif').stdout);
    expect(sarif.runs[0].results[0].message.text).toBe('GET /%0A::error::pwned (decoded: /\n::error::pwned)');
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(pathToFileURL(evil).href);
  });
});
