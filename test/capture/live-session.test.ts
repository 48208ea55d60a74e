import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, onTestFinished, test } from 'vitest';
import { analyse } from '../../src/analysis/analysis.js';
import { LiveSession } from '../../src/capture/live-session.js';
import { parseCaptureBuffer } from '../../src/capture/source.js';
import { setupRules } from '../../src/lint/setup.js';
import { capture } from '../helpers/captures.js';
import { startTrafficServer } from '../helpers/traffic.js';

const dir = mkdtempSync(join(tmpdir(), 'wirelens-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('LiveSession', () => {
  test('-r a file with the spool and --write: the stream goes through both unchanged; the spool still saves after close()', async () => {
    const file = capture('08-content-length-overrun.pcapng');
    const written = join(dir, 'written.pcapng');
    const session = await LiveSession.open({ read: file, write: written, spool: true });
    expect(session.name).toBe(file);
    expect(session.tcpdump).toBeNull();
    const summary = await analyse(session.source, { signal: session.signal });
    expect(summary).toMatchObject({ frames: 10, exchanges: 1, error: null });
    expect(await session.close()).toBeNull();
    expect(readFileSync(written)).toEqual(readFileSync(file));
    const saved = join(dir, 'saved.pcapng');
    expect(session.spool?.save(saved)).toEqual({ bytes: readFileSync(file).length, packets: 10 });
    expect(readFileSync(saved)).toEqual(readFileSync(file));
    session.spool?.dispose();
  });

  test('-r a file without recorders: the path itself (read with positioned reads)', async () => {
    const file = capture('08-content-length-overrun.pcapng');
    const session = await LiveSession.open({ read: file });
    expect(session.source).toBe(file);
    expect(session.spool).toBeNull();
  });

  test('tcpdump on lo with the spool: a save made during the capture holds what was captured so far; stop() and close() leave no tcpdump', async () => {
    const server = await startTrafficServer();
    const session = await LiveSession.open({ ports: [server.port], spool: true });
    onTestFinished(async () => {
      await session.close();
      session.spool?.dispose();
    });
    const pid = session.tcpdump?.pid as number;
    expect(existsSync(`/proc/${pid}`)).toBe(true);
    const findings: string[] = [];
    const { active } = await setupRules({ cwd: dir });
    const analysis = analyse(session.source, { signal: session.signal, rules: active }, { finding: (f) => findings.push(f.ruleId) });
    await server.run();
    await server.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const midway = join(dir, 'midway.pcap');
    const saved = session.spool?.save(midway);
    expect(session.spool?.format).toBe('pcap');
    const parsed = parseCaptureBuffer(midway, readFileSync(midway), () => {});
    expect(parsed.error).toBeNull();
    expect(parsed.stats.frames).toBe(saved?.packets);
    expect(saved?.packets).toBeGreaterThanOrEqual(12);
    session.stop();
    const summary = await analysis;
    expect(findings).toContain('content-length-overrun');
    expect(summary.frames).toBeGreaterThanOrEqual(saved?.packets ?? 0);
    expect(await session.close()).toMatchObject({ code: 0, signal: null, messages: [] });
    expect(session.stopped).toBe(true);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    session.spool?.dispose();
  });
});
