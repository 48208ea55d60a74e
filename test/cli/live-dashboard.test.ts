/**
 * `wirelens live` on a terminal: the dashboard, driven in tmux (test/helpers/tmux.ts) through the
 * built program (`npm run build` first). With real tcpdump on lo and real Node.js traffic
 * (test/helpers/traffic.ts: two good requests, then a Content-Length overrun; capturing needs
 * root or a tcpdump with capabilities, as test/cli/live.test.ts), and with `-r` of a scenario file.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { parseCaptureBuffer } from '../../src/capture/source.js';
import { writePcap } from '../../src/synth/capture-writer.js';
import { SyntheticCapture } from '../helpers/conversation.js';
import { TmuxSession } from '../helpers/tmux.js';
import { startTrafficServer, type TrafficServer } from '../helpers/traffic.js';

const ROOT = resolve(import.meta.dirname, '../..');
let session: TmuxSession | null = null;
let server: TrafficServer | null = null;

afterEach(async () => {
  session?.kill();
  session = null;
  await server?.close();
  server = null;
});

/** The pids of the tcpdump processes capturing `tcp port PORT` (not zombies: pgrep skips nothing, so /proc says). */
function tcpdumps(port: number): number[] {
  let out = '';
  try {
    out = execFileSync('pgrep', ['-f', `tcpdump .*tcp port ${port}$`], { encoding: 'utf8' });
  } catch {
    return []; // pgrep exits 1 when nothing matches.
  }
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map(Number)
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
      } catch {
        return false;
      }
    });
}

/**
 * Waits until every pattern shows at once (blessed draws top to bottom: a line near the top may
 * already be there while those below are not yet).
 */
function waitForAll(s: TmuxSession, patterns: Array<string | RegExp>, timeoutMs?: number): Promise<string> {
  return s.waitFor((screen) => patterns.every((p) => (typeof p === 'string' ? screen.includes(p) : p.test(screen))), timeoutMs);
}

describe('wirelens live dashboard (tmux)', () => {
  it('tcpdump on lo: the exchanges and the content-length-overrun finding on screen as the traffic runs; q stops tcpdump, exit 0', async () => {
    server = await startTrafficServer();
    const port = server.port;
    session = new TmuxSession(`live -p ${port}`, 140, 40);
    const s = session;
    // The header is drawn once tcpdump is listening.
    await s.waitFor(`live:lo (tcp port ${port}) │`);
    expect(tcpdumps(port).length).toBe(1);
    const seen = await server.run();
    expect(seen.slice(0, 2)).toEqual(['200 ok /one', '200 ok /two']);
    // Within a second of the traffic (issue 11): the overrun exchange on screen with its error mark,
    // selected by follow mode as the newest; the client's close settles later (next wait).
    await waitForAll(s, [/│3 +GET +\/overrun +200 .* E1 +│/, 'Connection 1 · exchange 3'], 1000);
    let screen = await waitForAll(
      s,
      [
        /│ 0 open │ .* exch\/s \(3\) │ E1 W0 N0 │ FOLLOW/,
        'Exchanges on connection 1 (3)',
        'Connection 1 · exchange 3',
        /│1 +127\.0\.0\.1:\d+ → 127\.0\.0\.1:\d+ +3 reqs \/ 1 conn/,
        /│3 +GET +\/overrun +200/,
      ],
      3000,
    );
    expect(screen).toMatch(/│3 +GET +\/overrun +200 .* E1 +│/);
    s.keys('f');
    screen = await waitForAll(s, ['Findings (1)', /error +content-length-overrun +1:3/]);
    expect(screen).toContain('Content-Length: 3 but 4 B sent');
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
    expect(tcpdumps(port)).toEqual([]);
  }, 15_000);

  it('-r of a scenario capture: its exchange and finding, w saves the capture so far (every packet of it) to the current directory, Space pauses, c clears, F and ?', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'wl-live-dash-'));
    try {
      // A short name, so that the status bar has room for the save message.
      copyFileSync(join(ROOT, 'captures/08-content-length-overrun.pcapng'), join(cwd, '08.pcapng'));
      session = new TmuxSession('live -r 08.pcapng', 140, 40, cwd);
      const s = session;
      let screen = await waitForAll(s, [/^08\.pcapng │ .* │ E1 W0 N0 │ ENDED FOLLOW/m, /│1 +GET +\/ +200 .* E1 +│/, '│ 10 frames │ 1 conns │ 1 exch │']);
      expect(screen).toMatch(/│1 +127\.0\.0\.1:47796 → 127\.0\.0\.1:5108 +1 req \/ 1 conn/);
      s.keys('w');
      screen = await s.waitFor(/saved \d+ packets to wirelens-\d{8}-\d{6}\.pcapng/);
      const [, packets, name] = /saved (\d+) packets to (wirelens-\d{8}-\d{6}\.pcapng)/.exec(screen)!;
      expect(readdirSync(cwd).sort()).toEqual(['08.pcapng', name]);
      let expected = 0;
      parseCaptureBuffer('08', readFileSync(join(ROOT, 'captures/08-content-length-overrun.pcapng')), () => expected++);
      expect(Number(packets)).toBe(expected);
      expect(execFileSync('capinfos', ['-c', '-M', join(cwd, name)], { encoding: 'utf8' })).toMatch(new RegExp(`Number of packets:\\s+${expected}\\n`));
      // Space pauses the display; c empties the tables, the counts in the header stay.
      s.keys('Space');
      await s.waitFor('│ ENDED PAUSED FOLLOW');
      s.keys('c');
      screen = await waitForAll(s, ['Connections 0 ', /\(1\) │ E1 W0 N0 │ ENDED PAUSED FOLLOW/]);
      expect(screen).not.toContain('127.0.0.1:47796');
      // F turns follow mode off; the help overlay lists the live keys after the standard ones.
      s.keys('F');
      await s.waitFor(/│ E1 W0 N0 │ ENDED PAUSED\s*$/m);
      s.keys('?');
      // (Waiting for the last line of it: the screen may be caught half drawn.)
      screen = await s.waitFor(/│w +save what was captured so far/);
      expect(screen).toMatch(/│F +follow mode: the newest exchange selected \(on at start\)/);
      s.keys('x');
      await s.waitFor((text) => !text.includes('─ Keys ─'));
      s.keys('q');
      expect(await s.exitCode()).toBe(0);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 15_000);
});

