/** `wirelens open` when standard output is not a terminal: exactly report's text (the UI itself: test/tui). */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('wirelens open without a terminal', () => {
  it('prints what report prints, exit code and stderr included', async () => {
    const open = await runCli(['open', 'captures/tour.pcapng']);
    const report = await runCli(['report', 'captures/tour.pcapng']);
    expect(open.stdout).toBe(report.stdout);
    expect(open.stdout.split('\n')[0]).toBe('captures/tour.pcapng: pcapng, 117 frames, 10 TCP connections, 13 HTTP exchanges, 28.551s');
    expect([open.code, open.stderr]).toEqual([0, '']);
  });

  it('a missing file: the one-line error and exit 2, as report', async () => {
    const r = await runCli(['open', 'captures/no-such.pcapng']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^wirelens: captures\/no-such\.pcapng: .*\n$/);
  });

  it('usage mistakes are open\'s own', async () => {
    const r = await runCli(['open', 'captures/tour.pcapng', '--jsn']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("wirelens open: unknown option '--jsn'; options: --config F, --rule ID=SEVERITY, --rules-dir DIR, --no-node-verdict, --node-max-header-size N, --node-insecure-http-parser\n");
  });
});
