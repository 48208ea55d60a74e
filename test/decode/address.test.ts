import { describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from '../../src/decode/address.js';

function v6(text: string): Uint8Array {
  const bytes = parseIPv6(text);
  if (!bytes) throw new Error(`bad test address ${text}`);
  return bytes;
}

describe('formatIPv6 (RFC 5952)', () => {
  const table: Array<[string, string]> = [
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['fe80:0:0:0:0:0:0:1', 'fe80::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // leftmost of two equal runs
    ['2001:db8::1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // one zero group is not compressed
    ['2001:db8:0:0:0:1:0:0', '2001:db8::1:0:0'], // the longer run wins
    ['2001:0DB8:00AA:0000:0000:0000:0000:0001', '2001:db8:aa::1'], // lower case, no leading zeros
    ['1:0:0:0:0:0:0:0', '1::'],
    ['0:0:1:0:0:0:0:0', '0:0:1::'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['100:0:0:0:0:0:0:a0b', '100::a0b'],
  ];
  it.each(table)('%s → %s', (input, expected) => {
    expect(formatIPv6(v6(input), 0)).toBe(expected);
  });

  it('reads at an offset and returns the same cached string instance on a repeat', () => {
    const data = new Uint8Array(20);
    data.set(v6('fe80::1'), 4);
    const first = formatIPv6(data, 4);
    expect(first).toBe('fe80::1');
    expect(formatIPv6(data, 4)).toBe(first);
    data[19] = 2;
    expect(formatIPv6(data, 4)).toBe('fe80::2');
  });
});

describe('formatIPv4', () => {
  it.each([
    [[127, 0, 0, 1], '127.0.0.1'],
    [[0, 0, 0, 0], '0.0.0.0'],
    [[255, 255, 255, 255], '255.255.255.255'],
    [[10, 1, 20, 254], '10.1.20.254'],
  ])('%j → %s', (bytes, expected) => {
    expect(formatIPv4(Uint8Array.from([9, ...bytes]), 1)).toBe(expected);
  });

  it('does not confuse addresses that share a cache slot', () => {
    // Format many addresses, then check every one again: collisions must re-format, not mis-hit.
    const data = new Uint8Array(4);
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < 5000; i++) {
        data[0] = 10;
        data[1] = (i >> 16) & 0xff;
        data[2] = (i >> 8) & 0xff;
        data[3] = i & 0xff;
        expect(formatIPv4(data, 0)).toBe(`10.${data[1]}.${data[2]}.${data[3]}`);
      }
    }
  });
});

describe('parsing', () => {
  it('parses and rejects IPv4', () => {
    expect(parseIPv4('192.168.1.20')).toEqual(Uint8Array.from([192, 168, 1, 20]));
    expect(parseIPv4('256.1.1.1')).toBeNull();
    expect(parseIPv4('1.2.3')).toBeNull();
    expect(parseIPv4('::1')).toBeNull();
  });

  it('parses and rejects IPv6', () => {
    expect(Array.from(v6('::1'))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6('fe80::1%lo0')).toEqual(v6('fe80::1'));
    expect(parseIPv6('1::2::3')).toBeNull();
    expect(parseIPv6('1:2:3:4:5:6:7')).toBeNull();
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIPv6('12345::')).toBeNull();
    expect(parseIPv6('127.0.0.1')).toBeNull();
  });
});
