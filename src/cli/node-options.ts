/**
 * The node-verdict options report and lint share: `--no-node-verdict`, `--node-max-header-size N`,
 * `--node-insecure-http-parser`, turned into the replay's parser settings (null: replay off).
 */
import type { NodeParserSettings } from '../node-verdict/types.js';
import { UsageError } from './usage-error.js';

export interface NodeOptionValues {
  'no-node-verdict'?: boolean;
  'node-max-header-size'?: string;
  'node-insecure-http-parser'?: boolean;
}

export const NODE_OPTION_HELP = {
  off: "do not replay the bytes into this Node.js's own http parser (no `node` verdicts, no node-parser-error)",
  maxHeaderSize: "Node's maxHeaderSize for the replay, in bytes (default: Node's, 16384)",
  insecure: "replay with Node's insecureHTTPParser (lenient llhttp): would these bytes pass with it?",
} as const;

export function nodeVerdictSettings(values: NodeOptionValues): NodeParserSettings | null {
  const text = values['node-max-header-size'];
  let maxHeaderSize: number | null = null;
  if (text !== undefined) {
    maxHeaderSize = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(maxHeaderSize) || maxHeaderSize < 1) throw new UsageError(`--node-max-header-size must be a whole number of bytes from 1 up, not '${text}'`);
  }
  if (values['no-node-verdict']) {
    if (text !== undefined || values['node-insecure-http-parser']) throw new UsageError('--no-node-verdict turns the replay off: --node-max-header-size and --node-insecure-http-parser would do nothing');
    return null;
  }
  return { maxHeaderSize, insecureHTTPParser: values['node-insecure-http-parser'] ?? false };
}
