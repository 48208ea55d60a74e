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

describe('FlowTable.delete', () => {
  it('removes a tuple and its value; the reverse tuple and others stay', () => {
    const t = new FlowTable<string>();
    t.set('10.0.0.1', 40000, '10.0.0.2', 80, 'ab');
    t.set('10.0.0.2', 80, '10.0.0.1', 40000, 'ba');
    expect(t.delete('10.0.0.1', 40000, '10.0.0.2', 80)).toBe(true);
    expect(t.delete('10.0.0.1', 40000, '10.0.0.2', 80)).toBe(false);
    expect(t.get('10.0.0.1', 40000, '10.0.0.2', 80)).toBeUndefined();
    expect(t.get('10.0.0.2', 80, '10.0.0.1', 40000)).toBe('ba');
    expect([t.size, [...t.values()]]).toEqual([1, ['ba']]);
    expect(t.delete('10.0.0.9', 1, '10.0.0.2', 80)).toBe(false);
  });

  it('an address no stored tuple uses leaves the intern map, and its id is reused safely', () => {
    const t = new FlowTable<number>();
    t.set('10.0.0.1', 1, '10.0.0.2', 2, 1);
    t.set('10.0.0.1', 3, '10.0.0.3', 4, 2);
    expect(t.addressCount).toBe(3);
    t.delete('10.0.0.1', 3, '10.0.0.3', 4);
    expect(t.addressCount).toBe(2); // 10.0.0.3 is gone, 10.0.0.1 still used
    t.set('10.0.0.4', 3, '10.0.0.1', 4, 3); // reuses 10.0.0.3's id
    expect(t.get('10.0.0.3', 3, '10.0.0.1', 4)).toBeUndefined();
    expect(t.get('10.0.0.4', 3, '10.0.0.1', 4)).toBe(3);
    expect(t.get('10.0.0.1', 1, '10.0.0.2', 2)).toBe(1);
    t.delete('10.0.0.1', 1, '10.0.0.2', 2);
    t.delete('10.0.0.4', 3, '10.0.0.1', 4);
    expect([t.size, t.addressCount]).toEqual([0, 0]);
  });

  it('a connection to itself (one address both ends) is counted and released once per tuple', () => {
    const t = new FlowTable<number>();
    t.set('::1', 5000, '::1', 5000, 1);
    t.set('::1', 5001, '::1', 5000, 2);
    t.delete('::1', 5000, '::1', 5000);
    expect([t.size, t.addressCount, t.get('::1', 5001, '::1', 5000)]).toEqual([1, 1, 2]);
  });

  it('churn: random inserts and deletes agree with a Map, probe runs stay intact (no tombstones)', () => {
    const t = new FlowTable<number>();
    const ref = new Map<string, number>();
    let seed = 12345;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    // Few distinct keys over a small table: long collision runs, deletes in their middle.
    for (let step = 0; step < 50_000; step++) {
      const host = `10.0.${rand(4)}.${rand(8)}`;
      const port = rand(64);
      const key = `${host}:${port}`;
      if (rand(3) === 0) {
        expect(t.delete(host, port, '10.9.9.9', 80)).toBe(ref.delete(key));
      } else {
        t.set(host, port, '10.9.9.9', 80, step);
        ref.set(key, step);
      }
    }
    expect(t.size).toBe(ref.size);
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 8; b++) {
        for (let port = 0; port < 64; port++) expect(t.get(`10.0.${a}.${b}`, port, '10.9.9.9', 80)).toBe(ref.get(`10.0.${a}.${b}:${port}`));
      }
    }
    for (const key of [...ref.keys()]) {
      const [host, port] = key.split(':');
      t.delete(host, Number(port), '10.9.9.9', 80);
    }
    expect([t.size, t.addressCount, [...t.values()]]).toEqual([0, 0, []]);
  });
});
