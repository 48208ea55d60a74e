/**
 * The node-verdict options report and lint share: `--node-verdict`, `--node-max-header-size N`,
 * `--node-insecure-http-parser`, turned into the replay's parser settings (null: replay off).
 * The replay is opt-in: it roughly doubles `lint`'s time on a small capture and holds each
 * connection's records until the connection closes (see README "Node's own verdict").
 */
import type { NodeParserSettings } from '../node-verdict/types.js';
import { UsageError } from './usage-error.js';

export interface NodeOptionValues {
  'node-verdict'?: boolean;
  'node-max-header-size'?: string;
  'node-insecure-http-parser'?: boolean;
}

export const NODE_OPTION_HELP = {
  on: "replay the bytes into this Node.js's own http parser: `node` verdicts, node-parser-error (off by default: slower, holds each connection's records until it closes)",
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
  if (!values['node-verdict']) {
    if (text !== undefined || values['node-insecure-http-parser']) throw new UsageError('--node-max-header-size and --node-insecure-http-parser set the replay of --node-verdict: without it they would do nothing');
    return null;
  }
  return { maxHeaderSize, insecureHTTPParser: values['node-insecure-http-parser'] ?? false };
}
