import { DEFAULT_BODY_LIMIT } from '../model/builder.js';
import { SCHEMA_VERSION } from '../model/types.js';
import type { CommandSpec } from './args.js';
import { NODE_OPTION_HELP } from './node-options.js';

/**
 * Every command's arguments as data (see CommandSpec): `wirelens --help`, `wirelens CMD --help`,
 * the option lists in error messages and the parsing itself all read these.
 */

const FILE = { name: 'FILE', help: 'a capture file, or - for stdin' } as const;

/** The rule configuration every command that runs the rules takes (rule-setup.ts), as lint does. */
const RULE_OPTIONS = [
  { name: 'config', type: 'string', value: 'F', help: 'rule configuration, as for lint (default: ./wirelens.config.json when present)' },
  { name: 'rule', type: 'string', value: 'ID=SEVERITY', multiple: true, help: 'set a rule to off, note, warning or error (repeatable; over the configuration)' },
  { name: 'rules-dir', type: 'string', value: 'DIR', help: 'also run the user rules in DIR (ESM .js files default-exporting a rule)' },
] as const;

/** Node's verdict options (src/cli/node-options.ts), the same on every command that analyses HTTP. */
const NODE_VERDICT_OPTIONS = [
  { name: 'no-node-verdict', type: 'boolean', help: NODE_OPTION_HELP.off },
  { name: 'node-verdict', type: 'boolean', help: NODE_OPTION_HELP.on, hidden: true },
  { name: 'node-max-header-size', type: 'string', value: 'N', help: NODE_OPTION_HELP.maxHeaderSize },
  { name: 'node-insecure-http-parser', type: 'boolean', help: NODE_OPTION_HELP.insecure },
] as const;

export const connsSpec = {
  name: 'conns',
  operands: [FILE],
  summary: ['List the TCP connections in a capture (FILE may be - for stdin).'],
  options: [{ name: 'json', type: 'boolean', help: 'the same connection records as report --json (schemaVersion 2), streamed' }],
} as const satisfies CommandSpec;

export const followSpec = {
  name: 'follow',
  operands: [FILE],
  summary: ['Print a connection\'s reassembled byte stream (like Wireshark\'s "Follow TCP Stream").'],
  options: [
    { name: 'conn', type: 'string', value: 'ID', required: true, help: 'connection id as listed by `wirelens conns`' },
    {
      name: 'direction',
      type: 'string',
      value: 'D',
      choices: ['client', 'server', 'both'],
      default: 'both',
      help: 'client, server or both (default both, interleaved in capture order)',
    },
    { name: 'raw', type: 'boolean', help: 'write only the bytes of one direction, unchanged (gaps left out, warned on stderr)' },
  ],
} as const satisfies CommandSpec;

export const diagramSpec = {
  name: 'diagram',
  operands: [FILE],
  summary: [
    'Draw one connection as a ladder of its TCP segments: each arrow says what it carried',
    '(handshake, request/response headers and body, chunks, FIN, RST), with time and frame.',
  ],
  options: [
    { name: 'conn', type: 'string', value: 'ID', required: true, help: 'connection id as listed by `wirelens conns`' },
    {
      name: 'format',
      type: 'string',
      value: 'F',
      choices: ['text', 'mermaid'],
      default: 'text',
      help: 'text (a ladder diagram, default) or mermaid (a sequenceDiagram for Markdown)',
    },
    { name: 'width', type: 'string', value: 'N', help: 'columns for the text ladder (default 80, at least 40)' },
  ],
} as const satisfies CommandSpec;

export const reportSpec = {
  name: 'report',
  operands: [FILE],
  summary: [
    "A summary, then every connection's handshake and teardown and each HTTP exchange: request →",
    'status, sizes, timing, reuse, header/body packing, framing, stalls, deviations, and the frames',
    'behind each.',
  ],
  options: [
    { name: 'json', type: 'boolean', help: `records as JSON, streamed (schemaVersion ${SCHEMA_VERSION}; see README "report --json")` },
    { name: 'conn', type: 'string', value: 'ID', help: 'only this connection (ids as in `wirelens conns`)' },
    { name: 'exchange', type: 'string', value: 'N', help: 'only exchange N of that connection (needs --conn)' },
    { name: 'headers', type: 'boolean', help: 'every header field (by default: framing-related and repeated fields)' },
    ...RULE_OPTIONS,
    { name: 'bodies', type: 'boolean', help: 'include message bodies (decoded from gzip/deflate/br; text or base64)' },
    { name: 'body-limit', type: 'string', value: 'BYTES', help: `body bytes kept per message (default ${DEFAULT_BODY_LIMIT})` },
    ...NODE_VERDICT_OPTIONS,
  ],
} as const satisfies CommandSpec;

export const openSpec = {
  name: 'open',
  operands: [FILE],
  summary: [
    'The terminal UI: connections, exchanges, their headers, segments, findings and a ladder diagram,',
    'browsable while the capture is read. When standard output is not a terminal, prints `report` instead.',
  ],
  options: [
    ...RULE_OPTIONS,
    ...NODE_VERDICT_OPTIONS,
  ],
} as const satisfies CommandSpec;

