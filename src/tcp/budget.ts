/**
 * Bounds on the memory the reassembler may spend on out-of-order bytes (the only payload bytes it
 * copies). A capture with heavy loss or a hostile peer must not make wirelens grow without limit,
 * so every copied byte is reserved against two limits:
 *
 * - per connection (both directions together): MAX_BUFFERED_PER_CONNECTION;
 * - across all connections: MAX_BUFFERED_TOTAL.
 *
 * When a reservation fails the reassembler degrades instead of buffering: it flushes the
 * direction that received the segment — every hole before buffered data becomes a StreamGap with
 * cause 'buffer-limit' and all buffered bytes (plus the new segment) are delivered at once. Bytes
 * that would have filled those holes later are then treated as retransmissions. This is the
 * documented cost of the cap: gaps, never silent gluing, never unbounded memory.
 */

/** Out-of-order bytes one connection may hold, both directions together. */
export const MAX_BUFFERED_PER_CONNECTION = 8 * 1024 * 1024;

/** Out-of-order bytes all connections together may hold. */
export const MAX_BUFFERED_TOTAL = 64 * 1024 * 1024;

export interface BufferLimits {
  /** Bytes per connection; default MAX_BUFFERED_PER_CONNECTION. */
  perConnection?: number;
  /** Bytes across all connections; default MAX_BUFFERED_TOTAL. */
  total?: number;
}

/** The shared, capture-wide pool. */
export class BufferPool {
  readonly perConnection: number;
  readonly total: number;
  /** Bytes currently reserved by all accounts. */
  used = 0;

  constructor(limits: BufferLimits = {}) {
    this.perConnection = limits.perConnection ?? MAX_BUFFERED_PER_CONNECTION;
    this.total = limits.total ?? MAX_BUFFERED_TOTAL;
  }

  /** One account per connection, shared by its two directions. */
  account(): BufferAccount {
    return new BufferAccount(this);
  }
}

/** One connection's share of the pool. */
export class BufferAccount {
  /** Bytes currently reserved by this connection. */
  used = 0;

  constructor(private readonly pool: BufferPool) {}

  /** Reserves `n` bytes if both limits allow it; reserves nothing and returns false otherwise. */
  tryReserve(n: number): boolean {
    if (this.used + n > this.pool.perConnection || this.pool.used + n > this.pool.total) return false;
    this.used += n;
    this.pool.used += n;
    return true;
  }

  release(n: number): void {
    this.used -= n;
    this.pool.used -= n;
  }
}
