import { describe, expect, it } from 'vitest';
import { splitEndpoint } from '../../src/model/endpoint.js';
import { targetPath } from '../../src/report/export-common.js';

describe('targetPath (NDJSON `path`)', () => {
  it.each([
    ['/search?q=1#x', '/search'],
    ['/a/b', '/a/b'],
    ['http://example.com:8080/p?x=1', '/p'],
    ['http://example.com', '/'],
    ['*', '*'],
    ['example.com:443', 'example.com:443'],
  ])('%s → %s', (target, path) => {
    expect(targetPath(target)).toBe(path);
  });
});

describe('splitEndpoint', () => {
  it('takes IPv4 and bracketed IPv6 endpoints apart', () => {
    expect(splitEndpoint('127.0.0.1:5108')).toEqual({ ip: '127.0.0.1', port: 5108 });
    expect(splitEndpoint('[::1]:5000')).toEqual({ ip: '::1', port: 5000 });
  });
});
