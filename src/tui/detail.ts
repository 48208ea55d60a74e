/**
 * The detail tabs' text (Request, Response, Findings) for one exchange, as lines with blessed tags
 * for wirelens' own emphasis only: every piece that came from the wire goes through wire().
 */
import type { Finding } from '../lint/types.js';
import type { BodyView, ExchangeModel, LostMessageModel, MessageModel } from '../model/types.js';
import { notAccepted } from '../node-verdict/attach.js';
import { describeLost, describeNodeVerdict, framesWord } from '../report/text.js';
import { formatBytes } from '../text/units.js';
import { wire, wrapText } from './escape.js';

export const DETAIL_TABS = ['Request', 'Response', 'Segments', 'Findings', 'Raw'] as const;
export type DetailTab = (typeof DETAIL_TABS)[number];

/** The tab bar: `1 Request  2 Response …`, the current one highlighted. */
export function tabBar(current: DetailTab): string {
  return DETAIL_TABS.map((tab, i) => (tab === current ? `{inverse}${i + 1} ${tab}{/inverse}` : `${i + 1} ${tab}`)).join('  ');
}

/**
 * What a pane shows while a connection's models are rebuilt from the file (a large capture keeps
 * rows, not every model), or why they could not be.
 */
export function rebuildingLines(connection: number, problem: string | null): string[] {
  return [problem === null ? `{gray-fg}(reading connection ${connection} again from the file…){/gray-fg}` : `{red-fg}${wire(problem)}{/red-fg}`];
}

/** Start line, header fields exactly as sent, framing and packing, then the body preview. */
export function messageLines(m: MessageModel | null, what: 'request' | 'response', body: string[] | null, width: number, lost: LostMessageModel | null = null): string[] {
  if (m === null && lost?.message === what) return wrapText(describeLost(lost), width, '  ').map((l) => `{yellow-fg}${l}{/yellow-fg}`);
  if (m === null) return [`{gray-fg}(no ${what} on the wire){/gray-fg}`];
  const lines = wrapText(m.startLine, width, '  ').map((l) => `{bold}${wire(l)}{/bold}`);
  for (const h of m.headers) {
    // The name is coloured on the first line; a long value continues, indented, on the next ones.
    const [first, ...more] = wrapText(`${h.name}: ${h.value}`, width, '  ');
    lines.push(`{cyan-fg}${wire(first.slice(0, h.name.length))}{/cyan-fg}${wire(first.slice(h.name.length))}`, ...more.map(wire));
  }
  lines.push('');
  lines.push(`{gray-fg}${facts(m)}{/gray-fg}`);
  for (const d of m.deviations) lines.push(`{yellow-fg}deviation ${d.code}:{/yellow-fg} ${wire(d.message)}`);
  if (m.stall !== null) lines.push(`{yellow-fg}stalled in the ${m.stall.in === 'body' ? 'body' : 'header section'}, ended by ${m.stall.endedBy}{/yellow-fg}`);
  // Node's own parser on these bytes, when it did not simply accept them (as the text report says it).
  if (notAccepted(m.node)) {
    const [first, ...more] = wrapText(`Node.js: ${describeNodeVerdict(m.node)}`, width, '  ');
    lines.push(`{magenta-fg}Node.js:{/magenta-fg}${wire(first.slice('Node.js:'.length))}`, ...more.map(wire));
  }
  if (body !== null && body.length > 0) {
    lines.push('');
    lines.push(...body);
  }
  return lines;
}

function facts(m: MessageModel): string {
  const parts = [`head ${formatBytes(m.headSize)}`];
  if (m.framing !== null) parts.push(`body ${formatBytes(m.framing.actualBodyBytes)} (${m.framing.kind})`);
  parts.push(`packing ${m.packing.verdict}${m.packing.sharedFrame !== null ? ` (frame ${m.packing.sharedFrame})` : ''}`);
  // Its own frames, as ranges: a span would take in other connections' frames between them.
  if (m.frames.length > 0) parts.push(framesWord(m.frames));
  return parts.join(' · ');
}

/** Every finding on the exchange with its full help text. */
export function findingLines(findings: readonly Finding[], width: number): string[] {
  if (findings.length === 0) return ['{gray-fg}(no findings on this exchange){/gray-fg}'];
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${severityTag(f.severity)} {bold}${wire(f.ruleId)}{/bold}  ${wire(f.title)}`);
    lines.push(...wrapText(`  ${f.message}`, width, '  ').map(wire));
    if (f.frames.length > 0) lines.push(`  {gray-fg}frames ${f.frames.join(', ')}{/gray-fg}`);
    lines.push('');
    for (const para of f.help.split('\n')) lines.push(...wrapText(`  ${para}`, width, '  ').map(wire));
    lines.push(`  {gray-fg}${wire(f.docs)}{/gray-fg}`);
    lines.push('');
  }
  return lines;
}

export function severityTag(severity: Finding['severity']): string {
  switch (severity) {
    case 'error':
      return '{red-fg}error{/red-fg}  ';
    case 'warning':
      return '{yellow-fg}warning{/yellow-fg}';
    default:
      return '{cyan-fg}note{/cyan-fg}   ';
  }
}

/** A body for display: JSON pretty-printed, other text as is, binary as hex + ASCII. */
export function bodyLines(view: BodyView): string[] {
  const lines = [`{gray-fg}body ${formatBytes(view.kept)}${view.truncated ? ' (first part)' : ''}${view.decodedFrom ? `, decoded from ${view.decodedFrom}` : ''}${view.contentType ? `, ${wire(view.contentType)}` : ''}{/gray-fg}`];
  if (view.note !== null) lines.push(`{gray-fg}${wire(view.note)}{/gray-fg}`);
  if (view.text !== null) {
    for (const line of prettyText(view.text, view.contentType).split('\n')) lines.push(wire(line));
  } else if (view.base64 !== null) {
    lines.push(...hexDump(Buffer.from(view.base64, 'base64')).map(wire));
  }
  return lines;
}

function prettyText(text: string, contentType: string | null): string {
  const looksJson = (contentType ?? '').toLowerCase().includes('json') || /^\s*[[{]/.test(text);
  if (!looksJson) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** 16 bytes a line: offset, hex, ASCII (non-printable as '.'). */
export function hexDump(bytes: Uint8Array, start = 0): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${(start + i).toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines;
}
