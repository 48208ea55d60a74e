import { describe, expect, it } from 'vitest';
import { plural } from '../../src/text/plural.js';

describe('plural', () => {
  it('keeps the noun singular for exactly one, adds s otherwise (zero included)', () => {
    expect(plural(1, 'byte')).toBe('1 byte');
    expect(plural(0, 'byte')).toBe('0 bytes');
    expect(plural(3, 'body byte')).toBe('3 body bytes');
  });
});