describe('wirelens live dashboard: Space freezes the tables (tmux)', () => {
  it('traffic that comes while paused is held (the header counts it) and shown on resume', async () => {
    // Two one-exchange connections, the second written to the pipe only once the display is paused.
    const cap = new SyntheticCapture();
    const one = (target: string, port: number) =>
      cap
        .conversation({ clientPort: port, serverPort: 8080 })
        .handshake()
        .send('client', `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`)
        .send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
        .fin('client')
        .fin('server')
        .ack('client');
    one('/first', 41001);
    const firstFrames = cap.frames.length;
    one('/second', 41002);
    const whole = writePcap(cap.frames, { linkType: LinkType.ETHERNET });
    const cut = writePcap(cap.frames.slice(0, firstFrames), { linkType: LinkType.ETHERNET }).length;
    const dir = mkdtempSync(join(tmpdir(), 'wl-live-pause-'));
    const fifo = join(dir, 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    try {
      session = new TmuxSession(`live -r ${fifo}`, 140, 40);
      const s = session;
      const writer = await open(fifo, 'w');
      await writer.write(whole.subarray(0, cut));
      // The first connection closed (acked both ways: it leaves at the next wall-clock tick).
      await waitForAll(s, ['┌─ Connections 1 ─', /│1 +GET +\/first +200/, / 0 open │ .* \(1\) │ E0 W0 N0 │ FOLLOW/]);
      s.keys('Space');
      await s.waitFor(/ 0 open │ .* \(1\) │ E0 W0 N0 │ PAUSED FOLLOW/);
      await writer.write(whole.subarray(cut));
      // Held: the second connection's opening, its exchange and its close. The tables and the
      // header's counts stay as they were; a key browses them unchanged.
      let screen = await s.waitFor(/ 0 open │ .* \(1\) │ E0 W0 N0 │ PAUSED \(3 held\) FOLLOW/);
      s.keys('Down');
      screen = await s.waitFor(/ 0 open │ .* \(1\) │ E0 W0 N0 │ PAUSED \(3 held\) FOLLOW/);
      expect(screen).toContain('┌─ Connections 1 ─');
      expect(screen).not.toContain('/second');
      s.keys('Space');
      screen = await waitForAll(s, ['┌─ Connections 2 ─', /│1 +GET +\/second +200/, / \(2\) │ E0 W0 N0 │ FOLLOW/]);
      expect(screen).not.toContain('PAUSED');
      // The end of the capture: two one-exchange connections make connection-per-request's warning.
      await writer.close();
      await s.waitFor(/ \(2\) │ E0 W1 N0 │ ENDED FOLLOW/);
      s.keys('q');
      expect(await s.exitCode()).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});

describe('wirelens live dashboard: the help overlay (tmux)', () => {
  it('is modal: c under it only closes it (the tables stay); c then clears them', async () => {
    session = new TmuxSession(`live -r ${join(ROOT, 'captures/08-content-length-overrun.pcapng')}`, 140, 40);
    const s = session;
    await waitForAll(s, [/│ E1 W0 N0 │ ENDED FOLLOW/, /│1 +GET +\/ +200 .* E1 +│/]);
    s.keys('?');
    await s.waitFor(/│w +save what was captured so far/);
    s.keys('c');
    await s.waitFor((text) => !text.includes('─ Keys ─'));
    // Space pauses: once PAUSED shows, the c before it has been handled.
    s.keys('Space');
    const screen = await s.waitFor('│ ENDED PAUSED FOLLOW');
    expect(screen).toContain('┌─ Connections 1 ─');
    expect(screen).toMatch(/│1 +127\.0\.0\.1:47796 → 127\.0\.0\.1:5108 +1 req \/ 1 conn/);
    s.keys('c');
    await s.waitFor('┌─ Connections 0 ─');
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  }, 15_000);
});

describe('wirelens live dashboard: -r - (tmux)', () => {
  it('the capture on standard input, the keys from the terminal; -c 5 stops before the response (its request unanswered: a note)', async () => {
    session = new TmuxSession(`live -r - < ${join(ROOT, 'captures/08-content-length-overrun.pcapng')}`, 120, 30);
    let screen = await waitForAll(session, [/^<stdin> │ .* │ ENDED FOLLOW/m, /<stdin> │ 10 frames │ 1 conns │ 1 exch │ E1 W0 N0/]);
    expect(screen).toMatch(/│1 +GET +\/ +200 .* E1 +│/);
    // The bytes are re-read from the dashboard's spool of the stream: the Raw tab has them (the response's 122 B head and 3 B body).
    session.keys('5');
    screen = await session.waitFor('← response (server), 125 B at stream offset 0');
    expect(screen).toContain('│00000000  47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..');
    expect(screen).toMatch(/│00000070  65 6f 75 74 3d 35 0d 0a 0d 0a 31 32 33 +eout=5\.\.\.\.123 +│/);
    session.keys('q');
    expect(await session.exitCode()).toBe(0);
    session.kill();

    session = new TmuxSession(`live -c 5 -r - < ${join(ROOT, 'captures/08-content-length-overrun.pcapng')}`, 120, 30);
    screen = await waitForAll(session, [/^<stdin> │ .* │ ENDED FOLLOW/m, /<stdin> │ 5 frames │ 1 conns │ 1 exch │ E0 W0 N1/]);
    expect(screen).toMatch(/│1 +GET +\/ +- /);
    session.keys('q');
    expect(await session.exitCode()).toBe(0);
  }, 15_000);
});

describe('wirelens live dashboard: other ways out (tmux)', () => {
  it('Ctrl-C, then SIGTERM to wirelens, then the terminal closing (SIGHUP): each ends the dashboard with tcpdump gone', async () => {
    server = await startTrafficServer();
    const port = server.port;
    session = new TmuxSession(`live -p ${port}`, 120, 30);
    await session.waitFor(`live:lo (tcp port ${port}) │`);
    expect(tcpdumps(port).length).toBe(1);
    session.keys('C-c');
    expect(await session.exitCode()).toBe(0);
    expect(tcpdumps(port)).toEqual([]);
    session.kill();

    session = new TmuxSession(`live -p ${port}`, 120, 30);
    await session.waitFor(`live:lo (tcp port ${port}) │`);
    const wirelens = execFileSync('pgrep', ['-f', `bin/wirelens live -p ${port}$`], { encoding: 'utf8' }).trim().split('\n').map(Number);
    expect(wirelens.length).toBe(1);
    process.kill(wirelens[0], 'SIGTERM');
    expect(await session.exitCode()).toBe(0);
    expect(tcpdumps(port)).toEqual([]);
    session.kill();

    // Closing the terminal: tmux hangs up on the pane's processes; no exit code to read, tcpdump must go.
    session = new TmuxSession(`live -p ${port}`, 120, 30);
    await session.waitFor(`live:lo (tcp port ${port}) │`);
    expect(tcpdumps(port).length).toBe(1);
    session.kill();
    const deadline = Date.now() + 3000;
    while (tcpdumps(port).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(tcpdumps(port)).toEqual([]);
  }, 15_000);
});
