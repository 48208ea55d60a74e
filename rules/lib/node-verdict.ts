/** Node's own verdict on a message (MessageModel.node, src/node-verdict) as the rules cite it. */
import type { MessageModel } from '../../src/model/types.js';
import type { NodeVerdict } from '../../src/node-verdict/types.js';

/**
 * Node stopped on the bytes with a parser error (an llhttp `HPE_*` code) at or after this message.
 * HPE_INVALID_EOF_STATE is left out: it is the close inside a message (incomplete-message,
 * content-length-underrun say that), not a byte Node rejects.
 */
export function nodeParseError(message: MessageModel): (NodeVerdict & { code: string }) | null {
  const node = message.node;
  if (node === null || node.code === null || !node.code.startsWith('HPE_') || node.code === 'HPE_INVALID_EOF_STATE') return null;
  return node as NodeVerdict & { code: string };
}

/** "Node.js (node 20.20.2, llhttp 9.3.1): HPE_X "reason" at offset N (frame F); then …". */
export function nodeVerdictText(node: NodeVerdict): string {
  const where = node.offset === null ? '' : ` at offset ${node.offset}${node.frame === null ? '' : ` (frame ${node.frame})`}`;
  const what = node.code === null ? (node.accepted ? 'accepted' : 'not delivered') : `${node.code} "${node.reason ?? ''}"${where}`;
  const differs = node.differs.length > 0 ? `; ${node.differs.join('; ')}` : '';
  return `Node.js (${node.parser}): ${what}${differs}${node.next === null ? '' : `; ${node.next}`}`;
}

/** The sentence a rule appends to cite Node's exact outcome, or '' when Node's verdict was off or Node had nothing to say. */
export function nodeCitation(message: MessageModel): string {
  const node = message.node;
  if (node === null || (node.accepted && node.code === null && node.differs.length === 0)) return '';
  return ` — ${nodeVerdictText(node)}`;
}
