/**
 * The real process: bin/wirelens with the compiled CLI (built by `npm install`/`prepare`, and by
 * this file when missing), writing to the three kinds of standard output processIo tells apart —
 * a regular file and a pipe (direct writeSync, waiting for a slow reader), a pipe closed early (EPIPE).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { SyntheticCapture } from '../helpers/conversation.js';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'bin/wirelens');
const tour = join(root, 'captures/tour.pcapng');
let dir: string;
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

beforeAll(() => {
  if (!existsSync(join(root, 'dist/src/cli/main.js'))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  dir = mkdtempSync(join(tmpdir(), 'wirelens-io-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bin/wirelens standard output', () => {
  it('report --json into a regular file: byte-identical to the in-process output, exit 0', async () => {
    const want = await runCli(['report', '--json', tour]);
    const path = join(dir, 'out.json');
    const fd = openSync(path, 'w');
    const r = spawnSync(bin, ['report', '--json', tour], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    closeSync(fd);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const written = readFileSync(path, 'utf8');
    expect(written).toBe(want.stdout);
    expect((JSON.parse(written) as { frames: number; connections: unknown[] }).frames).toBe(117);
  });

  it('report --json into a pipe: the same bytes', async () => {
    const want = await runCli(['report', '--json', tour]);
    const r = spawnSync(bin, ['report', '--json', tour], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(want.stdout);
  });

  it('a reader that closes the pipe early (| head -c 16) ends it quietly: exit 0, nothing on stderr', () => {
    // 400 exchanges make ~1 MB of JSON, far more than a pipe holds: the writer does meet the closed pipe.
    const cap = new SyntheticCapture();
    const conv = cap.conversation().handshake();
    for (let i = 0; i < 400; i++) conv.send('client', `GET /${i} HTTP/1.1\r\nHost: a\r\n\r\n`).send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    const file = cap.writeTemp('many.pcapng');
    const full = spawnSync(bin, ['report', '--json', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(full.stdout.length).toBeGreaterThan(512 * 1024);
    const r = spawnSync('bash', ['-c', 'set -o pipefail; "$1" report --json "$2" | head -c 16; echo " status=$?"', 'sh', bin, file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('{"schemaVersion" status=0\n');
  });

  it('a pipe whose reader is slow: every byte arrives, blocking or non-blocking descriptor alike', () => {
    const cap = new SyntheticCapture();
    const conv = cap.conversation().handshake();
    for (let i = 0; i < 400; i++) conv.send('client', `GET /${i} HTTP/1.1\r\nHost: a\r\n\r\n`).send('server', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    const file = cap.writeTemp('slow-reader.pcapng');
    const want = spawnSync(bin, ['report', '--json', file], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout;
    expect(want.length).toBeGreaterThan(512 * 1024); // many times what a pipe holds (64 KiB)
    // The second run makes the pipe non-blocking first (a net.Socket on fd 1 does that, as a parent
    // process may), then runs the CLI in the same process: writes meet EAGAIN while the reader sleeps.
    const main = join(root, 'dist/bundle/main.js');
    const nonBlocking = `new (await import('node:net')).Socket({ fd: 1, readable: false, writable: true }).unref(); process.exitCode = await (await import('${main}')).main(process.argv.slice(1))`;
    for (const launch of ['"$1" report --json "$2"', `node --input-type=module -e "${nonBlocking}" report --json "$2"`]) {
      const script = `set -o pipefail; ${launch} | (sleep 0.5; md5sum); echo "status=$?"`;
      const r = spawnSync('bash', ['-c', script, 'sh', bin, file], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(`${md5(want)}  -\nstatus=0\n`);
    }
  });

  it('a damaged capture: exit 2 and the one-line error on stderr, from the real process too', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'root:x:0:0\n');
    const r = spawnSync(bin, ['conns', path], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`wirelens: ${path}: not a pcap or pcapng file (starts with "root:x:0")\n`);
  });

  it('a capture cut short, with output and errors into one file (> out 2>&1): the records first, the error line last', () => {
    const whole = readFileSync(tour);
    const path = join(dir, 'cut.pcapng');
    writeFileSync(path, whole.subarray(0, whole.length - 100));
    const outPath = join(dir, 'both.txt');
    const fd = openSync(outPath, 'w');
    const r = spawnSync(bin, ['conns', '--json', path], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    expect(r.status).toBe(2);
    const lines = readFileSync(outPath, 'utf8').trimEnd().split('\n');
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^wirelens: ${path}: `));
    // Everything before the error line is the whole JSON document, batched writes included.
    const doc = JSON.parse(lines.slice(0, -1).join('\n')) as { connections: unknown[]; frames: number };
    expect(doc.connections.length).toBe(10);
    expect(doc.frames).toBe(115); // tshark reads 115 frames of it too
  });
});
