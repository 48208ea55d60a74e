import { describe, expect, it } from 'vitest';
import { formatEndpoint } from '../../src/model/endpoint.js';
import { formatBytes, formatDuration } from '../../src/text/units.js';
import { list } from '../../src/report/text.js';

describe('formatDuration', () => {
  it.each([
    [0.000057, '57µs'],
    [0.0009994, '999µs'],
    // Bug fixed: 1 ms computed as a difference of capture times (0.0009999999) printed as "1000µs".
    [0.0009999999, '1.0ms'],
    [0.001, '1.0ms'],
    [0.003924, '3.9ms'],
    [0.99994, '999.9ms'],
    [0.99996, '1.000s'],
    [1.201797, '1.202s'],
    [59.9994, '59.999s'],
    [59.9996, '60.0s'],
    [75.04, '75.0s'],
    [-0.001036, '-1.0ms'],
    [0, '0µs'],
  ])('%f s → %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('null, undefined and non-finite → "-"', () => {
    expect([formatDuration(null), formatDuration(undefined), formatDuration(Number.NaN), formatDuration(Infinity)]).toEqual(['-', '-', '-', '-']);
  });
});

describe('formatBytes / formatEndpoint / list', () => {
  it('bytes', () => {
    expect([0, 1023, 1024, 16558, 1024 * 1024, 5 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '1023 B', '1.0 KiB', '16.2 KiB', '1.0 MiB', '5.00 GiB']);
  });

  it('endpoints: IPv6 bracketed', () => {
    expect([formatEndpoint('127.0.0.1', 5106), formatEndpoint('::1', 5000), formatEndpoint('fe80::1', 80)]).toEqual(['127.0.0.1:5106', '[::1]:5000', '[fe80::1]:80']);
  });

  it('frame lists collapse runs', () => {
    expect(list([4, 5, 6, 9])).toBe('4–6, 9');
    expect(list([6])).toBe('6');
    expect(list([4, 6, 8])).toBe('4, 6, 8');
    expect(list([])).toBe('');
  });
});
