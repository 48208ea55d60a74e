/**
 * Everything the UI shows that came from the wire (targets, header fields, bodies, reason
 * phrases, rule messages quoting them) passes through `wire()` before blessed sees it: control
 * bytes become visible escapes (report/terminal-safe.ts), so a capture cannot drive the terminal,
 * and blessed's tag syntax is neutralised, so `{red-fg}` in a header shows as typed instead of
 * restyling the UI. Tags are written only by wirelens' own chrome, around text escaped here.
 */
import { escapeControls } from '../report/terminal-safe.js';
import { ellipsize } from '../text/ellipsize.js';

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
  return ellipsize(text, width).padEnd(width);
}

/**
 * Plain text broken into lines of at most `width` columns, at spaces where it can (a longer word
 * is cut); continuation lines start with `indent`. Applied before wire(), like fit().
 */
export function wrapText(text: string, width: number, indent = ''): string[] {
  if (width <= indent.length + 1 || text.length <= width) return [text];
  const lines: string[] = [];
  let rest = text;
  let prefix = '';
  while (prefix.length + rest.length > width) {
    const room = width - prefix.length;
    const space = rest.lastIndexOf(' ', room);
    const cut = space > room / 3 ? space : room;
    lines.push(prefix + rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, '');
    prefix = indent;
  }
  lines.push(prefix + rest);
  return lines;
}
