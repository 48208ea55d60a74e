import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatHelp } from '../../src/cli/args.js';
import { OutputError, outputFailure } from '../../src/cli/io.js';
import { main, usage } from '../../src/cli/main.js';
import { packageVersion } from '../../src/lint/package-files.js';
import { connsSpec, followSpec, reportSpec } from '../../src/cli/specs.js';
import { capture } from '../helpers/captures.js';
import { runCli } from '../helpers/cli.js';

const commands = 'commands: conns, diagram, explain, export, follow, lint, live, open, report, rules';
const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };

describe('wirelens without a command', () => {
  it('bare: the usage on stderr, nothing on stdout, exit 2 (no command is a usage mistake)', async () => {
    expect(await runCli([])).toMatchObject({ code: 2, stdout: '', stderr: usage + '\n' });
  });

  it.each([['--help'], ['-h'], ['help']])('%s: the usage on stdout, exit 0', async (arg) => {
    expect(await runCli([arg])).toMatchObject({ code: 0, stdout: usage + '\n', stderr: '' });
  });

  it('the usage lists every command from its spec, and says how to get one command\'s help and the version', () => {
    for (const spec of [connsSpec, followSpec, reportSpec]) expect(usage).toContain(formatHelp(spec));
    expect(usage).toContain('wirelens help COMMAND   one command\'s help (also: wirelens COMMAND --help)');
    expect(usage).toContain('wirelens --version      the version');
  });

  it.each([['--version'], ['-V']])('%s prints the package.json version, exit 0', async (arg) => {
    expect(pkg.version).toBe('0.1.0');
    expect(packageVersion()).toBe(pkg.version);
    expect(await runCli([arg])).toEqual({ code: 0, stdout: `wirelens ${pkg.version}\n`, stdoutBytes: Buffer.from(`wirelens ${pkg.version}\n`), stderr: '' });
  });
});

describe('one command\'s help', () => {
  it.each([
    [['help', 'report'], reportSpec],
    [['report', '--help'], reportSpec],
    [['report', 'x.pcap', '-h'], reportSpec],
    [['conns', '--help'], connsSpec],
    [['help', 'follow'], followSpec],
    [['follow', '--conn', '1', '--help'], followSpec],
  ])('%j: that command\'s help on stdout, exit 0', async (argv, spec) => {
    expect(await runCli(argv)).toMatchObject({ code: 0, stdout: formatHelp(spec) + '\n', stderr: '' });
  });

  it('--help after -- is a file name, not a request for help', async () => {
    const r = await runCli(['report', '--', '--help']);
    expect(r).toMatchObject({ code: 2, stderr: 'wirelens: --help: no such file or directory\n' });
  });

  it('help for an unknown command, or for two: one line, exit 2', async () => {
    expect(await runCli(['help', 'reprot'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `wirelens help: unknown command 'reprot' (did you mean report?); ${commands}\n`,
    });
    expect(await runCli(['help', 'report', 'conns'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: "wirelens help: unexpected argument 'conns'; usage: wirelens help [COMMAND]\n",
    });
  });
});

describe('unknown commands and global options', () => {
  it.each([
    [['reprot', 'x'], `wirelens: unknown command 'reprot' (did you mean report?); ${commands}\n`],
    [['con'], `wirelens: unknown command 'con' (did you mean conns?); ${commands}\n`],
    [['lnit', 'x'], `wirelens: unknown command 'lnit' (did you mean lint?); ${commands}\n`],
    [['--verison'], `wirelens: unknown option '--verison' (did you mean --version?); options: --help, --version; ${commands}\n`],
    [['--json', 'x'], `wirelens: unknown option '--json'; options: --help, --version; ${commands}\n`],
    [['-x'], `wirelens: unknown option '-x'; options: --help, --version; ${commands}\n`],
  ])('%j → one line on stderr, exit 2', async (argv, stderr) => {
    expect(await runCli(argv)).toMatchObject({ code: 2, stdout: '', stderr });
  });
});

describe('a command line the command rejects: "wirelens CMD: …", exit 2, nothing on stdout', () => {
  const file = capture('06-res-end.pcapng');
  it.each([
    [['report', '--jsn', file], "wirelens report: unknown option '--jsn' (did you mean --json?); options: --json, --conn ID, --exchange N, --headers, --config F, --rule ID=SEVERITY, --rules-dir DIR, --bodies, --body-limit BYTES, --no-node-verdict, --node-max-header-size N, --node-insecure-http-parser"],
    [['report', file, '--body-limit'], 'wirelens report: --body-limit needs a value (BYTES)'],
    [['report', file, '--body-limit', '-5'], "wirelens report: --body-limit must be a whole number of bytes, not '-5'"],
    [['report', file, '--body-limit=-5'], "wirelens report: --body-limit must be a whole number of bytes, not '-5'"],
    [['report', '--bodies=1', file], "wirelens report: --bodies takes no value (got '--bodies=1')"],
    [['conns', file, file], `wirelens conns: unexpected argument '${file}'; usage: wirelens conns FILE [--json]`],
    [['conns'], 'wirelens conns: missing FILE (a capture file, or - for stdin); usage: wirelens conns FILE [--json]'],
    [['follow', file, '--conn'], 'wirelens follow: --conn needs a value (ID)'],
    [['follow', file, '--conn', '1', '--direction', 'up'], "wirelens follow: --direction must be client, server or both, not 'up'"],
  ])('%j', async (argv, line) => {
    expect(await runCli(argv)).toMatchObject({ code: 2, stdout: '', stderr: line + '\n' });
  });
});

describe('standard output failing', () => {
  const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
  const epipe = Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE', errno: -32, syscall: 'write' });

  it('outputFailure: one line and exit 2, except EPIPE (the reader left): quiet, exit 0', () => {
    expect(outputFailure(new OutputError(enospc))).toEqual({ line: 'wirelens: cannot write output: no space left on device (ENOSPC)\n', code: 2 });
    expect(outputFailure(new OutputError(epipe))).toEqual({ line: null, code: 0 });
  });

  it('an Io.out that throws OutputError mid-report ends the run with that one line, exit 2', async () => {
    let writes = 0;
    let stderr = '';
    const code = await main(['report', capture('02-keepalive-agent.pcapng')], {
      out: () => {
        if (++writes === 2) throw new OutputError(enospc);
      },
      err: (text) => {
        stderr += text;
      },
    });
    expect([code, stderr, writes]).toEqual([2, 'wirelens: cannot write output: no space left on device (ENOSPC)\n', 2]);
  });

  it('EPIPE from Io.out ends the run quietly with exit 0', async () => {
    let stderr = '';
    const code = await main(['conns', capture('02-keepalive-agent.pcapng')], {
      out: () => {
        throw new OutputError(epipe);
      },
      err: (text) => {
        stderr += text;
      },
    });
    expect([code, stderr]).toEqual([0, '']);
  });

  it('other exceptions are bugs and propagate', async () => {
    const bug = new Error('a bug');
    await expect(main(['conns', capture('02-keepalive-agent.pcapng')], { out: () => { throw bug; }, err: () => {} })).rejects.toBe(bug);
  });
});
