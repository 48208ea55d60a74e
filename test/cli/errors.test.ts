/**
 * Input that cannot be read and output that cannot be written: each ends the run with exactly one
 * line on stderr and exit code 2 — in-process where the Io seam allows, and from the real process
 * (bin/wirelens over the compiled dist/) for what only a real descriptor does: /dev/full, a
 * read-only stdout, a pipe closed early.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usage } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';
import { SyntheticCapture } from '../helpers/conversation.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/wirelens');
const tour = join(root, 'captures/tour.pcapng');
const dir = mkdtempSync(join(tmpdir(), 'wirelens-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  if (!existsSync(join(root, 'dist/src/cli/main.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root, stdio: 'ignore' });
});

describe('unreadable input: one line naming the file and what is wrong, exit 2', () => {
  const missing = join(dir, 'nope.pcap');
  const directory = join(dir, 'captures');
  const empty = join(dir, 'empty.pcap');
  const text = join(dir, 'notes.txt');
  const tiny = join(dir, 'tiny.pcap');
  mkdirSync(directory);
  writeFileSync(empty, '');
  writeFileSync(text, 'hello world, "quoted"\n');
  writeFileSync(tiny, 'a\tb');

  const cases: Array<[string, string, string]> = [
    ['a missing file', missing, `wirelens: ${missing}: no such file or directory\n`],
    ['a directory', directory, `wirelens: ${directory}: is a directory, not a capture file\n`],
    ['an empty file', empty, `wirelens: ${empty}: empty file (0 bytes), not a capture\n`],
    ['a text file', text, `wirelens: ${text}: not a pcap or pcapng file (starts with "hello wo")\n`],
    ['three bytes', tiny, `wirelens: ${tiny}: only 3 bytes, too short for a pcap or pcapng file (starts with "a\\tb")\n`],
  ];

  it.each(cases)('report: %s', async (_, path, line) => {
    const r = await runCli(['report', path]);
    expect([r.code, r.stderr]).toEqual([2, line]);
  });

  it.each(cases)('conns --json: %s', async (_, path, line) => {
    const r = await runCli(['conns', '--json', path]);
    expect([r.code, r.stderr]).toEqual([2, line]);
  });

  it('report --json prints nothing for an input with nothing readable: the one line on stderr says it all', async () => {
    const r = await runCli(['report', '--json', text]);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `wirelens: ${text}: not a pcap or pcapng file (starts with "hello wo")\n`]);
  });

  it('a text file on stdin is named <stdin>, from the real process too', () => {
    const r = spawnSync(bin, ['conns', '-'], { input: 'GET / HTTP/1.1\r\n', encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([2, 'wirelens: <stdin>: not a pcap or pcapng file (starts with "GET / HT")\n']);
  });
});

describe('the real process: usage and version', () => {
  it('bare wirelens: the usage on stderr, nothing on stdout, exit 2', () => {
    const r = spawnSync(bin, [], { encoding: 'utf8' });
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', usage + '\n']);
  });

  it('--version from dist/: the package.json version, exit 0', () => {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'wirelens 0.1.0\n', '']);
  });
});

describe('standard output that cannot be written: one line on stderr, exit 2', () => {
  /** Runs bin/wirelens through bash with stdout redirected as `redirect` says. */
  function shell(redirect: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
    return spawnSync('bash', ['-c', `"$0" "$@" ${redirect}`, bin, ...args], { encoding: 'utf8' });
  }
  const enospc = 'wirelens: cannot write output: no space left on device (ENOSPC)\n';

  it.each([
    [['report', tour]],
    [['report', '--json', tour]],
    [['conns', '--json', tour]],
    [['conns', tour]],
    [['follow', tour, '--conn', '1']],
    [['--help']],
    [['--version']],
  ])('%j > /dev/full', (args) => {
    const r = shell('> /dev/full', ...args);
    expect([r.status, r.stderr]).toEqual([2, enospc]);
  });

  it('a stdout opened read-only (1< file): EBADF', () => {
    const readOnly = join(dir, 'read-only.txt');
    writeFileSync(readOnly, '');
    const r = shell(`1< '${readOnly}'`, 'conns', tour);
    expect([r.status, r.stderr]).toEqual([2, 'wirelens: cannot write output: bad file descriptor (EBADF)\n']);
  });

  it('a reader that closes the pipe early (conns | head -c 8): quiet, exit 0', () => {
    // 300 connections make a table far larger than a pipe holds: the writer meets the closed pipe.
    const cap = new SyntheticCapture();
    for (let i = 0; i < 300; i++) cap.conversation().handshake().send('client', 'GET / HTTP/1.1\r\nHost: a\r\n\r\n').send('server', 'HTTP/1.1 204 No Content\r\n\r\n');
    const file = cap.writeTemp('many-conns.pcapng');
    const full = spawnSync(bin, ['conns', '--json', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(full.status).toBe(0);
    expect(full.stdout.length).toBeGreaterThan(128 * 1024);
    const r = spawnSync('bash', ['-c', 'set -o pipefail; "$0" conns --json "$1" | head -c 8; echo " status=$?"', bin, file], { encoding: 'utf8' });
    expect([r.stdout, r.stderr]).toEqual(['{"schema status=0\n', '']);
  });
});

