import { describe, expect, it } from 'vitest';
import { LinkType } from '../../src/capture/frame.js';
import { buildFrame, buildTcpIpPacket, toFrame, type TcpPacketSpec } from '../../src/synth/packets.js';
import { Decoder } from '../../src/decode/decoder.js';
import { decodeIpv4, newIpv4Header } from '../../src/decode/ipv4.js';
import { TcpFlag } from '../../src/decode/segment.js';

const spec: TcpPacketSpec = {
  src: '10.0.0.2',
  dst: '10.0.0.1',
  srcPort: 40000,
  dstPort: 8080,
  seq: 1000,
  ack: 2000,
  flags: TcpFlag.ACK | TcpFlag.PSH,
  payload: 'x',
  ipId: 0x1234,
};

describe('decodeIpv4', () => {
  const out = newIpv4Header();

  it('reads the fixed header', () => {
    const packet = buildTcpIpPacket(spec);
    expect(decodeIpv4(packet, 0, packet.length, out)).toBe('ok');
    expect(out).toEqual({
      headerLength: 20,
      totalLength: 41,
      id: 0x1234,
      protocol: 6,
      moreFragments: false,
      fragmentOffset: 0,
      payloadOffset: 20,
      payloadEnd: 41,
      payloadWireEnd: 41,
    });
  });

  it('skips options (IHL 6 and 15)', () => {
    // Router alert (RFC 2113): 94 04 00 00 → IHL 6.
    const withRouterAlert = buildTcpIpPacket({ ...spec, ipOptions: Uint8Array.from([0x94, 0x04, 0, 0]) });
    expect(withRouterAlert[0]).toBe(0x46);
    expect(decodeIpv4(withRouterAlert, 0, withRouterAlert.length, out)).toBe('ok');
    expect(out.headerLength).toBe(24);
    expect(out.payloadOffset).toBe(24);
    // 40 bytes of NOPs → IHL 15.
    const maxOptions = buildTcpIpPacket({ ...spec, ipOptions: new Uint8Array(40).fill(1) });
    expect(maxOptions[0]).toBe(0x4f);
    expect(decodeIpv4(maxOptions, 0, maxOptions.length, out)).toBe('ok');
    expect(out.payloadOffset).toBe(60);
  });

  it('rejects impossible headers', () => {
    const packet = buildTcpIpPacket(spec);
    const badVersion = packet.slice();
    badVersion[0] = 0x55;
    expect(decodeIpv4(badVersion, 0, badVersion.length, out)).toBe('malformed');
    const badIhl = packet.slice();
    badIhl[0] = 0x44;
    expect(decodeIpv4(badIhl, 0, badIhl.length, out)).toBe('malformed');
    const totalBelowHeader = packet.slice();
    totalBelowHeader[3] = 19;
    expect(decodeIpv4(totalBelowHeader, 0, totalBelowHeader.length, out)).toBe('malformed');
    const totalPastWire = packet.slice();
    totalPastWire[3] = 200;
    expect(decodeIpv4(totalPastWire, 0, totalPastWire.length, out)).toBe('malformed');
  });

  it('takes the rest of the frame when total length is 0 (GSO)', () => {
    const packet = buildTcpIpPacket({ ...spec, payload: 'hello' });
    packet[2] = 0;
    packet[3] = 0;
    expect(decodeIpv4(packet, 0, packet.length, out)).toBe('ok');
    expect(out.totalLength).toBe(45);
    expect(out.payloadEnd).toBe(45);
  });
});

describe('IPv4 through the decoder', () => {
  it('trims Ethernet padding: 1-byte payload in a 60-byte frame', () => {
    const data = buildFrame(LinkType.ETHERNET, spec, { pad: true });
    expect(data.length).toBe(60);
    // Fill the padding with garbage so a decoder that kept it would show it.
    data.fill(0xee, 14 + 41);
    const segment = new Decoder().decode(toFrame(data, LinkType.ETHERNET));
    expect(segment!.payloadLength).toBe(1);
    expect(Array.from(segment!.payload)).toEqual([0x78]);
  });

  it('decodes a segment behind IPv4 options', () => {
    const data = buildFrame(LinkType.ETHERNET, { ...spec, ipOptions: Uint8Array.from([0x94, 0x04, 0, 0]) });
    const segment = new Decoder().decode(toFrame(data, LinkType.ETHERNET));
    expect(segment).toMatchObject({ src: '10.0.0.2', dst: '10.0.0.1', srcPort: 40000, dstPort: 8080, seq: 1000, ack: 2000, payloadLength: 1 });
    expect(Buffer.from(segment!.payload).toString()).toBe('x');
  });
});
