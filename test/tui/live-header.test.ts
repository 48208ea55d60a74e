/** The live dashboard's header line and the rates in it. */
import { describe, expect, it } from 'vitest';
import { liveHeader, RateMeter } from '../../src/tui/live-header.js';

describe('RateMeter', () => {
  it('rates per second over the samples of the last 3 seconds', () => {
    const meter = new RateMeter(3000);
    expect(meter.sample(0, [0, 0])).toEqual([0, 0]);
    // A burst in the first 100 ms counts over a second, not as 50 a second.
    expect(meter.sample(100, [5, 500])).toEqual([5, 500]);
    expect(meter.sample(1000, [10, 1000])).toEqual([10, 1000]);
    expect(meter.sample(2000, [30, 3000])).toEqual([15, 1500]);
    // The sample at 0 falls out once the one after it is 3 s old: from 1000 to 4000, 20 packets in 3 s.
    const [packets, bytes] = meter.sample(4000, [30, 3000]);
    expect(packets).toBeCloseTo(20 / 3, 6);
    expect(bytes).toBeCloseTo(2000 / 3, 6);
    expect(meter.sample(7000, [30, 3000])).toEqual([0, 0]);
  });
});

describe('liveHeader', () => {
  it('source, rates, open connections, exchanges, findings by severity and the modes', () => {
    const facts = {
      source: 'live:lo (tcp port 8080)',
      packetsPerSecond: 12.4,
      bytesPerSecond: 3481.6,
      exchangesPerSecond: 1.5,
      openConnections: 2,
      exchanges: 30,
      findings: { error: 1, warning: 0, note: 2 },
      follow: true,
      paused: false,
      ended: false,
    };
    expect(liveHeader(facts)).toBe('live:lo (tcp port 8080) │ 12 pkt/s 3.4 KiB/s │ 2 open │ 1.5 exch/s (30) │ E1 W0 N2 │ FOLLOW');
    expect(liveHeader({ ...facts, follow: false, paused: true, ended: true, packetsPerSecond: 0, bytesPerSecond: 0 })).toBe(
      'live:lo (tcp port 8080) │ 0 pkt/s 0 B/s │ 2 open │ 1.5 exch/s (30) │ E1 W0 N2 │ ENDED PAUSED',
    );
    // Updates that came in while paused are counted until the display resumes.
    expect(liveHeader({ ...facts, paused: true, held: 3 })).toBe('live:lo (tcp port 8080) │ 12 pkt/s 3.4 KiB/s │ 2 open │ 1.5 exch/s (30) │ E1 W0 N2 │ PAUSED (3 held) FOLLOW');
  });
});