describe('report takes its rule settings from wirelens.config.json in the working directory, as lint does', () => {
  const overrun = join(root, 'captures/08-content-length-overrun.pcapng');
  const project = join(dir, 'project');
  mkdirSync(project, { recursive: true });

  it('a misspelt rule id: one line naming the file and the key, exit 2, nothing on stdout', () => {
    writeFileSync(join(project, 'wirelens.config.json'), '{"rules":{"content-length-overun":"error"}}');
    const r = spawnSync(bin, ['report', overrun], { cwd: project, encoding: 'utf8' });
    expect([r.status, r.stdout, r.stderr]).toEqual([
      2,
      '',
      'wirelens: wirelens.config.json: rules.content-length-overun: unknown rule (did you mean content-length-overrun?)\n',
    ]);
  });

  it("a rule turned off is not reported; by default the overrun is an error (citing Node's verdict, which adds no finding of its own)", () => {
    const findingsLine = (stdout: string) => stdout.split('\n')[1];
    writeFileSync(join(project, 'wirelens.config.json'), '{"rules":{"content-length-overrun":"off"}}');
    const off = spawnSync(bin, ['report', overrun], { cwd: project, encoding: 'utf8' });
    expect([off.status, findingsLine(off.stdout)]).toEqual([0, '  findings   no findings in 1 connection']);
    expect(off.stdout).not.toContain('[content-length-overrun]');
    expect(off.stdout).not.toContain('[node-parser-error]');
    const byDefault = spawnSync(bin, ['report', overrun], { cwd: dir, encoding: 'utf8' });
    expect([byDefault.status, findingsLine(byDefault.stdout)]).toEqual([0, '  findings   1 error, 0 warnings, 0 notes in 1 connection (explained at the end)']);
    expect(byDefault.stdout).toContain('1 B excess in frame 6 — Node.js (node ');
  });
});

describe('report --config F', () => {
  it('takes the rule settings from F wherever the command runs', () => {
    const config = join(dir, 'lowered.json');
    writeFileSync(config, '{"rules":{"content-length-overrun":"warning"}}');
    const r = spawnSync(bin, ['report', join(root, 'captures/08-content-length-overrun.pcapng'), '--config', config], { cwd: dir, encoding: 'utf8' });
    expect([r.status, r.stdout.split('\n')[1]]).toEqual([0, '  findings   0 errors, 1 warning, 0 notes in 1 connection (explained at the end)']);
    expect(r.stdout).toContain('      ⚠ warning  the 200 response: Content-Length: 3 but 4 B sent: 1 B excess in frame 6 — Node.js (');
    expect(r.stdout).toMatch(/^ {6}⚠ warning {2}the 200 response: Content-Length: 3 but 4 B sent: .* {2}\[content-length-overrun\]$/m);
  });
});
