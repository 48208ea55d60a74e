/**
 * A refused connection whose client connected to the same port on another address right after
 * (Node 20's autoSelectFamily: `localhost` → `::1` refused, 127.0.0.1 served) names that connection
 * in handshake.fallback, and connection-refused leaves it alone. Recording: captures/45.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectionRecord } from '../../src/tcp/connection.js';
import { FallbackWatch } from '../../src/tcp/fallback.js';
import { runCli } from '../helpers/cli.js';

const record = (id: number, ip: string, port: number): ConnectionRecord =>
  ({ id, server: { ip, port }, handshake: { refused: false, fallback: null } }) as unknown as ConnectionRecord;

describe('FallbackWatch', () => {
  it('the next connection to the same port on another address within 0.3 s of the RST is the fallback', () => {
    const watch = new FallbackWatch();
    const refused = record(1, '::1', 5146);
    watch.refused(refused, 10);
    watch.opened(record(2, '::1', 5146), 10.001); // the same address again: a retry, not a fallback
    watch.opened(record(3, '127.0.0.1', 8080), 10.002); // another port
    watch.opened(record(4, '127.0.0.1', 5146), 10.003);
    watch.opened(record(5, '127.0.0.1', 5146), 10.004);
    expect(refused.handshake.fallback).toBe(4);
  });

  it('not after 0.3 s', () => {
    const watch = new FallbackWatch();
    const refused = record(1, '::1', 5146);
    watch.refused(refused, 10);
    watch.opened(record(2, '127.0.0.1', 5146), 10.31);
    expect(refused.handshake.fallback).toBeNull();
  });
});

describe('45-localhost-fallback.pcapng', () => {
  it('connection 1 (refused, [::1]) falls back to connection 2 (127.0.0.1, both GETs); lint finds nothing', async () => {
    const conns = await runCli(['conns', 'captures/45-localhost-fallback.pcapng', '--json']);
    const list = (JSON.parse(conns.stdout) as { connections: Array<{ id: number; server: string; handshake: { refused: boolean; fallback: number | null } }> }).connections;
    expect(list.map((c) => [c.id, c.server, c.handshake.refused, c.handshake.fallback])).toEqual([
      [1, '[::1]:5146', true, 2],
      [2, '127.0.0.1:5146', false, null],
    ]);
    const lint = await runCli(['lint', 'captures/45-localhost-fallback.pcapng', '--format', 'json']);
    expect([lint.code, (JSON.parse(lint.stdout) as Array<{ findings: unknown[] }>)[0].findings]).toEqual([0, []]);
    const report = await runCli(['report', 'captures/45-localhost-fallback.pcapng']);
    expect(report.stdout).toContain('  handshake  SYN frame 1 answered by RST: connection refused; the client connected to the same port on another address right after (connection 2)\n');
  });
});
