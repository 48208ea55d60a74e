import { describe, expect, it } from 'vitest';
import { ellipsize } from '../../src/text/ellipsize.js';

describe('ellipsize', () => {
  it('keeps what fits, cuts the rest with … in the last column, and gives nothing no room', () => {
    expect([ellipsize('GET /items', 10), ellipsize('GET /items/1', 10), ellipsize('GET', 1), ellipsize('G', 1), ellipsize('GET', 0), ellipsize('GET', -3)]).toEqual([
      'GET /items',
      'GET /item…',
      '…',
      'G',
      '',
      '',
    ]);
  });
});
