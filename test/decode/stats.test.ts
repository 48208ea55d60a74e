import { describe, expect, it } from 'vitest';
import { linkTypeName } from '../../src/capture/frame.js';
import { describeUndecoded, newDecodeStats, type DecodeStats } from '../../src/decode/stats.js';

function statsWith(unknownLinkTypes: Record<number, number>): DecodeStats {
  const stats = newDecodeStats();
  stats.unknownLinkTypes = unknownLinkTypes;
  stats.unknownLinkType = Object.values(unknownLinkTypes).reduce((a, b) => a + b, 0);
  stats.frames = stats.unknownLinkType;
  return stats;
}

describe('describeUndecoded', () => {
  it('says nothing when every link type was decoded', () => {
    expect(describeUndecoded(newDecodeStats(), 'a.pcap')).toBeNull();
  });

  it('names the file, the count with thousands separators, the link type and its registry name', () => {
    expect(describeUndecoded(statsWith({ 147: 1234 }), 'captures/x.pcapng')).toBe(
      'wirelens: captures/x.pcapng: 1,234 frames of link type 147 (USER0) not decoded',
    );
    expect(describeUndecoded(statsWith({ 9: 1 }), '-')).toBe('wirelens: -: 1 frame of link type 9 (PPP) not decoded');
    expect(describeUndecoded(statsWith({ 4242: 1234567 }), 'f')).toBe('wirelens: f: 1,234,567 frames of link type 4242 not decoded');
  });

  it('lists several link types on one line, in ascending order', () => {
    expect(describeUndecoded(statsWith({ 162: 3, 127: 2, 9: 1 }), 'f')).toBe(
      'wirelens: f: 1 frame of link type 9 (PPP) and 2 frames of link type 127 (IEEE802_11_RADIOTAP) and 3 frames of link type 162 (USER15) not decoded',
    );
  });
});

describe('linkTypeName', () => {
  it('knows the registry names, the USER range and DLT_RAW', () => {
    expect(linkTypeName(1)).toBe('ETHERNET');
    expect(linkTypeName(147)).toBe('USER0');
    expect(linkTypeName(156)).toBe('USER9');
    expect(linkTypeName(162)).toBe('USER15');
    expect(linkTypeName(12)).toBe('RAW');
    expect(linkTypeName(14)).toBe('RAW');
    expect(linkTypeName(276)).toBe('LINUX_SLL2');
    expect(linkTypeName(4242)).toBeNull();
  });
});
