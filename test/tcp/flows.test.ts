import { describe, expect, it } from 'vitest';
import { FlowTable } from '../../src/tcp/flows.js';

describe('FlowTable', () => {
  it('finds a value by its directed 4-tuple only', () => {
    const t = new FlowTable<string>();
    t.set('10.0.0.1', 40000, '10.0.0.2', 80, 'a');
    expect(t.get('10.0.0.1', 40000, '10.0.0.2', 80)).toBe('a');
    expect(t.get('10.0.0.2', 80, '10.0.0.1', 40000)).toBeUndefined();
    expect(t.get('10.0.0.1', 40001, '10.0.0.2', 80)).toBeUndefined();
    expect(t.get('10.0.0.1', 40000, '10.0.0.3', 80)).toBeUndefined();
    expect(t.get('10.0.0.9', 40000, '10.0.0.2', 80)).toBeUndefined();
    expect(t.size).toBe(1);
  });

  it('overwrites the value of an existing tuple', () => {
    const t = new FlowTable<number>();
    t.set('::1', 1, '::1', 2, 1);
    t.set('::1', 1, '::1', 2, 2);
    expect(t.get('::1', 1, '::1', 2)).toBe(2);
    expect(t.size).toBe(1);
  });

  it('uses equal strings, not string instances, as addresses', () => {
    const t = new FlowTable<number>();
    const a = ['192.168', '0.1'].join('.');
    t.set(a, 5, 'fe80::1', 6, 7);
    expect(t.get('192.168.0.1', 5, ['fe80', '', '1'].join(':'), 6)).toBe(7);
  });

  it('keeps ports 0 and 65535 apart, and the two ports in order', () => {
    const t = new FlowTable<string>();
    t.set('1.1.1.1', 0, '2.2.2.2', 65535, 'low-high');
    t.set('1.1.1.1', 65535, '2.2.2.2', 0, 'high-low');
    t.set('1.1.1.1', 65535, '2.2.2.2', 65535, 'high-high');
    expect(t.get('1.1.1.1', 0, '2.2.2.2', 65535)).toBe('low-high');
    expect(t.get('1.1.1.1', 65535, '2.2.2.2', 0)).toBe('high-low');
    expect(t.get('1.1.1.1', 65535, '2.2.2.2', 65535)).toBe('high-high');
    expect(t.get('1.1.1.1', 0, '2.2.2.2', 0)).toBeUndefined();
  });

  it('grows past its initial size and still finds every tuple (a scan of many hosts and ports)', () => {
    const t = new FlowTable<number>();
    const n = 20000;
    for (let i = 0; i < n; i++) t.set(`10.${(i >> 8) & 255}.${i & 255}.1`, 1024 + (i % 7), '10.255.255.254', i % 65536, i);
    expect(t.size).toBe(n);
    for (let i = 0; i < n; i++) expect(t.get(`10.${(i >> 8) & 255}.${i & 255}.1`, 1024 + (i % 7), '10.255.255.254', i % 65536)).toBe(i);
    expect(t.get('10.0.0.1', 1024, '10.255.255.254', 1)).toBeUndefined();
    expect([...t.values()].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  });
});
