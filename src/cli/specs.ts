import { DEFAULT_BODY_LIMIT } from '../model/builder.js';
import { SCHEMA_VERSION } from '../model/types.js';
import type { CommandSpec } from './args.js';

/**
 * Every command's arguments as data (see CommandSpec): `wirelens --help`, `wirelens CMD --help`,
 * the option lists in error messages and the parsing itself all read these.
 */

const FILE = { name: 'FILE', help: 'a capture file, or - for stdin' } as const;

export const connsSpec = {
  name: 'conns',
  operands: [FILE],
  summary: ['List the TCP connections in a capture (FILE may be - for stdin).'],
  options: [{ name: 'json', type: 'boolean', help: 'machine-readable: { "frames", "connections": [...] }' }],
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

export const reportSpec = {
  name: 'report',
  operands: [FILE],
  summary: [
    "Every connection's handshake and teardown, then each HTTP exchange: request → status, sizes,",
    'timing, reuse, header/body packing, framing, deviations, and the frames behind each.',
  ],
  options: [
    { name: 'json', type: 'boolean', help: `the model as JSON (schemaVersion ${SCHEMA_VERSION}; see README "report --json")` },
    { name: 'bodies', type: 'boolean', help: 'include message bodies (decoded from gzip/deflate/br; text or base64)' },
    { name: 'body-limit', type: 'string', value: 'BYTES', help: `body bytes kept per message (default ${DEFAULT_BODY_LIMIT})` },
  ],
} as const satisfies CommandSpec;
