/**
 * IP fragment reassembly (RFC 791 §3.2 for IPv4; the IPv6 decoder reuses it for RFC 8200 §4.5
 * fragments, since only the key differs).
 *
 * Fragments are rare on the paths wirelens looks at, so clarity wins over speed here; the
 * per-packet cost for unfragmented traffic is zero because the decoder never calls in.
 *
 * Memory is bounded: each pending datagram holds at most MAX_DATAGRAM_BYTES, at most
 * MAX_PENDING_DATAGRAMS are pending (the oldest is evicted first), and a datagram still
 * incomplete FRAGMENT_TIMEOUT_SECONDS of *capture* time after its first fragment is dropped.
 * Worst case: 256 × 64 KiB = 16 MiB.
 */

/** Largest datagram payload we rebuild: the IPv4 total-length field (and IPv6 payload length) cannot say more. */
export const MAX_DATAGRAM_BYTES = 65535;
/** Datagrams reassembled at once; past this the oldest pending one is dropped (counted as evicted). */
export const MAX_PENDING_DATAGRAMS = 256;
/** Capture-time seconds after its first fragment that a datagram may wait (Linux's ipfrag_time default). */
export const FRAGMENT_TIMEOUT_SECONDS = 30;

/** First buffer size for a datagram whose end is not known yet; doubles up to MAX_DATAGRAM_BYTES. */
const INITIAL_BUFFER_BYTES = 4096;

export interface FragmentStats {
  /** Fragments offered to add(). */
  fragments: number;
  /** Datagrams completed and returned. */
  reassembled: number;
  /** Fragments that covered bytes an earlier fragment already supplied (the earlier copy is kept). */
  overlaps: number;
  /** Overlaps whose bytes differed from the earlier copy (a retransmission would not differ). */
  conflicts: number;
  /** Fragments ignored because they disagree about where the datagram ends. */
  inconsistent: number;
  /** Datagrams dropped because a fragment reached past MAX_DATAGRAM_BYTES. */
  oversize: number;
  /** Datagrams dropped after FRAGMENT_TIMEOUT_SECONDS. */
  expired: number;
  /** Datagrams dropped to stay within MAX_PENDING_DATAGRAMS. */
  evicted: number;
}

export interface ReassembledDatagram {
  /** The whole payload (everything after the IP header / fragment header), a fresh buffer. */
  payload: Uint8Array;
  /** Protocol / next header of the fragment at offset 0. */
  protocol: number;
}

interface PendingDatagram {
  /** Capture time of the first fragment seen, for expiry. */
  firstTime: number;
  buffer: Uint8Array;
  /** Bytes received so far as sorted, disjoint, non-adjacent [start, end) pairs, flattened. */
  ranges: number[];
  /** Payload length, known once the fragment without "more fragments" arrived; -1 until then. */
  end: number;
  /** Protocol from the offset-0 fragment; -1 until it arrives. */
  protocol: number;
}

/**
 * The RFC 791 key: source, destination, identification, protocol. IPv6 (RFC 8200 §4.5) keys on
 * source, destination and identification only; its caller passes 44 (the fragment header) as protocol.
 */
export function fragmentKey(src: string, dst: string, id: number, protocol: number): string {
  return src + ' ' + dst + ' ' + id + ' ' + protocol;
}

export class FragmentReassembler {
  readonly stats: FragmentStats = {
    fragments: 0,
    reassembled: 0,
    overlaps: 0,
    conflicts: 0,
    inconsistent: 0,
    oversize: 0,
    expired: 0,
    evicted: 0,
  };
  /** Insertion order = age order, which expiry and eviction rely on. */
  private readonly pending = new Map<string, PendingDatagram>();

