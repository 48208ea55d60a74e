/** wirelens diagram: one connection's segments as a text ladder or a Mermaid sequenceDiagram. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { capture } from '../helpers/captures.js';

describe('wirelens diagram', () => {
  it('draws a flushed header as a text ladder at the width asked for', async () => {
    const r = await runCli(['diagram', capture('05-flushheaders-then-end.pcapng'), '--conn', '1', '--width', '64']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'connection 1: client 127.0.0.1:58310 → server 127.0.0.1:5105, 12 segments, 1 exchange',
        '     time  frame client                                   server',
        '      0µs      1 │─────────────────── SYN ────────────────────►│',
        '     20µs      2 │◄───────────────── SYN-ACK ──────────────────│',
        '     42µs      3 │─────────────────── ACK ────────────────────►│',
        '    2.5ms      4 │────────────── req 1 headers ───────────────►│',
        '    2.5ms      5 │◄─────────────────── ACK ────────────────────│',
        '    4.3ms      6 │◄────────────── resp 1 headers ──────────────│',
        '    4.3ms      7 │─────────────────── ACK ────────────────────►│',
        '   55.1ms      8 │◄─────────── resp 1 body 1 chunk ────────────│',
        '   55.1ms      9 │─────────────────── ACK ────────────────────►│',
        '   58.1ms     10 │─────────────────── FIN ────────────────────►│',
        '   59.1ms     11 ╎◄─────────────────── FIN ────────────────────│',
        '   59.1ms     12 ╎─────────────────── ACK ────────────────────►╎',
        "                 ╎ after that side's FIN/RST",
        '',
      ].join('\n'),
    );
  });

  it('writes a Mermaid sequenceDiagram of the reuse race', async () => {
    const r = await runCli(['diagram', capture('19-keepalive-reuse-race.pcapng'), '--conn', '1', '--format', 'mermaid']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual(['sequenceDiagram', '  participant C as client 127.0.0.1:35278', '  participant S as server 127.0.0.1:5119']);
    expect(lines.slice(-4)).toEqual(['  C->>S: req 2 headers · 2.110s · frame 10', '  S->>C: RST · 2.110s · frame 11', '  Note right of S: server reset the connection (RST)', '']);
    expect(lines).toHaveLength(18);
  });

  it('picks one connection out of many: the third of the tour', async () => {
    const r = await runCli(['diagram', capture('tour.pcapng'), '--conn', '3']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^connection 3: client 127\.0\.0\.1:\d+ → server 127\.0\.0\.1:\d+, \d+ segments, \d+ exchanges?$/);
  });

  it('names the file and the ids that exist for an unknown connection, exit 2', async () => {
    const tour = await runCli(['diagram', capture('tour.pcapng'), '--conn', '30']);
    expect(tour.code).toBe(2);
    expect(tour.stdout).toBe('');
    expect(tour.stderr).toBe(`wirelens: ${capture('tour.pcapng')}: no connection 30 (connections are 1-10; see \`wirelens conns ${capture('tour.pcapng')}\`)\n`);
    const one = await runCli(['diagram', capture('19-keepalive-reuse-race.pcapng'), '--conn', '2']);
    expect(one.stderr).toContain(': no connection 2 (the only connection is 1;');
  });

  it.each([
    [['--conn', 'x'], 'wirelens diagram: diagram needs --conn ID, a connection id from `wirelens conns` (1, 2, …)\n'],
    [['--conn', '1', '--width', '30'], "wirelens diagram: --width must be a whole number of columns, at least 40, not '30'\n"],
    [['--conn', '1', '--format', 'mermaid', '--width', '90'], 'wirelens diagram: --width is for the text ladder; a Mermaid diagram has no width\n'],
  ])('refuses %j with one line, exit 2', async (args, message) => {
    const r = await runCli(['diagram', capture('19-keepalive-reuse-race.pcapng'), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(message);
  });

  it('says once what is wrong with an unreadable file, and nothing about connections', async () => {
    const r = await runCli(['diagram', '/nonexistent/x.pcapng', '--conn', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('wirelens: /nonexistent/x.pcapng: no such file or directory\n');
  });
});
