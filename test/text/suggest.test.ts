import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.js';
import { closestMatches, closestNames, didYouMean, editDistance } from '../../src/text/suggest.js';

describe('editDistance (Damerau–Levenshtein, optimal string alignment)', () => {
  it.each([
    ['json', 'json', 0],
    ['jsn', 'json', 1],
    ['jsno', 'json', 1],
    ['josn', 'json', 1],
    ['reprot', 'report', 1],
    ['rpeort', 'report', 1],
    ['conn', 'conns', 1],
    ['', 'raw', 3],
    ['ca', 'abc', 3],
  ])('%s → %s: %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closestMatches', () => {
  const names = ['conns', 'follow', 'report'];
  it.each([
    ['reprot', ['report']],
    ['rep', ['report']],
    ['fllow', ['follow']],
    ['con', ['conns']],
    ['x', []],
    ['lint', []],
    ['', []],
  ])('%s → %j', (word, want) => {
    expect(closestMatches(word, names)).toEqual(want);
  });

  it('ties at the same distance are all suggested', () => {
    expect(closestMatches('ab', ['abc', 'abd', 'xyz'])).toEqual(['abc', 'abd']);
    expect(closestMatches('axc', ['abc', 'adc'])).toEqual(['abc', 'adc']);
  });
});

describe('closestNames (rule ids)', () => {
  const ids = builtinRules.map((r) => r.id);

  it('a typo, case aside: the nearest id', () => {
    expect(closestNames('content-length-overun', ids)).toEqual(['content-length-overrun']);
    expect(closestNames('Keepalive-Reuse-Race', ids)).toEqual(['keepalive-reuse-race']);
  });

  it('words of an id: the ids holding them all, when there are at most three', () => {
    expect(closestNames('keepalive-race', ids)).toEqual(['keepalive-reuse-race']);
    expect(closestNames('reset', ids)).toEqual(['connection-reset']);
    expect(closestNames('timeout', ids).sort()).toEqual(['keepalive-timeout-mismatch', 'request-timeout']);
    // Too many ids hold "connection": no suggestion rather than a list of rules.
    expect(closestNames('connection', ids)).toEqual([]);
    expect(closestNames('zz', ids)).toEqual([]);
  });

  it('didYouMean words one or several', () => {
    expect(didYouMean(['a'])).toBe(' (did you mean a?)');
    expect(didYouMean(['a', 'b'])).toBe(' (did you mean a or b?)');
    expect(didYouMean([])).toBe('');
  });
});
