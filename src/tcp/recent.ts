/**
 * The last few delivered payloads of one direction, kept so that a later retransmission can be
 * compared with its first copy ("first copy wins; a conflict is an event").
 *
 * They are views, never copies, so remembering costs no allocation on the in-order path (a fixed
 * ring of slots). A view pins the capture buffer it points into, so entries are dropped as soon as
 * the peer acknowledges them (a retransmission of acked bytes is rare, and then goes uncompared),
 * and the whole ring is dropped when the connection ends.
 */

/** Ring size: a power of two, for the index mask. Enough for a window of in-flight segments. */
export const RECENT_SEGMENTS = 32;
const MASK = RECENT_SEGMENTS - 1;

/** A remembered delivery that overlaps a queried range. */
export interface RecentHit {
  bytes: Uint8Array;
  /** Stream offset of bytes[0]. */
  offset: number;
  frame: number;
}

export class RecentDeliveries {
  // Plain arrays that grow to the ring's size: most directions of short connections deliver one
  // segment, and allocating three full rings per direction up front was the largest per-connection
  // cost on a capture of 10^5 short connections.
  private readonly bytes: Array<Uint8Array | null> = [];
  private readonly offsets: number[] = [];
  private readonly frames: number[] = [];
  /** Slot the next delivery goes to, and how many slots (ending there) hold a view. */
  private next = 0;
  private count = 0;

  remember(bytes: Uint8Array, offset: number, frame: number): void {
    const i = this.next;
    if (i === this.bytes.length) {
      this.bytes.push(bytes);
      this.offsets.push(offset);
      this.frames.push(frame);
    } else {
      this.bytes[i] = bytes;
      this.offsets[i] = offset;
      this.frames[i] = frame;
    }
    this.next = (i + 1) & MASK;
    if (this.count < RECENT_SEGMENTS) this.count++;
  }

  /** Drops the views that end at or before `offset` (oldest first). */
  forgetThrough(offset: number): void {
    while (this.count > 0) {
      const i = (this.next - this.count) & MASK;
      const bytes = this.bytes[i];
      if (bytes !== null && this.offsets[i] + bytes.length > offset) return;
      this.bytes[i] = null;
      this.count--;
    }
  }

  /**
   * Calls `visit` for each remembered delivery overlapping [from, to), newest first, until it
   * returns true.
   */
  find(from: number, to: number, visit: (hit: RecentHit) => boolean): void {
    for (let k = 0; k < this.count; k++) {
      const i = (this.next - 1 - k) & MASK;
      const bytes = this.bytes[i];
      if (bytes === null) continue;
      const offset = this.offsets[i];
      if (offset >= to || offset + bytes.length <= from) continue;
      if (visit({ bytes, offset, frame: this.frames[i] })) return;
    }
  }
}
