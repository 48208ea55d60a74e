import { describe, expect, it } from 'vitest';
import { capturePoint } from '../../src/model/capture-point.js';

describe('capturePoint', () => {
  it("loopback: MSS 65495 announced by both sides (Linux lo, MTU 65536) → 'loopback' with its note", () => {
    const p = capturePoint({ client: 65495, server: 65495 }, { client: 64, server: 135 });
    expect(p.kind).toBe('loopback');
    expect(p.mss).toEqual({ client: 65495, server: 65495 });
    expect(p.maxSegment).toEqual({ client: 64, server: 135 });
    expect(p.note).toBe(
      'loopback capture (MSS 65495): one segment holds up to 64 KiB, so a message packed here may be split on a 1460-byte-MSS network; headers-only segments still reflect the application',
    );
  });

  it("loopback even with a 16 558-byte request segment (captures/14): it fits the MSS", () => {
    expect(capturePoint({ client: 65495, server: 65495 }, { client: 16558, server: 67 }).kind).toBe('loopback');
  });

  it("network: MSS 1460 and segments within it → 'network', no note", () => {
    expect(capturePoint({ client: 1460, server: 1460 }, { client: 517, server: 1460 })).toEqual({
      kind: 'network',
      mss: { client: 1460, server: 1460 },
      maxSegment: { client: 517, server: 1460 },
      note: null,
    });
  });

  it("offload: the server sends segments larger than the MSS the client announced (TSO/GSO)", () => {
    const p = capturePoint({ client: 1460, server: 1460 }, { client: 300, server: 14600 });
    expect(p.kind).toBe('offload');
    expect(p.note).toBe(
      'segments of up to 14600 bytes exceed the MSS: the capture was taken on a host with TCP segmentation offload (TSO/GSO), so the wire carried smaller packets; packing shows how the application wrote, not the packets',
    );
  });

  it('offload is judged per direction: the client bound by the server’s MSS', () => {
    // Client segment 2000 > server MSS 1400; the server's 1460 fits the client's 1460.
    expect(capturePoint({ client: 1460, server: 1400 }, { client: 2000, server: 1460 }).kind).toBe('offload');
    // One byte under each limit: network.
    expect(capturePoint({ client: 1460, server: 1400 }, { client: 1400, server: 1460 }).kind).toBe('network');
  });

  it('handshake not captured (no MSS): small segments → network, segments over 16 KiB → offload', () => {
    expect(capturePoint({ client: null, server: null }, { client: 1448, server: 1448 }).kind).toBe('network');
    expect(capturePoint({ client: null, server: null }, { client: 100, server: 16 * 1024 }).kind).toBe('network');
    expect(capturePoint({ client: null, server: null }, { client: 100, server: 16 * 1024 + 1 }).kind).toBe('offload');
  });

  it('one side announcing 65495 is enough for loopback; exactly 16 KiB is the floor', () => {
    expect(capturePoint({ client: 65495, server: null }, { client: 10, server: 10 }).kind).toBe('loopback');
    expect(capturePoint({ client: 16384, server: 16384 }, { client: 10, server: 10 }).kind).toBe('loopback');
    expect(capturePoint({ client: 16383, server: 16383 }, { client: 10, server: 10 }).kind).toBe('network');
  });
});
