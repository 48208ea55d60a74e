import type { CapturePoint } from './types.js';
import type { Direction } from '../tcp/stream.js';

/** Linux loopback announces MSS 65483 (MTU 65536); anything this large is not an Ethernet path. */
const LOOPBACK_MSS_FLOOR = 16 * 1024;
/** The largest payload a 1500-byte Ethernet path carries (IPv4, no options). */
const ETHERNET_MSS = 1460;

/**
 * Says where the capture was taken, from segment sizes, so nobody mistakes the capture point for
 * the application's behaviour: on loopback a 64 KiB segment holds headers and a large body that a
 * real network would split; with TSO/GSO the capture sees segments larger than the MSS.
 */
export function capturePoint(mss: Record<Direction, number | null>, maxSegment: Record<Direction, number>): CapturePoint {
  const largest = Math.max(maxSegment.client, maxSegment.server);
  // The MSS a side announces bounds what its *peer* may send.
  const oversized =
    (mss.server !== null && maxSegment.client > mss.server) || (mss.client !== null && maxSegment.server > mss.client);
  const announced = Math.max(mss.client ?? 0, mss.server ?? 0);
  if (oversized || (announced === 0 && largest > LOOPBACK_MSS_FLOOR)) {
    return {
      kind: 'offload',
      mss,
      maxSegment,
      note: `segments of up to ${largest} bytes exceed the MSS: the capture was taken on a host with TCP segmentation offload (TSO/GSO), so the wire carried smaller packets; packing shows how the application wrote, not the packets`,
    };
  }
  if (announced >= LOOPBACK_MSS_FLOOR) {
    return {
      kind: 'loopback',
      mss,
      maxSegment,
      note: `loopback capture (MSS ${announced}): one segment holds up to 64 KiB, so a message packed here may be split on a ${ETHERNET_MSS}-byte-MSS network; headers-only segments still reflect the application`,
    };
  }
  return { kind: 'network', mss, maxSegment, note: null };
}