  /** Datagrams waiting for more fragments. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Offer one fragment: `bytes` (copied, so the caller's view may go) belongs at `offset` in the
   * datagram identified by `key`; `more` is the "more fragments" flag. Returns the datagram when
   * this fragment completed it, else null. The first copy of any byte wins.
   */
  add(key: string, time: number, offset: number, more: boolean, bytes: Uint8Array, protocol: number): ReassembledDatagram | null {
    this.stats.fragments++;
    this.expire(time);
    const start = offset;
    const end = offset + bytes.length;

    let datagram = this.pending.get(key);
    if (end > MAX_DATAGRAM_BYTES) {
      // A "ping of death": no valid datagram is this long. Drop what we had for it.
      this.stats.oversize++;
      if (datagram) this.pending.delete(key);
      return null;
    }
    if (!datagram) {
      if (this.pending.size >= MAX_PENDING_DATAGRAMS) this.evictOldest();
      datagram = {
        firstTime: time,
        buffer: new Uint8Array(more ? Math.max(INITIAL_BUFFER_BYTES, end) : end),
        ranges: [],
        end: -1,
        protocol: -1,
      };
      this.pending.set(key, datagram);
    }

    if (!this.endIsConsistent(datagram, end, more)) {
      this.stats.inconsistent++;
      return null;
    }
    if (!more) datagram.end = end;
    if (start === 0) datagram.protocol = protocol;

    if (end > datagram.buffer.length) datagram.buffer = grow(datagram.buffer, datagram.end >= 0 ? datagram.end : end);
    this.copyNewBytes(datagram, start, bytes);
    insertRange(datagram.ranges, start, end);

    const r = datagram.ranges;
    if (datagram.end >= 0 && r.length === 2 && r[0] === 0 && r[1] === datagram.end) {
      this.pending.delete(key);
      this.stats.reassembled++;
      return { payload: datagram.buffer.subarray(0, datagram.end), protocol: datagram.protocol };
    }
    return null;
  }

  /** Drop datagrams whose first fragment is older than the timeout at capture time `now`. */
  expire(now: number): void {
    for (const [key, datagram] of this.pending) {
      // Map order is arrival order, so the first young one ends the scan.
      if (now - datagram.firstTime <= FRAGMENT_TIMEOUT_SECONDS) break;
      this.pending.delete(key);
      this.stats.expired++;
    }
  }

  private evictOldest(): void {
    const oldest = this.pending.keys().next();
    if (!oldest.done) {
      this.pending.delete(oldest.value);
      this.stats.evicted++;
    }
  }

  /** The last fragment fixes the end; nothing may reach past it, and a second last fragment must agree. */
  private endIsConsistent(datagram: PendingDatagram, end: number, more: boolean): boolean {
    if (datagram.end >= 0) return more ? end <= datagram.end : end === datagram.end;
    if (more) return true;
    const r = datagram.ranges;
    return r.length === 0 || r[r.length - 1] <= end;
  }

  /** Copy only the bytes no earlier fragment supplied; count (and compare) the rest. */
  private copyNewBytes(datagram: PendingDatagram, start: number, bytes: Uint8Array): void {
    const end = start + bytes.length;
    const r = datagram.ranges;
    const buffer = datagram.buffer;
    let cursor = start;
    let overlapped = false;
    let conflicted = false;
    for (let i = 0; i < r.length && cursor < end; i += 2) {
      const haveStart = r[i];
      const haveEnd = r[i + 1];
      if (haveEnd <= cursor) continue;
      if (haveStart >= end) break;
      if (haveStart > cursor) buffer.set(bytes.subarray(cursor - start, haveStart - start), cursor);
      const overlapStart = Math.max(cursor, haveStart);
      const overlapEnd = Math.min(end, haveEnd);
      overlapped = true;
      for (let p = overlapStart; p < overlapEnd && !conflicted; p++) {
        if (buffer[p] !== bytes[p - start]) conflicted = true;
      }
      cursor = overlapEnd;
    }
    if (cursor < end) buffer.set(bytes.subarray(cursor - start), cursor);
    if (overlapped) this.stats.overlaps++;
    if (conflicted) this.stats.conflicts++;
  }
}

/** A larger copy of `buffer`: doubled, at least `needed`, at most MAX_DATAGRAM_BYTES. */
function grow(buffer: Uint8Array, needed: number): Uint8Array {
  const size = Math.min(MAX_DATAGRAM_BYTES, Math.max(needed, buffer.length * 2));
  const bigger = new Uint8Array(size);
  bigger.set(buffer);
  return bigger;
}

/** Add [start, end) to sorted flattened ranges, merging overlapping and adjacent ones. */
export function insertRange(ranges: number[], start: number, end: number): void {
  if (end <= start) return;
  let i = 0;
  while (i < ranges.length && ranges[i + 1] < start) i += 2;
  let j = i;
  let newStart = start;
  let newEnd = end;
  while (j < ranges.length && ranges[j] <= end) {
    newStart = Math.min(newStart, ranges[j]);
    newEnd = Math.max(newEnd, ranges[j + 1]);
    j += 2;
  }
  ranges.splice(i, j - i, newStart, newEnd);
}
