import { describe, expect, it } from 'vitest';
import { formatHelp, optionList, parseCommandArgs, usageLine, type CommandSpec } from '../../src/cli/args.js';
import { followSpec, reportSpec } from '../../src/cli/specs.js';
import { UsageError } from '../../src/cli/usage-error.js';

/** The UsageError message parseCommandArgs throws for `args`, or null when they parse. */
function rejection(spec: CommandSpec, args: string[]): string | null {
  try {
    parseCommandArgs(spec, args);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
}

const reportOptions = 'options: --json, --conn ID, --exchange N, --headers, --config F, --rule ID=SEVERITY, --rules-dir DIR, --bodies, --body-limit BYTES, --no-node-verdict, --node-max-header-size N, --node-insecure-http-parser';
const reportUsage = 'usage: wirelens report FILE [--json] [--conn ID] [--exchange N] [--headers] [--config F] [--rule ID=SEVERITY] [--rules-dir DIR] [--bodies] [--body-limit BYTES] [--no-node-verdict] [--node-max-header-size N] [--node-insecure-http-parser]';

describe('parseCommandArgs', () => {
  it('returns typed values with defaults, and the operands in order', () => {
    expect(parseCommandArgs(reportSpec, ['a.pcap'])).toEqual({ values: { json: false, headers: false, rule: [], bodies: false, 'no-node-verdict': false, 'node-verdict': false, 'node-insecure-http-parser': false }, positionals: ['a.pcap'] });
    expect(parseCommandArgs(reportSpec, ['--json', '--body-limit', '10', '-'])).toEqual({
      values: { json: true, headers: false, rule: [], bodies: false, 'body-limit': '10', 'no-node-verdict': false, 'node-verdict': false, 'node-insecure-http-parser': false },
      positionals: ['-'],
    });
    expect(parseCommandArgs(followSpec, ['f', '--conn', '3'])).toEqual({ values: { conn: '3', direction: 'both', raw: false }, positionals: ['f'] });
  });

  it('a dash-leading number is a value (--body-limit -5 and --body-limit=-5 alike), for the option to judge', () => {
    expect(parseCommandArgs(reportSpec, ['x', '--body-limit', '-5']).values['body-limit']).toBe('-5');
    expect(parseCommandArgs(reportSpec, ['x', '--body-limit=-5']).values['body-limit']).toBe('-5');
    expect(parseCommandArgs(reportSpec, ['x', '--body-limit', '-.5']).values['body-limit']).toBe('-.5');
  });

  it('after --, everything is an operand', () => {
    expect(parseCommandArgs(reportSpec, ['--', '--json']).positionals).toEqual(['--json']);
    expect(rejection(reportSpec, ['--body-limit', '--', '-5'])).toBe('--body-limit needs a value (BYTES)');
  });

  it.each([
    [['--jsn', 'x'], `unknown option '--jsn' (did you mean --json?); ${reportOptions}`],
    [['--josn', 'x'], `unknown option '--josn' (did you mean --json?); ${reportOptions}`],
    [['--jsn=1', 'x'], `unknown option '--jsn' (did you mean --json?); ${reportOptions}`],
    [['--body', 'x'], `unknown option '--body' (did you mean --body-limit?); ${reportOptions}`],
    [['--bod', 'x'], `unknown option '--bod' (did you mean --bodies or --body-limit?); ${reportOptions}`],
    [['--verbose', 'x'], `unknown option '--verbose'; ${reportOptions}`],
    [['-j', 'x'], `unknown option '-j'; ${reportOptions}`],
    [['x', '--body-limit'], '--body-limit needs a value (BYTES)'],
    [['--body-limit', '--json', 'x'], '--body-limit needs a value (BYTES)'],
    [['--json=yes', 'x'], "--json takes no value (got '--json=yes')"],
    [[], `missing FILE (a capture file, or - for stdin); ${reportUsage}`],
    [['a', 'b'], `unexpected argument 'b'; ${reportUsage}`],
  ])('report %j → %s', (args, message) => {
    expect(rejection(reportSpec, args)).toBe(message);
  });

  it.each([
    [['f'], 'missing --conn ID: connection id as listed by `wirelens conns`'],
    [['f', '--conn', '1', '--direction', 'up'], "--direction must be client, server or both, not 'up'"],
    [['f', '--conn', '1', '--dir', 'client'], "unknown option '--dir' (did you mean --direction?); options: --conn ID, --direction D, --raw"],
    [['f', '--conn', '1', '--rwa'], "unknown option '--rwa' (did you mean --raw?); options: --conn ID, --direction D, --raw"],
  ])('follow %j → %s', (args, message) => {
    expect(rejection(followSpec, args)).toBe(message);
  });

  it('short aliases and repeatable options (live): -p twice is an array in order, -p without a value is named as given', () => {
    const spec = {
      name: 'x',
      operands: [],
      summary: [],
      options: [
        { name: 'port', short: 'p', type: 'string', value: 'PORT', multiple: true, help: 'a port' },
        { name: 'interface', short: 'i', type: 'string', value: 'IFACE', default: 'lo', help: 'an interface' },
      ],
    } as const satisfies CommandSpec;
    expect(parseCommandArgs(spec, [])).toEqual({ values: { port: [], interface: 'lo' }, positionals: [] });
    expect(parseCommandArgs(spec, ['-p', '80', '--port', '443', '-i', 'eth0']).values).toEqual({ port: ['80', '443'], interface: 'eth0' });
    expect(parseCommandArgs(spec, ['-p', '-1']).values.port).toEqual(['-1']);
    expect(rejection(spec, ['-p'])).toBe('-p needs a value (PORT)');
    expect(rejection(spec, ['--prot', '1'])).toBe("unknown option '--prot' (did you mean --port?); options: -p, --port PORT, -i, --interface IFACE");
    expect(usageLine(spec)).toBe('wirelens x [-p, --port PORT] [-i, --interface IFACE]');
  });

  it('lets errors that are not parseArgs rejections through', () => {
    expect(() => parseCommandArgs(reportSpec, [Symbol('not a string') as unknown as string])).toThrow(TypeError);
  });
});

describe('help from the spec', () => {
  it('report: usage line, summary, one aligned line per option', () => {
    expect(formatHelp(reportSpec)).toBe(`wirelens report FILE [--json] [--conn ID] [--exchange N] [--headers] [--config F] [--rule ID=SEVERITY] [--rules-dir DIR] [--bodies] [--body-limit BYTES] [--no-node-verdict] [--node-max-header-size N] [--node-insecure-http-parser]
  A summary, then every connection's handshake and teardown and each HTTP exchange: request →
  status, sizes, timing, reuse, header/body packing, framing, stalls, deviations, and the frames
  behind each.
  --json                       records as JSON, streamed (schemaVersion 2; see README "report --json")
  --conn ID                    only this connection (ids as in \`wirelens conns\`)
  --exchange N                 only exchange N of that connection (needs --conn)
  --headers                    every header field (by default: framing-related and repeated fields)
  --config F                   rule configuration, as for lint (default: ./wirelens.config.json when present)
  --rule ID=SEVERITY           set a rule to off, note, warning or error (repeatable; over the configuration)
  --rules-dir DIR              also run the user rules in DIR (ESM .js files default-exporting a rule)
  --bodies                     include message bodies (decoded from gzip/deflate/br; text or base64)
  --body-limit BYTES           body bytes kept per message (default 65536)
  --no-node-verdict            do not read the bytes with this Node.js's own http parser (no \`node\` verdicts, no node-parser-error)
  --node-max-header-size N     Node's maxHeaderSize for its verdict, in bytes (default: Node's, 16384)
  --node-insecure-http-parser  Node's verdict with its insecureHTTPParser (lenient llhttp): would these bytes pass with it?`);
  });

  it('follow: a required option is not bracketed, choices replace the value name in the usage line', () => {
    expect(usageLine(followSpec)).toBe('wirelens follow FILE --conn ID [--direction client|server|both] [--raw]');
    expect(optionList(followSpec)).toBe('--conn ID, --direction D, --raw');
  });
});
