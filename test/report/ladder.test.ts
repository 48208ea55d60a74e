/** renderLadder: one arrow per segment, fitted to the width, the telling patterns visible. */
import { describe, expect, it } from 'vitest';
import { ladderLines, renderLadder } from '../../src/report/ladder.js';
import { capture, realCaptures } from '../helpers/captures.js';
import { labelledConnections, outOfOrderCapture } from '../helpers/segments.js';

async function ladder(file: string, width: number, id = 1): Promise<string[]> {
  const { rows } = await labelledConnections(file);
  return renderLadder(rows.get(id)!, { width });
}

describe('renderLadder', () => {
  it('a reader that paused (52): the server probes the closed window, the client probes an idle connection; both dashed, named apart', async () => {
    const lines = await ladder(capture('52-slow-reader.pcapng'), 60);
    const row = (frame: number): string | undefined => lines.find((l) => new RegExp(`^ +\\S+ +${frame} `).test(l));
    expect(row(19)).toBe('  260.5ms     19 │◄╌╌╌╌╌╌╌╌╌╌ zero-window probe ╌╌╌╌╌╌╌╌╌╌╌│');
    expect(row(21)).toMatch(/ 21 │◄╌+ zero-window probe ╌+│$/);
    expect(row(22)).toMatch(/ 22 │╌+ keep-alive ╌+►│$/);
    expect(row(56)).toMatch(/ 56 │╌+ keep-alive ╌+►│$/);
    expect(row(17)).toMatch(/ 17 │◄╌+ retransmission ╌+│$/);
  });

  it('draws the keep-alive reuse race: the request reaches a server lifeline already closed', async () => {
    expect(await ladder(capture('19-keepalive-reuse-race.pcapng'), 60)).toEqual([
      '     time  frame client                               server',
      '      0µs      1 │───────────────── SYN ──────────────────►│',
      '     21µs      2 │◄─────────────── SYN-ACK ────────────────│',
      '     42µs      3 │───────────────── ACK ──────────────────►│',
      '    1.8ms      4 │──────────── req 1 headers ─────────────►│',
      '    1.8ms      5 │◄───────────────── ACK ──────────────────│',
      '    4.3ms      6 │◄─────── resp 1 headers+body 15 B ───────│',
      '    4.3ms      7 │───────────────── ACK ──────────────────►│',
      '                 │             ⋯ 2.004s idle ⋯             │',
      '   2.009s      8 │◄───────────────── FIN ──────────────────│',
      '   2.050s      9 │───────────────── ACK ──────────────────►╎',
      '   2.110s     10 │──────────── req 2 headers ─────────────►╎',
      '   2.110s     11 │◄───────────────── RST ──────────────────╎',
      "                 ╎ after that side's FIN/RST",
    ]);
  });

  it('draws a flushed header as a headers-only arrow with the body on a later one', async () => {
    const lines = await ladder(capture('05-flushheaders-then-end.pcapng'), 80);
    expect(lines[6]).toBe('    4.3ms      6 │◄────────────────────── resp 1 headers ──────────────────────│');
    expect(lines[8]).toBe('   55.1ms      8 │◄─────────────────── resp 1 body 1 chunk ────────────────────│');
  });

  it('draws a pipelined burst as one arrow naming every request', async () => {
    const lines = await ladder(capture('20-pipelining.pcapng'), 80);
    expect(lines.filter((l) => l.includes('req'))).toEqual(['    1.9ms      4 │──────────────────── req 1+2+3 headers ─────────────────────►│']);
  });

  it('dashes capture duplicates (bridge-any.pcap: each packet seen on two bridge ports) and says so in the legend', async () => {
    const lines = await ladder('test/fixtures/bridge-any.pcap', 80, 2);
    expect(lines.slice(1, 5)).toEqual([
      '      0µs     35 │─────────────────────────── SYN ────────────────────────────►│',
      '      4µs     36 │╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌ duplicate ╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌►│',
      '     14µs     37 │◄───────────────────────── SYN-ACK ──────────────────────────│',
      '     15µs     38 │◄╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌ duplicate ╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌│',
    ]);
    // Too long for 80 columns on one line: an entry a line.
    expect(lines.slice(-2)).toEqual(["                 ╎ after that side's FIN/RST", '                 ╌ retransmission, probe or duplicate']);
  });

  it('dashes retransmissions and marks out-of-order data (synthetic)', async () => {
    const lines = await ladder(outOfOrderCapture(), 80);
    expect(lines[6]).toBe('    5.0ms      6 │◄────────────── resp 1 body 5 B (out of order) ──────────────│');
    expect(lines[8]).toBe('                 │                      ⋯ 200.0ms idle ⋯                       │');
    expect(lines[9]).toBe('  206.0ms      8 │◄╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌ retransmission ╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌╌│');
    expect(lines.at(-1)).toBe("                 ╎ after that side's FIN/RST   ╌ retransmission or probe");
  });

  it.each([80, 52, 40, 20])('fits every line of every scenario capture into %i columns', async (width) => {
    for (const name of realCaptures()) {
      const { rows } = await labelledConnections(capture(name));
      for (const connection of rows.values()) {
        const lines = renderLadder(connection, { width });
        expect(lines.filter((l) => /[►◄]/.test(l))).toHaveLength(connection.length);
        for (const line of lines) expect(line.length, `${name}: ${line}`).toBeLessThanOrEqual(Math.max(width, 40));
        // Each segment's line ends at the server lifeline, exactly at the width.
        for (const line of lines.slice(1, connection.length + 1)) if (/[│╎]$/.test(line)) expect(line.length).toBe(Math.max(width, 40));
      }
    }
  });

  it('tells which segment each line draws (ladderLines), for a view that selects one', async () => {
    const { rows } = await labelledConnections(capture('19-keepalive-reuse-race.pcapng'));
    const lines = ladderLines(rows.get(1)!, { width: 60 });
    expect(lines.map((l) => l.row)).toEqual([null, 0, 1, 2, 3, 4, 5, 6, null, 7, 8, 9, 10, null]);
    expect(lines[11]).toEqual({ text: '   2.110s     10 │──────────── req 2 headers ─────────────►╎', row: 9 });
  });

  it('measures time from the given start, and draws nothing but the heading for no segments', async () => {
    const { rows } = await labelledConnections(capture('19-keepalive-reuse-race.pcapng'));
    const connection = rows.get(1)!;
    const lines = renderLadder(connection, { width: 60, start: connection[0].time - 1 });
    expect(lines[1].startsWith('   1.000s      1 ')).toBe(true);
    expect(renderLadder([], { width: 60 })).toEqual(['     time  frame client                               server']);
  });
});
