/**
 * "did you mean …?" for a mistyped option, command, format or rule id: one module for every
 * front end (the CLI's options and commands, the configuration's rule ids and rule options).
 */

/**
 * The candidates closest to a mistyped word: those it is a prefix of (`bod` → bodies, body-limit),
 * else those at the smallest Damerau–Levenshtein distance of at most 2 and less than the word's
 * own length (so `x` suggests nothing). For short names: options, commands, formats.
 */
export function closestMatches(word: string, candidates: readonly string[]): string[] {
  const prefixed = candidates.filter((c) => word.length > 0 && c.startsWith(word));
  if (prefixed.length > 0) return prefixed;
  let best = Math.min(2, word.length - 1);
  let matches: string[] = [];
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < best) {
      best = d;
      matches = [];
    }
    if (d === best) matches.push(candidate);
  }
  return matches;
}

/** The most names a word-by-word match may suggest: more is no suggestion, just a list. */
const MAX_WORD_MATCHES = 3;

/**
 * The names closest to a mistyped long, hyphenated name (a rule id): the nearest by edit distance,
 * ignoring case, when up to a third of it differs (a typo: `content-length-overun`); else those
 * holding every word of it (`keepalive-race` → keepalive-reuse-race, `reset` → connection-reset),
 * when there are at most three.
 */
export function closestNames(word: string, known: Iterable<string>): string[] {
  const names = [...known];
  const lower = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const name of names) {
    const d = editDistance(lower, name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  if (best !== null && bestDistance <= Math.max(2, Math.floor(word.length / 3))) return [best];
  const words = lower.split(/[-_\s]+/).filter((w) => w.length >= 3);
  if (words.length === 0) return [];
  const holding = names.filter((name) => words.every((w) => name.toLowerCase().includes(w)));
  return holding.length <= MAX_WORD_MATCHES ? holding : [];
}

/** ` (did you mean --json?)` / ` (did you mean a or b?)`, or '' when nothing is close. */
export function didYouMean(matches: readonly string[]): string {
  return matches.length ? ` (did you mean ${matches.join(' or ')}?)` : '';
}

/**
 * Damerau–Levenshtein distance in its optimal-string-alignment form: insertions, deletions,
 * substitutions and transpositions of adjacent characters each cost 1 (`jsno` → `json` is 1).
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2] + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1];
}
