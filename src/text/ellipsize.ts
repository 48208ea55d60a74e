/**
 * Text cut to at most `width` columns, `…` marking the cut (nothing at all in no room): what every
 * column and arrow label of the text views (the TUI's tables, the ladder) does with a long value.
 */
export function ellipsize(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}
