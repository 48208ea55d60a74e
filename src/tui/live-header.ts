/**
 * The live dashboard's header line: what is being captured, how fast (packets/s and bytes/s of
 * the capture stream, exchanges/s of the analysis, over the last few seconds), how many
 * connections are open, the findings by severity, and the dashboard's modes (FOLLOW, PAUSED).
 */
import { formatBytes } from '../text/units.js';
import type { SeverityCounts } from './store.js';

/** Rates over a sliding window of samples of cumulative counters. */
export class RateMeter {
  private readonly samples: Array<{ at: number; values: number[] }> = [];

  constructor(private readonly windowMs = 3000) {}

  /** Records the counters' totals at time `at` (ms); returns the rates per second since the oldest sample in the window (over 1 s at least). */
  sample(at: number, values: number[]): number[] {
    this.samples.push({ at, values });
    while (this.samples.length > 2 && at - this.samples[1].at >= this.windowMs) this.samples.shift();
    const oldest = this.samples[0];
    // Over a second at least: the first samples of a burst would otherwise read as a huge rate.
    const seconds = Math.max(1, (at - oldest.at) / 1000);
    return values.map((v, i) => (v - oldest.values[i]) / seconds);
  }
}

export interface LiveHeaderFacts {
  /** `live:lo (tcp port 8080)`, `<stdin>`. */
  source: string;
  packetsPerSecond: number;
  bytesPerSecond: number;
  exchangesPerSecond: number;
  openConnections: number;
  exchanges: number;
  findings: SeverityCounts;
  follow: boolean;
  paused: boolean;
  /** Updates that came in while paused, shown on resume (TuiStore.heldCount). */
  held?: number;
  /** The capture ended (tcpdump stopped, the stream was read through). */
  ended: boolean;
}

/** `live:lo │ 12 pkt/s 3.4 KiB/s │ 2 open │ 1.5 exch/s (30) │ E1 W0 N0 │ FOLLOW` */
export function liveHeader(f: LiveHeaderFacts): string {
  const parts = [
    f.source,
    `${rate(f.packetsPerSecond)} pkt/s ${formatBytes(Math.round(f.bytesPerSecond))}/s`,
    `${f.openConnections} open`,
    `${rate(f.exchangesPerSecond)} exch/s (${f.exchanges})`,
    `E${f.findings.error} W${f.findings.warning} N${f.findings.note}`,
  ];
  const paused = f.paused ? (f.held ? `PAUSED (${f.held} held)` : 'PAUSED') : null;
  const modes = [f.ended ? 'ENDED' : null, paused, f.follow ? 'FOLLOW' : null].filter((m) => m !== null);
  if (modes.length > 0) parts.push(modes.join(' '));
  return parts.join(' │ ');
}

function rate(n: number): string {
  return n >= 10 || n === 0 ? String(Math.round(n)) : n.toFixed(1);
}
