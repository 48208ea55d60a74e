/**
 * `wirelens open` end to end: the built program in a detached tmux session, driven by keys, asserted
 * on the visible text. (`npm run build` first: bin/wirelens runs dist/.)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SyntheticCapture } from '../helpers/conversation.js';
import { TmuxSession } from '../helpers/tmux.js';
import { tempDir } from '../helpers/temp.js';

let session: TmuxSession | null = null;

afterEach(() => {
  session?.kill();
  session = null;
});

function open(args: string, width?: number, height?: number): TmuxSession {
  session = new TmuxSession(`open ${args}`, width, height);
  return session;
}

describe('wirelens open (tmux)', () => {
  it('shows the connections of tour.pcapng and the status bar; q quits with 0 and leaves the alternate screen', async () => {
    const s = open('captures/tour.pcapng');
    const screen = await s.waitFor('E3 W3 N1');
    expect(screen).toContain('│4    127.0.0.1:38444 → 127.0.0.1:5102');
    expect(screen).toContain('3 reqs / 1 conn');
    expect(screen).toMatch(/captures\/tour\.pcapng │ 117 frames │ 10 conns │ 13 exch │ E3 W3 N1/);
    expect(s.alternateScreen()).toBe(true);
    // The help overlay lists the keys; any key closes it.
    s.keys('?');
    expect(await s.waitFor('─ Keys ─')).toMatch(/│q  Ctrl-C +quit/);
    s.keys('x');
    await s.waitFor((text) => !text.includes('─ Keys ─'));
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
    await s.waitFor('AFTER-EXIT');
    expect(s.alternateScreen()).toBe(false);
  });

  it('a capture of more exchanges than the UI keeps models for: a connection selected later is rebuilt from the file, tabs and all', async () => {
    // 400 connections of two exchanges each: 1 200 models with their connections, over the 1 000 a file keeps all of.
    const cap = new SyntheticCapture();
    for (let c = 1; c <= 400; c++) {
      const conv = cap.conversation().handshake();
      for (const x of [1, 2]) conv.send('client', `GET /c${c}-${x} HTTP/1.1\r\nHost: x\r\n\r\n`).send('server', `HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok`);
      conv.fin('client').fin('server').ack('client');
    }
    const file = cap.writeTemp('many.pcapng');
    const s = open(file);
    await s.waitFor('800 exch');
    // Connection 2's models went while the rest of the file was read (the selection, connection 1, stayed).
    s.keys('j');
    let screen = await s.waitFor('GET /c2-1 HTTP/1.1');
    expect(screen).toContain('Connection 2 · exchange 1');
    expect(screen).toContain('head 31 B · body 0 B (none) · packing no-body · frame 14');
    s.keys('3');
    screen = await s.waitFor('req 1 headers');
    expect(screen).toMatch(/│14 +\+\S+ +→ +PSH,ACK +1 +31 +req 1 headers/);
    s.keys('5');
    screen = await s.waitFor('→ request (client), 31 B at stream offset 0');
    expect(screen).toContain('GET /c2-1 HTTP/1');
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  });

  it('filters with rule:, and jumps from the Findings view to the exchange and its help', async () => {
    const s = open('captures/tour.pcapng');
    await s.waitFor('13 exch');
    s.keys('/');
    s.type('rule:content-length-*');
    s.keys('Enter');
    let screen = await s.waitFor('Connections 2 of 10');
    expect(screen).toContain('filter: rule:content-length-*');
    expect(screen).toMatch(/│7 +127\.0\.0\.1:47796 → 127\.0\.0\.1:5108/);
    expect(screen).toMatch(/│8 +127\.0\.0\.1:57346 → 127\.0\.0\.1:5109/);
    // Escape alone (a key right after it would read as Alt-key), then f once the filter is gone.
    s.keys('Escape');
    await s.waitFor('Connections 10 ');
    s.keys('f');
    screen = await s.waitFor('Findings (7)');
    expect(screen).toMatch(/error +keepalive-reuse-race +10:2/);
    s.keys('j', 'j', 'Enter');
    screen = await s.waitFor('Connection 10 · exchange 2');
    expect(screen).toContain('keepalive-reuse-race  Request sent on a keep-alive connection the server had already closed');
    expect(screen).toContain('frames 114, 116');
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  });

  it('redraws at 80×24 after a resize, the exchange table narrowed but the target readable', async () => {
    const s = open('captures/tour.pcapng');
    await s.waitFor('13 exch');
    s.keys('j', 'j', 'j', 'Tab', 'j');
    await s.waitFor('Connection 4 · exchange 2');
    s.resize(80, 24);
    await s.waitFor(/^└─{78}┘$/m);
    // The borders are redrawn before the tables' rows: wait for the narrowed row as well.
    const screen = await s.waitFor(/│2 +GET +\/2 +200 +138 B +592µs +CL 15/);
    const lines = screen.split('\n');
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(screen).toMatch(/│2 +GET +\/2 +200 +138 B +592µs +CL 15/);
    expect(screen).toMatch(/│4 +127\.0\.0\.1:38444 → 127\.0\.0\.1:5102 +3 reqs +1\.416s +FIN client/);
    expect(screen).toContain('Connection 4 · exchange 2');
    s.keys('C-c');
    expect(await s.exitCode()).toBe(0);
  });

  it('Segments tab: the header frame and the body frame of a flushed-headers response', async () => {
    const s = open('captures/05-flushheaders-then-end.pcapng');
    await s.waitFor('1 exch');
    s.keys('Tab', '3');
    const screen = await s.waitFor('FRAME  TIME');
    // From the request's frame to the one that ended the response (times since the SYN, frame 1).
    expect(screen).not.toMatch(/│1 +\+0µs/);
    expect(screen).toMatch(/│4 +\+\S+ +→ +PSH,ACK +1 +64 +req 1 headers/);
    expect(screen).toMatch(/│6 +\+\S+ +← +PSH,ACK +1 +157 +resp 1 headers/);
    expect(screen).toMatch(/│8 +\+\S+ +← +PSH,ACK +158 +22 +resp 1 (body )?1 chunk/);
    // Raw: the request's bytes, re-read from the file, as hex and ASCII.
    s.keys('5');
    const raw = await s.waitFor('→ request (client), 64 B at stream offset 0');
    expect(raw).toContain('00000000  47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..');
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  });

  it('the ladder of a keep-alive connection: SYN, the labelled request and response arrows, the FINs', async () => {
    const s = open('captures/tour.pcapng');
    await s.waitFor('13 exch');
    s.keys('j', 'j', 'j', 'l');
    await s.waitFor('Ladder — connection 4');
    // blessed paints the screen in several writes: wait for the last row before reading the rest.
    const screen = await s.waitFor(/│ +1\.416s +47 ╎◄─+ FIN ─+│/);
    expect(screen).toMatch(/│ +0µs +31 │─+ SYN ─+►│/);
    expect(screen).toMatch(/│ +21µs +32 │◄─+ SYN-ACK ─+│/);
    expect(screen).toMatch(/│ +109\.3ms +38 │─+ req 2 headers ─+►│/);
    expect(screen).toMatch(/│ +109\.9ms +39 │◄─+ resp 2 headers\+body 15 B ─+│/);
    expect(screen).toMatch(/│ +1\.416s +47 ╎◄─+ FIN ─+│/);
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  });

  it('the ladder opens at the selected exchange of a long connection, three lines of what came before above it', async () => {
    // One keep-alive connection carrying 40 exchanges (3 frames each after the handshake).
    const cap = new SyntheticCapture();
    const conv = cap.conversation({ clientPort: 41000, serverPort: 8080 }).handshake();
    for (let i = 1; i <= 40; i++) {
      conv.send('client', `GET /${i} HTTP/1.1\r\nHost: x\r\n\r\n`).send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok').ack('client').wait(0.1);
    }
    const s = open(cap.writeTemp('long.pcapng'), 140, 40);
    await s.waitFor('40 exch');
    // The exchanges pane, its last exchange (40: frames 121 and 122), the ladder.
    s.keys('Tab', 'End', 'l');
    const screen = await s.waitFor(/│ +\S+ +121 │─+ req 40 headers ─+►│/);
    expect(screen).not.toContain(' SYN ');
    const ladder = screen.split('\n').filter((l) => /^│ +\S+ +\d+ [│╎]/.test(l));
    // Scrolled as far as it goes: exchange 40 and the final ACK are the last lines.
    expect(ladder.at(-1)).toMatch(/│ +\S+ +123 │─+ ACK ─+►│/);
    s.keys('Escape');
    await s.waitFor((text) => !text.includes('Ladder — connection'));
    s.keys('Home', 'l');
    // Exchange 1 (frames 4–5) with the three handshake lines above it: the top of the ladder.
    const top = await s.waitFor(/│ +0µs +1 │─+ SYN ─+►│/);
    expect(top).toMatch(/│ +\S+ +4 │─+ req 1 headers ─+►│/);
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  });

  it("the ladder's arrows end on the server lifeline, the pane's right edge: no border bar beside it", async () => {
    const s = open('captures/19-keepalive-reuse-race.pcapng');
    await s.waitFor('2 exch');
    s.keys('l');
    await s.waitFor('Ladder — connection 1');
    const screen = await s.waitFor(/│ +2\.110s +11 │◄─+ RST ─+╎/);
    const lines = screen.split('\n');
    // 120 columns: the left border, 117 of ladder, the lifeline in column 119, column 120 blank.
    expect(lines.find((l) => l.includes(' 4 │'))).toBe(`│    1.8ms      4 │${'─'.repeat(41)} req 1 headers ${'─'.repeat(42)}►│`);
    expect(lines.find((l) => l.includes(' 10 │'))).toBe(`│   2.110s     10 │${'─'.repeat(41)} req 2 headers ${'─'.repeat(42)}►╎`);
    expect(lines[1]).toMatch(/^│ +time +frame client +server$/);
    expect(lines[1]).toHaveLength(119);
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  });

  it('the Findings view: each column heading starts in the column of its values', async () => {
    const s = open('captures/19-keepalive-reuse-race.pcapng');
    await s.waitFor('2 exch');
    s.keys('f');
    const screen = await s.waitFor(/│error +keepalive-reuse-race +1:2 +GET \/2 HTTP\/1\.1 \(frame 10\)/);
    const lines = screen.split('\n');
    const heading = lines.find((l) => l.includes('SEVERITY'))!;
    const row = lines.find((l) => l.includes('keepalive-reuse-race'))!;
    const columns = (line: string, words: string[]) => words.map((w) => line.indexOf(w));
    expect(columns(heading, ['SEVERITY', 'RULE', 'WHERE', 'MESSAGE'])).toEqual([1, 10, 45, 56]);
    expect(columns(row, ['error', 'keepalive-reuse-race', '1:2', 'GET /2'])).toEqual([1, 10, 45, 56]);
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  });

  it('the help overlay is modal: f under it only closes it, so does a click on a connection; then both act', async () => {
    const s = open('captures/tour.pcapng', 100, 32);
    await s.waitFor('13 exch');
    s.keys('?');
    await s.waitFor(/│q  Ctrl-C +quit/);
    s.keys('f');
    await s.waitFor((text) => !text.includes('─ Keys ─'));
    // Had f opened the Findings view, j would move its cursor, not the connection.
    s.keys('j');
    let screen = await s.waitFor('Exchanges on connection 2 (1)');
    expect(screen).not.toContain('Findings (');
    s.keys('?');
    await s.waitFor(/│q  Ctrl-C +quit/);
    // Row 6 of the screen is connection 4 (border, column header, connections 1-3 above it).
    s.click(10, 6);
    await s.waitFor((text) => !text.includes('─ Keys ─'));
    s.click(10, 6);
    screen = await s.waitFor('Exchanges on connection 4 (3)');
    await keysUntil(s, 'f', 'Findings (7)');
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  });

  it('mouse: a click selects a connection, the wheel moves through its exchanges, a click on a tab opens it', async () => {
    const s = open('captures/tour.pcapng', 100, 32);
    await s.waitFor('13 exch');
    // Row 6 of the screen is connection 4 (border, column header, connections 1-3 above it).
    s.click(10, 6);
    let screen = await s.waitFor('Exchanges on connection 4 (3)');
    const exchangesTop = screen.split('\n').findIndex((l) => l.includes('Exchanges on connection 4'));
    // tmux hands a wheel event to the program like any key; under a loaded machine (the whole suite's
    // tmux sessions at once) one has been seen to go missing: the wheel is turned again, at most twice.
    screen = await wheelUntil(s, 10, exchangesTop + 3, 'Connection 4 · exchange 2');
    // The tab bar is the detail pane's first row: click on "3 Segments".
    const tabRow = screen.split('\n').findIndex((l) => l.includes('1 Request  2 Response')) + 1;
    s.click(25, tabRow);
    screen = await s.waitFor('FRAME  TIME');
    expect(screen).toMatch(/│38 +\+109\.3ms +→ +PSH,ACK +66 +65 +req 2 headers/);
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  });

  it('a missing file is one line and exit 2, before any screen', async () => {
    const s = open('captures/no-such.pcapng');
    expect(await s.exitCode()).toBe(2);
    const screen = await s.waitFor('AFTER-EXIT');
    expect(screen).toMatch(/^wirelens: captures\/no-such\.pcapng: .*no such file/im);
  });

  it('open - : the capture on standard input, its bytes kept for the Raw tab; q quits while the writer still holds the pipe', async () => {
    const fifo = join(tempDir('open'), 'capture.fifo');
    execFileSync('mkfifo', [fifo]);
    const s = open(`- < ${fifo}`, 140, 40);
    const writer = await openFile(fifo, 'w');
    try {
      await writer.write(readFileSync('captures/08-content-length-overrun.pcapng'));
      // The stream is still open: the frame count comes with the analysis' next wall-clock tick.
      await s.waitFor('<stdin> │ 10 frames │ 1 conns │ 1 exch │ E1 W0 N0');
      s.keys('5');
      const screen = await s.waitFor('← response (server), 125 B at stream offset 0');
      expect(screen).toContain('│00000000  47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..');
      // The pipe is still open (no end of file): quitting stops the read, the program exits.
      s.keys('q');
      expect(await s.exitCode()).toBe(0);
    } finally {
      await writer.close();
    }
  });

  it('open - with the terminal as standard input: one line, exit 2, no screen (the keys need the terminal)', async () => {
    const s = open('-');
    expect(await s.exitCode()).toBe(2);
    const screen = await s.waitFor('AFTER-EXIT');
    expect(screen.split('\n')[0]).toBe('wirelens: open -: standard input is the terminal; pipe a capture into it (tcpdump -U -w - | wirelens open -)');
  });

  it('a damaged capture opens with what was read, the damage in the status bar', async () => {
    const dir = tempDir('open');
    writeFileSync(join(dir, 'cut.pcapng'), readFileSync('captures/tour.pcapng').subarray(0, 6000));
    // Opened by a relative name, so the status bar has room for the whole message.
    session = new TmuxSession('open cut.pcapng', undefined, undefined, dir);
    const s = session;
    const screen = await s.waitFor('file ends inside a pcapng block of type 0x00000006 (76 of 100 bytes) at byte offset');
    expect(screen).toMatch(/│1 +127\.0\.0\.1:47204 → 127\.0\.0\.1:5101/);
    expect(screen).toMatch(/│4 +127\.0\.0\.1:38444 → 127\.0\.0\.1:5102 +3 reqs \/ 1 conn +1\.414s +open/);
    s.keys('q');
    expect(await s.exitCode()).toBe(0);
  });
});

/**
 * Presses `key` until `expected` shows: under a loaded machine (the whole suite's tmux sessions at
 * once) a key sent right after a mouse click has been seen to go missing, as a wheel event has.
 */
async function keysUntil(s: ReturnType<typeof open>, key: string, expected: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    s.keys(key);
    try {
      return await s.waitFor(expected, 2500);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

async function wheelUntil(s: ReturnType<typeof open>, x: number, y: number, expected: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    s.wheel(x, y);
    try {
      return await s.waitFor(expected, 2500);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}
