/** `1 byte`, `3 bytes`: a count with its noun (regular plurals: the noun plus s). */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
