/**
 * Everything the UI shows that came from the wire (targets, header fields, bodies, reason
 * phrases, rule messages quoting them) passes through `wire()` before blessed sees it: control
 * bytes become visible escapes (report/terminal-safe.ts), so a capture cannot drive the terminal,
 * and blessed's tag syntax is neutralised, so `{red-fg}` in a header shows as typed instead of
 * restyling the UI. Tags are written only by wirelens' own chrome, around text escaped here.
 */
import { escapeControls } from '../report/terminal-safe.js';

/** `{` and `}` as blessed's literal-brace tags (what blessed.escape does, without loading blessed). */
export function escapeTags(text: string): string {
  return text.replace(/[{}]/g, (ch) => (ch === '{' ? '{open}' : '{close}'));
}

/** Wire text made safe for a tagged blessed element: controls escaped first, then braces. */
export function wire(text: string): string {
  return escapeTags(escapeControls(text));
}

/**
 * Cuts or pads plain text to exactly `width` columns (`…` marks a cut). Applied before `wire()`,
 * so a cut never splits an escape or a tag.
 */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? '…' : text.slice(0, width - 1) + '…';
  return text.padEnd(width);
}
