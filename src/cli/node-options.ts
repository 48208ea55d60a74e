/**
 * The node-verdict options report, lint and export share: `--no-node-verdict`,
 * `--node-max-header-size N`, `--node-insecure-http-parser`, turned into the parser settings of
 * Node's verdict (null: off). The verdict is on by default; `--node-verdict`, which turned it on
 * when it was opt-in, is still accepted and changes nothing.
 */
import type { NodeParserSettings } from '../node-verdict/types.js';
import { UsageError } from './usage-error.js';

export interface NodeOptionValues {
  'no-node-verdict'?: boolean;
  'node-verdict'?: boolean;
  'node-max-header-size'?: string;
  'node-insecure-http-parser'?: boolean;
}

export const NODE_OPTION_HELP = {
  off: "do not read the bytes with this Node.js's own http parser (no `node` verdicts, no node-parser-error)",
  on: "Node's verdict, on by default (accepted for older scripts)",
  maxHeaderSize: "Node's maxHeaderSize for its verdict, in bytes (default: Node's, 16384)",
  insecure: "Node's verdict with its insecureHTTPParser (lenient llhttp): would these bytes pass with it?",
} as const;

export function nodeVerdictSettings(values: NodeOptionValues): NodeParserSettings | null {
  const text = values['node-max-header-size'];
  let maxHeaderSize: number | null = null;
  if (text !== undefined) {
    maxHeaderSize = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(maxHeaderSize) || maxHeaderSize < 1) throw new UsageError(`--node-max-header-size must be a whole number of bytes from 1 up, not '${text}'`);
  }
  if (values['no-node-verdict']) {
    if (values['node-verdict']) throw new UsageError('--node-verdict and --no-node-verdict contradict each other');
    if (text !== undefined || values['node-insecure-http-parser']) throw new UsageError("--no-node-verdict turns Node's verdict off: --node-max-header-size and --node-insecure-http-parser would do nothing");
    return null;
  }
  return { maxHeaderSize, insecureHTTPParser: values['node-insecure-http-parser'] ?? false };
}
