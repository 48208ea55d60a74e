/** Every key of the UI with what it does: the `?` overlay and the README table are this list. */
export interface KeyHelp {
  keys: string;
  help: string;
}

export const KEYS: readonly KeyHelp[] = [
  { keys: '↑ ↓  j k', help: 'move in the focused pane (scroll in the detail pane)' },
  { keys: 'g  G', help: 'first / last row' },
  { keys: 'PgUp PgDn', help: 'a page up / down' },
  { keys: 'Tab  Shift-Tab', help: 'next / previous pane' },
  { keys: 'Enter', help: 'connections → exchanges → detail; in the Findings view, jump to the finding' },
  { keys: '1-5', help: 'detail tab: Request, Response, Segments, Findings, Raw' },
  { keys: '/', help: 'filter: status:4xx (or 404, none, lost) method:POST rule:content-length-* conn:3 severity:error, text in the URL' },
  { keys: 'n  N', help: 'next / previous exchange with a finding' },
  { keys: 'f', help: 'Findings view (s: sort by severity / rule; Enter: jump)' },
  { keys: 'l', help: 'ladder diagram of the selected connection' },
  { keys: 'Esc', help: 'close the overlay or view; clear the filter' },
  { keys: '?', help: 'this help; any key or click closes it and does nothing else' },
  { keys: 'q  Ctrl-C', help: 'quit' },
];

/** The help overlay's lines (plain text: no tags). */
export function helpLines(extra: readonly KeyHelp[] = []): string[] {
  const all = [...KEYS, ...extra];
  const width = Math.max(...all.map((k) => k.keys.length));
  return all.map((k) => `${k.keys.padEnd(width)}  ${k.help}`);
}

/** The README's keys table rows (test/tui/keys.test.ts checks README.md has exactly these). */
export function keysTableRows(): string[] {
  return KEYS.map((k) => `| ${k.keys.split(/ {2}/).map((key) => `\`${key}\``).join(' ')} | ${k.help} |`);
}
