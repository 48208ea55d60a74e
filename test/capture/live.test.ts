import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, onTestFinished, test } from 'vitest';
import { captureFilter, LiveCaptureError, startTcpdump, tcpdumpArgs } from '../../src/capture/live.js';
import { readCapture } from '../../src/capture/source.js';
import { startTrafficServer } from '../helpers/traffic.js';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for tcpdump that says `stderr` and exits with `code`, as the real one does when it cannot capture. */
function fakeTcpdump(name: string, stderr: string, code: number): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\ncat >&2 <<'EOF'\n${stderr}\nEOF\nexit ${code}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function failure(start: Promise<unknown>): Promise<string> {
  const error = await start.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LiveCaptureError);
  return (error as Error).message;
}

describe('the tcpdump command line', () => {
  test('default: lo, everything TCP, packet-buffered pcap on stdout', () => {
    expect(tcpdumpArgs({})).toEqual(['-i', 'lo', '--immediate-mode', '-U', '-s', '0', '-w', '-', 'tcp']);
  });

  test('-p narrows to the ports, -c becomes tcpdump -c, -f replaces the filter', () => {
    expect(captureFilter([3000, 8080])).toBe('tcp port 3000 or tcp port 8080');
    expect(tcpdumpArgs({ interface: 'eth0', ports: [3000], count: 5 })).toEqual(['-i', 'eth0', '--immediate-mode', '-U', '-s', '0', '-w', '-', '-c', '5', 'tcp port 3000']);
    expect(captureFilter([3000], 'host 10.0.0.1 and tcp')).toBe('host 10.0.0.1 and tcp');
  });
});

describe('startTcpdump: failures are one line with tcpdump own words', () => {
  test('not installed: what to install, and the -r alternative', async () => {
    const message = await failure(startTcpdump({ program: 'wirelens-no-such-tcpdump' }));
    expect(message).toMatch(/^wirelens-no-such-tcpdump not found on PATH.*: install tcpdump \(apt install tcpdump, dnf install tcpdump, apk add tcpdump, brew install tcpdump\), or pipe a capture in with `wirelens live -r -`$/);
  });

  test('no permission: the sudo and setcap remedies after its message', async () => {
    const program = fakeTcpdump('no-permission', "tcpdump: lo: You don't have permission to perform this capture on that device\n(socket: Operation not permitted)", 1);
    expect(await failure(startTcpdump({ program }))).toBe(
      "tcpdump may not capture on lo: lo: You don't have permission to perform this capture on that device (socket: Operation not permitted); run wirelens with sudo, or let tcpdump capture: sudo setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump)",
    );
  });

  test('a bad filter (real tcpdump): its parse error', async () => {
    expect(await failure(startTcpdump({ filter: 'tcp port' }))).toBe("tcpdump failed: can't parse filter expression: syntax error");
  });

  test('an interface that does not exist (real tcpdump)', async () => {
    expect(await failure(startTcpdump({ interface: 'wlnosuch0' }))).toBe('tcpdump failed: wlnosuch0: No such device exists (No such device exists)');
  });

  test('a program that exits without a word', async () => {
    expect(await failure(startTcpdump({ program: fakeTcpdump('silent', '', 3) }))).toBe('tcpdump failed: no message, exit code 3');
  });
});

describe('startTcpdump on lo (real tcpdump)', () => {
  test('listening before it resolves: traffic right after is captured; stop() ends the stream and the process', async () => {
    const server = await startTrafficServer();
    const capture = await startTcpdump({ ports: [server.port] });
    onTestFinished(() => capture.stop());
    expect(capture.filter).toBe(`tcp port ${server.port}`);
    expect(capture.source.name).toBe('live:lo');
    expect(existsSync(`/proc/${capture.pid}`)).toBe(true);
    const frames: number[] = [];
    const reading = readCapture('-', (f) => frames.push(f.data.length), { input: capture.source.stream });
    const seen = await server.run();
    expect(seen.slice(0, 2)).toEqual(['200 ok /one', '200 ok /two']);
    expect(seen[2]).toMatch(/error HPE_INVALID_CONSTANT$/);
    await server.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    capture.stop();
    const result = await reading;
    const exit = await capture.exited;
    expect(exit).toEqual({ code: 0, signal: null, droppedByKernel: 0, messages: [] });
    expect(result.error).toBeNull();
    expect(result.stats.format).toBe('pcap');
    // Handshake, 3 requests, 3 responses, their ACKs, the teardown: at least 3 + 6 + 3 frames.
    expect(frames.length).toBeGreaterThanOrEqual(12);
    expect(existsSync(`/proc/${capture.pid}`)).toBe(false);
  });
});
