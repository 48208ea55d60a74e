import { describe, expect, it } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { buildFrame, buildTcpIpPacket, toFrame, wrapLink, type TcpPacketSpec } from '../../src/synth/packets.js';
import { Decoder } from '../../src/decode/decoder.js';
import { TcpFlag } from '../../src/decode/segment.js';
import { EMPTY_TCP_OPTIONS, decodeTcp, newTcpHeader, parseTcpOptions } from '../../src/decode/tcp.js';

const base: TcpPacketSpec = { src: '127.0.0.1', dst: '127.0.0.1', srcPort: 48338, dstPort: 8765, seq: 1, flags: TcpFlag.SYN };
const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));

/** The TCP header of `options` bytes (padded by the caller), decoded. */
function withRawOptions(options: Uint8Array) {
  const segment = new Uint8Array(20 + options.length);
  segment[12] = ((20 + options.length) / 4) << 4;
  segment.set(options, 20);
  const out = newTcpHeader();
  const status = decodeTcp(segment, 0, segment.length, segment.length, out);
  return { status, out };
}

describe('TCP options', () => {
  it('decodes a Linux SYN: MSS 65495, SACK-permitted, timestamps, window scale 7', () => {
    const { status, out } = withRawOptions(hex('0204ffd7 0402 080a 0a3f4f0d 00000000 01 030307'));
    expect(status).toBe('ok');
    expect(out.options).toStrictEqual({ mss: 65495, sackPermitted: true, timestamp: [171921165, 0], windowScale: 7 });
    expect(out.optionsMalformed).toBe(false);
    expect(out.headerLength).toBe(40);
  });

  it('decodes the NOP NOP Timestamps layout of established segments (fast path) like any other layout', () => {
    const fast = withRawOptions(hex('0101 080a fffffff0 00000001'));
    expect(fast.status).toBe('ok');
    expect(fast.out.options).toStrictEqual({ timestamp: [4294967280, 1] });
    expect(fast.out.optionsMalformed).toBe(false);
    // Same option, other padding: the general loop must agree.
    expect(withRawOptions(hex('080a fffffff0 00000001 0000')).out.options).toStrictEqual(fast.out.options);
    // Near misses of the fast path still go through the general loop.
    expect(withRawOptions(hex('0101 0809 fffffff0 00000001')).out.optionsMalformed).toBe(true);
    expect(withRawOptions(hex('0101 080a fffffff0 00000001 01010101')).out.options).toStrictEqual({ timestamp: [4294967280, 1] });
    expect(withRawOptions(hex('0101 0402 080a 00000002 00000003 0000')).out.options).toStrictEqual({ sackPermitted: true, timestamp: [2, 3] });
  });

  it('decodes SACK blocks', () => {
    const { out } = withRawOptions(hex('0101 0512 00000064 000000c8 fffffff0 00000010'));
    expect(out.options).toStrictEqual({ sack: [[100, 200], [4294967280, 16]] });
  });

  it('shares one frozen empty object when there are only NOPs or no options', () => {
    expect(withRawOptions(hex('01010100')).out.options).toBe(EMPTY_TCP_OPTIONS);
    expect(withRawOptions(new Uint8Array(0)).out.options).toBe(EMPTY_TCP_OPTIONS);
    expect(Object.isFrozen(EMPTY_TCP_OPTIONS)).toBe(true);
  });

  it('stops at EOL', () => {
    expect(withRawOptions(hex('00 020405b4 000000')).out.options).toBe(EMPTY_TCP_OPTIONS);
  });

  const malformed: Array<[string, string, object]> = [
    ['length 0', '0204 05b4 0800 0000', { mss: 1460 }],
    ['length 1', '0301 0000', {}],
    ['length beyond the header', '020405b4 080a 0000', { mss: 1460 }],
    ['kind in the last byte, no length', '01010102', {}],
    ['MSS with length 3 (skipped, parsing goes on)', '020305 030307 0000', { windowScale: 7 }],
    ['SACK with a partial block', '050e 00000001 00000002 00000003 0000', {}],
  ];
  it.each(malformed)('does not throw on %s, keeps what came before', (_name, bytes, expected) => {
    const { status, out } = withRawOptions(hex(bytes));
    expect(status).toBe('ok');
    expect(out.optionsMalformed).toBe(true);
    expect({ ...out.options }).toStrictEqual(expected);
  });

  it('parseTcpOptions honours the end it is given', () => {
    const out = newTcpHeader();
    parseTcpOptions(hex('0204 05b4 0303 07'), 0, 4, out);
    expect(out.options).toStrictEqual({ mss: 1460 });
    expect(out.optionsMalformed).toBe(false);
  });

  it('round-trips every option through the builder and decoder', () => {
    const options = { mss: 65495, windowScale: 7, sackPermitted: true, timestamp: [1, 4294967295] as [number, number] };
    const segment = new Decoder().decode(toFrame(buildFrame(LinkType.RAW, { ...base, options }), LinkType.RAW));
    expect(segment!.options).toStrictEqual(options);
    const sack = { timestamp: [5, 6] as [number, number], sack: [[10, 20], [30, 40], [50, 60]] as Array<[number, number]> };
    const ack = new Decoder().decode(toFrame(buildFrame(LinkType.RAW, { ...base, flags: TcpFlag.ACK, options: sack }), LinkType.RAW));
    expect(ack!.options).toStrictEqual(sack);
  });

  it('counts segments with malformed options and still yields them', () => {
    const packet = buildTcpIpPacket({ ...base, options: { mss: 1460 }, payload: 'ab' });
    packet[20 + 21] = 0; // MSS length byte → 0
    const decoder = new Decoder();
    const segment = decoder.decode(toFrame(wrapLink(LinkType.RAW, packet), LinkType.RAW));
    expect(segment!.payloadLength).toBe(2);
    expect(decoder.stats.tcpOptionErrors).toBe(1);
  });
});

describe('TCP header', () => {
  it('reads all 8 flags and the raw window', () => {
    const all = 0xff;
    const segment = new Decoder().decode(
      toFrame(buildFrame(LinkType.RAW, { ...base, flags: all, window: 0xabcd, ack: 0xffffffff }), LinkType.RAW),
    );
    expect(segment!.flags).toBe(0xff);
    expect(segment!.flags & TcpFlag.CWR).toBe(TcpFlag.CWR);
    expect(segment!.window).toBe(0xabcd);
    expect(segment!.ack).toBe(4294967295);
  });

  it('rejects a data offset below 5 or beyond the segment', () => {
    const out = newTcpHeader();
    const segment = new Uint8Array(24);
    segment[12] = 4 << 4;
    expect(decodeTcp(segment, 0, 24, 24, out)).toBe('malformed');
    segment[12] = 7 << 4;
    expect(decodeTcp(segment, 0, 24, 24, out)).toBe('malformed');
    expect(decodeTcp(segment, 0, 24, 28, out)).toBe('truncated');
    expect(decodeTcp(segment, 0, 19, 19, out)).toBe('malformed');
    expect(decodeTcp(segment, 0, 19, 24, out)).toBe('truncated');
  });
});
