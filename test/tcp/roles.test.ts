import { describe, expect, it } from 'vitest';
import { serverPort } from '../../src/tcp/roles.js';

describe('serverPort', () => {
  it.each([
    [50000, 80, 'b'],
    [80, 50000, 'a'],
    [3000, 40000, 'a'],
    [40000, 8080, 'b'],
    [1234, 60000, 'a'],
    [60000, 1234, 'b'],
    [80, 443, 'a'],
    [7000, 7000, 'b'],
  ])('serverPort(%d, %d) = %s', (a, b, want) => {
    expect(serverPort(a, b)).toBe(want);
  });
});
