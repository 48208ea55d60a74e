import { describe, expect, it } from 'vitest';
import { escapeTags, fit, wire, wrapText } from '../../src/tui/escape.js';

describe('wire text for blessed', () => {
  it('escapes blessed tags, so `{red-fg}` from a header shows as typed', () => {
    expect(escapeTags('{red-fg}x{/red-fg}')).toBe('{open}red-fg{close}x{open}/red-fg{close}');
  });

  it('escapes terminal controls before tags: ESC, BEL, C1 CSI', () => {
    expect(wire('/\x1b[2J\x1b]0;pwned\x07{bold}')).toBe('/\\x1b[2J\\x1b]0;pwned\\x07{open}bold{close}');
    expect(wire('a\x9bb')).toBe('a\\x9bb');
  });

  it('fit cuts with … and pads to the width', () => {
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('ab', 0)).toBe('');
  });

  it('wrapText breaks at spaces and indents continuation lines', () => {
    expect(wrapText('one two three four', 9, '  ')).toEqual(['one two', '  three', '  four']);
    expect(wrapText('short', 9)).toEqual(['short']);
    expect(wrapText('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
  });
});