export const exportSpec = {
  name: 'export',
  operands: [{ name: 'FILE', help: 'a capture file or a directory of captures (- for stdin)', repeat: true }],
  summary: [
    'The capture in the formats other tools read, streamed: HAR 1.2, Zeek logs (conn.log, http.log and',
    "wirelens.log of findings, TSV or JSON), or NDJSON records for analytics engines. Several FILEs (or",
    'directories) are exported in parallel: into one stream on standard output, the capture named on',
    'every record, or with --output DIR one output per capture.',
  ],
  options: [
    { name: 'format', type: 'string', value: 'F', choices: ['har', 'zeek', 'zeek-json', 'ndjson'], required: true, help: 'har, zeek (TSV logs; needs --output DIR), zeek-json or ndjson' },
    { name: 'output', type: 'string', value: 'PATH', help: 'write here instead of standard output: a file, or a directory (zeek, zeek-json, several FILEs)' },
    { name: 'bodies', type: 'boolean', help: 'include message bodies (HAR postData and content.text)' },
    { name: 'body-limit', type: 'string', value: 'BYTES', help: `body bytes kept per message (default ${DEFAULT_BODY_LIMIT})` },
    ...RULE_OPTIONS,
    ...NODE_VERDICT_OPTIONS,
  ],
} as const satisfies CommandSpec;

/** lint, rules and explain parse their own arguments (src/cli/lint.ts); their help, here with the others. */
export const lintHelp = `wirelens lint FILE|DIR… [--format stylish|json|sarif|junit|github] [--output F] [--fail-on error|warning|note]
             [--max-warnings N] [--config F] [--rule ID=SEVERITY]… [--rules-dir DIR] [--baseline F | --write-baseline F]
             [--no-node-verdict | [--node-max-header-size N] [--node-insecure-http-parser]]
  Findings: what went wrong on the wire, with the rule that says so and the frames it rests on.
  Directories are searched for *.pcap, *.pcapng and *.cap; several files are analysed in parallel.
  --format F          stylish (default), json, sarif (SARIF 2.1.0), junit, github (Actions annotations)
  --output F          write the report to F instead of standard output
  --fail-on LEVEL     exit 1 when a finding is at or above LEVEL (default error)
  --max-warnings N    exit 1 when there are more than N warnings
  --config F          configuration file (default: ./wirelens.config.json when present)
  --rule ID=SEVERITY  set a rule to off, note, warning or error (repeatable; over the configuration)
  --rules-dir DIR     load user rules: ESM .js files default-exporting a rule
  --baseline F        suppress findings recorded in the baseline F (only new ones count)
  --write-baseline F  record the current findings in F
  --no-node-verdict   do not read the bytes with this Node.js's own http parser (no node-parser-error)
  --node-max-header-size N     Node's maxHeaderSize for its verdict (default: Node's, 16384)
  --node-insecure-http-parser  Node's verdict with its insecureHTTPParser (lenient llhttp)
  Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it (or too many warnings),
  2 bad command line, configuration or rule file, or an unreadable/damaged capture.`;

export const rulesHelp = `wirelens rules [--config F] [--rule ID=SEVERITY]… [--rules-dir DIR]
  Every rule: id, severity (as configured) and title.`;

export const explainHelp = `wirelens explain ID [--config F] [--rule ID=SEVERITY]… [--rules-dir DIR]
  A rule's help: what happened on the wire, what clients see, the likely cause and the fix
  (and its severity as configured, when the configuration changes it).`;

export const liveSpec = {
  name: 'live',
  operands: [],
  summary: [
    'Capture with tcpdump (tcpdump -i IFACE --immediate-mode -U -s 0 -w - FILTER) and analyse as',
    'packets arrive, or read any pcap/pcapng stream with -r. Ctrl-C (SIGINT), SIGTERM, SIGHUP,',
    '-c or --duration end the capture; tcpdump is always stopped with it. Capturing needs root or',
    'a tcpdump allowed to: sudo setcap cap_net_raw,cap_net_admin=eip $(command -v tcpdump).',
    'With --lint: findings as lines while capturing (json, sarif, junit: one document at the end);',
    'exit 1 when one is at or above --fail-on, as for lint. Without --lint, on a terminal: the',
    'dashboard (the terminal UI of open, live; F follow, Space pause, c clear, w save, q quit);',
    'not on a terminal: the same lines as --lint --format stylish, exit 0.',
  ],
  options: [
    { name: 'interface', short: 'i', type: 'string', value: 'IFACE', default: 'lo', help: 'the interface tcpdump captures on (default lo)' },
    { name: 'port', short: 'p', type: 'string', value: 'PORT', multiple: true, help: 'capture only TCP port PORT (repeatable, or PORT,PORT…): tcp port A or tcp port B' },
    { name: 'filter', short: 'f', type: 'string', value: 'BPF', help: 'tcpdump filter expression instead of tcp (and -p)' },
    { name: 'read', short: 'r', type: 'string', value: 'FILE', help: 'read a pcap/pcapng stream instead of running tcpdump: - for stdin, a named pipe or a file' },
    { name: 'lint', type: 'boolean', help: 'no dashboard: print findings; exit 1 when one reached --fail-on' },
    { name: 'format', type: 'string', value: 'F', choices: ['stylish', 'json', 'sarif', 'junit', 'github'], default: 'stylish', help: 'as for lint (default stylish)' },
    { name: 'count', short: 'c', type: 'string', value: 'N', help: 'stop after N packets' },
    { name: 'duration', type: 'string', value: 'S', help: 'stop after S seconds' },
    { name: 'write', type: 'string', value: 'F', help: 'also save the capture to F as it streams (the bytes as tcpdump wrote them: pcap; -r: as read)' },
    { name: 'keep', type: 'string', value: 'N', help: 'dashboard: keep the last N exchanges in its tables (default 10000; older ones stay counted)' },
    { name: 'fail-on', type: 'string', value: 'LEVEL', choices: ['error', 'warning', 'note'], default: 'error', help: 'with --lint: exit 1 when a finding is at or above LEVEL (default error)' },
    { name: 'max-warnings', type: 'string', value: 'N', help: 'with --lint: exit 1 when there are more than N warnings' },
    ...RULE_OPTIONS,
    ...NODE_VERDICT_OPTIONS,
  ],
} as const satisfies CommandSpec;
