/**
 * `wirelens live` through the real process (bin/wirelens over dist/), with real tcpdump on lo and
 * real Node.js traffic (test/helpers/traffic.ts: two good requests, then one whose response
 * overruns its Content-Length). Capturing needs root or a tcpdump with capabilities (CI runs as
 * root). Also: the same through `-r -` fed by tcpdump, tcpdump missing, every stopping signal
 * (tcpdump must be gone after each), and `-r FILE` in process.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parseCaptureBuffer } from '../../src/capture/source.js';
import { capture } from '../helpers/captures.js';
import { runCli } from '../helpers/cli.js';
import { startTrafficServer } from '../helpers/traffic.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/wirelens');
let dir: string;

beforeAll(() => {
  if (!existsSync(join(root, 'dist/src/cli/live.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'wirelens-live-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every process a test started: one still running after a failed test is stopped (SIGTERM: wirelens then stops its tcpdump). */
const started = new Set<ChildProcess>();
afterEach(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  started.clear();
});

/** The stylish line of the overrun (frame numbers depend on the kernel's ACK timing: both are the response's last frame). */
/** Node's verdict on the overrun's excess byte, as content-length-overrun cites it (no node-parser-error finding besides). */
const NODE_SAYS = `Node.js \\(node ${process.versions.node.replaceAll('.', '\\.')}, llhttp ${(process.versions.llhttp ?? '').replaceAll('.', '\\.')}\\): HPE_INVALID_CONSTANT "Expected HTTP/, RTSP/ or ICE/" at offset \\d+ \\(frame \\d+\\); the request emits 'error' \\(HPE_INVALID_CONSTANT\\) and the socket is destroyed`;
const OVERRUN = new RegExp(`^ {2}frame (\\d+) {2}error {4}the 200 response: Content-Length: 3 but 4 B sent: 1 B excess in frame (\\d+) — ${NODE_SAYS} {2}content-length-overrun$`, 'm');

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first stderr line matching `pattern` (its match). */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `stdin`: another process's standard output, given as is (a pipe from process to process). */
function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: Readable; keepStdout?: boolean } = {}): Running {
  const child = spawn(command, args, { env: options.env ?? process.env, stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'] });
  started.add(child);
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  // Kept as bytes for the next process, or read here as text.
  if (!options.keepStdout) child.stdout?.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr?.setEncoding('utf8').on('data', (t: string) => {
    stderr += t;
    for (const w of [...waiters]) {
      const m = w.pattern.exec(stderr);
      if (m !== null) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: (pattern) => {
      const m = pattern.exec(stderr);
      return m !== null ? Promise.resolve(m) : new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
    exit,
  };
}

const CAPTURING = /wirelens: capturing on lo \(([^)]*)\) with tcpdump, pid (\d+); Ctrl-C stops\n/;
/**
 * Whether a process is running: not gone and not a zombie (a tcpdump that outlived wirelens is
 * reparented, and a container's init may never reap it once it exits).
 */
function alive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

/** Waits up to `ms` for a process to end. */
async function gone(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (!alive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !alive(pid);
}
/** The parent pid of a live process, from /proc. */
const parentOf = (pid: number): number => Number(/^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

describe('wirelens live --lint with tcpdump on lo', () => {
  test('real keep-alive traffic with one overrun: the finding line while capturing, exit 1 at --duration; --write saved the same capture', async () => {
    const server = await startTrafficServer();
    const written = join(dir, 'written.pcap');
    const live = run(bin, ['live', '--lint', '-p', String(server.port), '--duration', '3', '--write', written]);
    const [, filter, pid] = await live.waitFor(CAPTURING);
    expect(filter).toBe(`tcp port ${server.port}`);
    expect(parentOf(Number(pid))).toBe(live.child.pid);
    const seen = await server.run();
    expect(seen.slice(0, 2)).toEqual(['200 ok /one', '200 ok /two']);
    await server.close();
    const { code } = await live.exit;
    expect(code).toBe(1);
    const line = OVERRUN.exec(live.stdout());
    expect(line).not.toBeNull();
    expect(line?.[1]).toBe(line?.[2]);
    expect(live.stdout()).toBe(`live:lo\n${line?.[0]}\n\n✖ 1 problem (1 error, 0 warnings, 0 notes)\n`);
    const frames = Number(/live:lo: (\d+) frames, 1 connection, 3 exchanges\n/.exec(live.stderr())?.[1]);
    expect(frames).toBeGreaterThanOrEqual(12);
    expect(alive(Number(pid))).toBe(false);

    // The saved file is whole and holds the same frames: lint finds the same line in it.
    const parsed = parseCaptureBuffer(written, readFileSync(written), () => {});
    expect(parsed.error).toBeNull();
    expect(parsed.stats).toMatchObject({ format: 'pcap', frames });
    const lint = await runCli(['lint', written]);
    expect(lint.code).toBe(1);
    expect(lint.stdout).toMatch(new RegExp(`^  frame ${line?.[1]}  error  the 200 response: Content-Length: 3 but 4 B sent: 1 B excess in frame ${line?.[1]} — ${NODE_SAYS}  content-length-overrun$`, 'm'));
  });

  test('-r - fed by `tcpdump -w -`: the same finding; the end of the stream ends the capture', async () => {
    const server = await startTrafficServer();
    const tcpdump = run('tcpdump', ['-i', 'lo', '--immediate-mode', '-U', '-s', '0', '-w', '-', `tcp port ${server.port}`], { keepStdout: true });
    const live = run(bin, ['live', '--lint', '-r', '-'], { stdin: tcpdump.child.stdout ?? undefined });
    await tcpdump.waitFor(/listening on lo/);
    await server.run();
    await server.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    tcpdump.child.kill('SIGINT');
    const { code } = await live.exit;
    expect([code, live.stderr()]).toEqual([1, expect.stringMatching(/^wirelens: <stdin>: \d+ frames, 1 connection, 3 exchanges\n$/)]);
    expect(live.stdout()).toMatch(OVERRUN);
    expect(live.stdout()).toMatch(/^<stdin>\n/);
    expect(live.stderr()).toMatch(/^wirelens: <stdin>: \d+ frames, 1 connection, 3 exchanges\n$/);
  });

  test('standard output a regular file (written in batches by other commands): each finding is in it while the capture runs', async () => {
    const server = await startTrafficServer();
    const path = join(dir, 'findings.txt');
    const fd = openSync(path, 'w');
    const child = spawn(bin, ['live', '--lint', '-p', String(server.port)], { stdio: ['ignore', fd, 'pipe'] });
    started.add(child);
    closeSync(fd);
    let stderr = '';
    await new Promise<void>((resolve) =>
      child.stderr?.setEncoding('utf8').on('data', (t: string) => {
        stderr += t;
        if (CAPTURING.test(stderr)) resolve();
      }),
    );
    await server.run();
    await server.close();
    for (let i = 0; i < 40 && !OVERRUN.test(readFileSync(path, 'utf8')); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readFileSync(path, 'utf8')).toMatch(new RegExp(`^live:lo\n${OVERRUN.source.slice(1, -1)}\n$`));
    expect(child.exitCode).toBeNull();
    child.kill('SIGINT');
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(1);
    expect(readFileSync(path, 'utf8')).toMatch(/\n\n✖ 1 problem \(1 error, 0 warnings, 0 notes\)\n$/);
  });

  test('-c N: tcpdump stops after N packets (the handshake), nothing found: exit 0', async () => {
    const server = await startTrafficServer();
    const live = run(bin, ['live', '--lint', '-p', String(server.port), '-c', '3']);
    const [, , pid] = await live.waitFor(CAPTURING);
    await server.run();
    await server.close();
    const { code } = await live.exit;
    expect([code, live.stdout()]).toEqual([0, '']);
    // The handshake: one connection, reported at the end of the capture, no exchange yet.
    expect(live.stderr()).toMatch(/wirelens: live:lo: 3 frames, 1 connection, 0 exchanges\n$/);
    expect(alive(Number(pid))).toBe(false);
  });
});

describe('wirelens live: stopping leaves no tcpdump behind', () => {
  test.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s: tcpdump (its child) is gone, exit 0', async (signal) => {
    const live = run(bin, ['live', '-p', '9']);
    const [, , pidText] = await live.waitFor(CAPTURING);
    const pid = Number(pidText);
    expect(alive(pid)).toBe(true);
    expect(parentOf(pid)).toBe(live.child.pid);
    live.child.kill(signal);
    const { code } = await live.exit;
    expect(code).toBe(0);
    expect(alive(pid)).toBe(false);
    expect(live.stderr()).toMatch(/wirelens: live:lo: 0 frames, 0 connections, 0 exchanges\n$/);
  });

  test('SIGKILL (no handler runs): the watchdog stops tcpdump', async () => {
    const live = run(bin, ['live', '-p', '9']);
    const [, , pidText] = await live.waitFor(CAPTURING);
    const pid = Number(pidText);
    live.child.kill('SIGKILL');
    expect((await live.exit).signal).toBe('SIGKILL');
    expect(await gone(pid, 2000)).toBe(true);
  });

  test('SIGINT with --write after traffic: the file is a whole capture with the overrun in it', async () => {
    const server = await startTrafficServer();
    const written = join(dir, 'interrupted.pcap');
    const live = run(bin, ['live', '-p', String(server.port), '--write', written]);
    const [, , pid] = await live.waitFor(CAPTURING);
    await server.run();
    await server.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    live.child.kill('SIGINT');
    // Without --lint the finding is printed but does not fail the run.
    expect((await live.exit).code).toBe(0);
    expect(live.stdout()).toMatch(OVERRUN);
    expect(alive(Number(pid))).toBe(false);
    expect(parseCaptureBuffer(written, readFileSync(written), () => {}).error).toBeNull();
    expect((await runCli(['lint', written])).code).toBe(1);
  });
});

describe('wirelens live: tcpdump cannot run', () => {
  test('not on PATH: exit 2, what to install', async () => {
    const live = run(process.execPath, [bin, 'live', '--lint'], { env: { ...process.env, PATH: '/nonexistent' } });
    expect((await live.exit).code).toBe(2);
    expect(live.stdout()).toBe('');
    expect(live.stderr()).toBe(
      'wirelens: tcpdump not found on PATH: install tcpdump (apt install tcpdump, dnf install tcpdump, apk add tcpdump, brew install tcpdump), or pipe a capture in with `wirelens live -r -`\n',
    );
  });

  test("a filter tcpdump rejects: exit 2 with tcpdump's words", async () => {
    const r = await runCli(['live', '--lint', '-f', 'tcp port']);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', "wirelens: tcpdump failed: can't parse filter expression: syntax error\n"]);
  });
});

describe('wirelens live: what tcpdump says is shown (a stand-in tcpdump on PATH replays a capture)', () => {
  /** A `tcpdump` that warns, says it listens, writes the 08 capture, reports its counts and exits with `code`. */
  function fakeTcpdumpDir(code: number, last: string): string {
    const fake = mkdtempSync(join(dir, 'fake-'));
    const script = [
      '#!/bin/sh',
      "echo 'tcpdump: WARNING: lo: no IPv4 address assigned' >&2",
      "echo 'tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes' >&2",
      `cat '${capture('08-content-length-overrun.pcapng')}'`,
      `echo '${last}' >&2`,
      "echo '10 packets captured' >&2",
      "echo '12 packets received by filter' >&2",
      "echo '3 packets dropped by kernel' >&2",
      `exit ${code}`,
    ].join('\n');
    writeFileSync(join(fake, 'tcpdump'), `${script}\n`, { mode: 0o755 });
    return fake;
  }

  test('its warning and the kernel drops on stderr after the findings; the findings decide the exit code', async () => {
    const fake = fakeTcpdumpDir(0, 'tcpdump: WARNING: 2 packets truncated');
    const live = run(process.execPath, [bin, 'live', '--lint'], { env: { ...process.env, PATH: `${fake}:${process.env.PATH}` } });
    expect((await live.exit).code).toBe(1);
    expect(live.stdout()).toContain('content-length-overrun');
    expect(live.stderr().replace(/pid \d+/, 'pid N')).toBe(
      [
        'wirelens: capturing on lo (tcp) with tcpdump, pid N; Ctrl-C stops',
        'wirelens: live:lo: 10 frames, 1 connection, 1 exchange',
        'wirelens: tcpdump: 3 packets dropped by the kernel (the capture has gaps)',
        'wirelens: tcpdump: WARNING: lo: no IPv4 address assigned',
        'wirelens: tcpdump: WARNING: 2 packets truncated',
        '',
      ].join('\n'),
    );
  });

  test('tcpdump failing mid-capture: what it read is reported, then its words, exit 2', async () => {
    const fake = fakeTcpdumpDir(1, 'tcpdump: pcap_loop: The interface disappeared');
    const live = run(process.execPath, [bin, 'live', '--lint'], { env: { ...process.env, PATH: `${fake}:${process.env.PATH}` } });
    expect((await live.exit).code).toBe(2);
    expect(live.stdout()).toContain('content-length-overrun');
    expect(live.stderr()).toMatch(
      /\nwirelens: tcpdump failed \(exit code 1\): WARNING: lo: no IPv4 address assigned pcap_loop: The interface disappeared\n$/,
    );
  });
});

describe('wirelens live -r FILE (in process)', () => {
  const overrun = capture('08-content-length-overrun.pcapng');
  const node = `Node.js (node ${process.versions.node}, llhttp ${process.versions.llhttp}): HPE_INVALID_CONSTANT "Expected HTTP/, RTSP/ or ICE/" at offset 125 (frame 6); the request emits 'error' (HPE_INVALID_CONSTANT) and the socket is destroyed`;
  const overrunLine = `  frame 6  error    the 200 response: Content-Length: 3 but 4 B sent: 1 B excess in frame 6 — ${node}  content-length-overrun\n`;

  test('stylish lines, the summary line, exit 1', async () => {
    const r = await runCli(['live', '--lint', '-r', overrun]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${overrun}\n${overrunLine}\n✖ 1 problem (1 error, 0 warnings, 0 notes)\n`);
    // A regular file: no tally on stderr (that is for streams).
    expect(r.stderr).toBe('');
  });

  test('-r a named pipe: read as it is written; a stream, so the tally comes on stderr', async () => {
    const fifo = join(dir, 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    const live = run(bin, ['live', '--lint', '-r', fifo]);
    const writer = run('sh', ['-c', 'cat "$1" > "$2"', 'sh', overrun, fifo]);
    expect((await writer.exit).code).toBe(0);
    expect((await live.exit).code).toBe(1);
    expect(live.stdout()).toContain(overrunLine);
    expect(live.stderr()).toBe(`wirelens: ${fifo}: 10 frames, 1 connection, 1 exchange\n`);
  });

  test('--format json: one document at the end, as lint writes it', async () => {
    const [live, lint] = await Promise.all([runCli(['live', '--lint', '-r', overrun, '--format', 'json']), runCli(['lint', overrun, '--format', 'json'])]);
    expect(live.code).toBe(1);
    expect(live.stdout).toBe(lint.stdout);
  });

  test('--format github: one annotation per finding', async () => {
    const r = await runCli(['live', '--lint', '-r', overrun, '--format', 'github']);
    expect(r.stdout).toBe(
      `::error file=${overrun},line=6,title=content-length-overrun::the 200 response: Content-Length: 3 but 4 B sent: 1 B excess in frame 6 — ${node}\n`,
    );
  });

  test('--fail-on and --rule as for lint; without --lint the findings do not fail the run', async () => {
    // The overrun lowered to a warning: Node's verdict adds no error of its own, with or without it.
    expect((await runCli(['live', '--lint', '--no-node-verdict', '-r', overrun, '--rule', 'content-length-overrun=warning'])).code).toBe(0);
    expect((await runCli(['live', '--lint', '-r', overrun, '--rule', 'content-length-overrun=warning'])).code).toBe(0);
    expect((await runCli(['live', '--lint', '--no-node-verdict', '-r', overrun, '--rule', 'content-length-overrun=warning', '--fail-on', 'warning'])).code).toBe(1);
    expect((await runCli(['live', '--lint', '--no-node-verdict', '-r', overrun, '--rule', 'content-length-overrun=warning', '--max-warnings', '0'])).code).toBe(1);
    const r = await runCli(['live', '-r', overrun]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('content-length-overrun');
  });

  test('-c 5 stops before the overrun (frame 6): the request is unanswered at the end (a note), exit 0; --write holds exactly those 5 packets', async () => {
    const written = join(dir, 'five.pcapng');
    const r = await runCli(['live', '--lint', '-r', overrun, '-c', '5', '--write', written]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${overrun}\n  frame 4  note     GET / HTTP/1.1 (frame 4) had waited 15µs without a response byte when the capture ended  unanswered-request\n\n✖ 1 problem (0 errors, 0 warnings, 1 note)\n`,
    );
    expect(r.stderr).toBe('');
    const saved = parseCaptureBuffer(written, readFileSync(written), () => {});
    expect(saved.error).toBeNull();
    expect(saved.stats.frames).toBe(5);
  });

  test('a damaged stream: what was read is reported, then the error line, exit 2', async () => {
    const r = await runCli(['live', '--lint', '-r', join(root, 'package.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`wirelens: ${join(root, 'package.json')}: not a pcap or pcapng file`);
  });

  test.each([
    [['-r', '-', '-p', '80'], 'wirelens live: -r reads a capture stream; -i, -p and -f are for tcpdump\n'],
    [['-p', '70000'], "wirelens live: -p must be a port number from 1 to 65535, not '70000'\n"],
    [['-p', '80', '-f', 'tcp'], 'wirelens live: -f replaces the default filter and -p narrows it: put the ports in the -f expression\n'],
    [['-c', '0'], "wirelens live: -c must be a whole number from 1 up, not '0'\n"],
    [['--keep', '0'], "wirelens live: --keep must be a whole number from 1 up, not '0'\n"],
    [['--duration', 'soon'], "wirelens live: --duration must be a number of seconds above 0, not 'soon'\n"],
    [['--format', 'xml'], "wirelens live: --format must be stylish, json, sarif, junit or github, not 'xml'\n"],
  ])('usage error %j', async (args, line) => {
    const r = await runCli(['live', ...args]);
    expect([r.code, r.stderr]).toEqual([2, line]);
  });
});
