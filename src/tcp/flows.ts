/**
 * A map from a directed 4-tuple (src, srcPort, dst, dstPort) to a value, looked up once per
 * segment without building a key string: each address is interned to a small integer (the
 * decoder hands out the same string instance for the same address, so that Map lookup hits a
 * cached hash), and the three integers (src id, dst id, both ports) are the key of an
 * open-addressing hash table in typed arrays. Entries are never deleted, only overwritten.
 */

/** Initial number of slots (a power of two); the table doubles when it is half full. */
const INITIAL_SLOTS = 1024;

export class FlowTable<V> {
  /** Address text → id (≥ 1; 0 marks an empty slot). */
  private readonly ids = new Map<string, number>();
  /** Three Int32 words per slot: src id, dst id, srcPort << 16 | dstPort. */
  private keys = new Int32Array(INITIAL_SLOTS * 3);
  private vals: Array<V | undefined> = new Array<V | undefined>(INITIAL_SLOTS).fill(undefined);
  private mask = INITIAL_SLOTS - 1;
  private used = 0;

  /** Number of distinct 4-tuples stored. */
  get size(): number {
    return this.used;
  }

  get(src: string, srcPort: number, dst: string, dstPort: number): V | undefined {
    const a = this.ids.get(src);
    if (a === undefined) return undefined;
    const b = this.ids.get(dst);
    if (b === undefined) return undefined;
    const ports = (srcPort << 16) | dstPort;
    const keys = this.keys;
    for (let slot = hash(a, b, ports) & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = slot * 3;
      const id = keys[k];
      if (id === 0) return undefined;
      if (id === a && keys[k + 1] === b && keys[k + 2] === ports) return this.vals[slot];
    }
  }

  set(src: string, srcPort: number, dst: string, dstPort: number, value: V): void {
    this.insert(this.idOf(src), this.idOf(dst), (srcPort << 16) | dstPort, value);
  }

  /** Every stored value, once per 4-tuple (a value stored under two tuples comes twice). */
  *values(): IterableIterator<V> {
    for (let slot = 0; slot <= this.mask; slot++) {
      if (this.keys[slot * 3] !== 0) yield this.vals[slot] as V;
    }
  }

  private idOf(address: string): number {
    let id = this.ids.get(address);
    if (id === undefined) {
      id = this.ids.size + 1;
      this.ids.set(address, id);
    }
    return id;
  }

  private insert(a: number, b: number, ports: number, value: V): void {
    const keys = this.keys;
    for (let slot = hash(a, b, ports) & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = slot * 3;
      const id = keys[k];
      if (id === 0) {
        keys[k] = a;
        keys[k + 1] = b;
        keys[k + 2] = ports;
        this.vals[slot] = value;
        if (++this.used * 2 > this.mask + 1) this.grow();
        return;
      }
      if (id === a && keys[k + 1] === b && keys[k + 2] === ports) {
        this.vals[slot] = value;
        return;
      }
    }
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const slots = (this.mask + 1) * 2;
    this.keys = new Int32Array(slots * 3);
    this.vals = new Array<V | undefined>(slots).fill(undefined);
    this.mask = slots - 1;
    this.used = 0;
    for (let slot = 0; slot < oldVals.length; slot++) {
      const k = slot * 3;
      if (oldKeys[k] !== 0) this.insert(oldKeys[k], oldKeys[k + 1], oldKeys[k + 2], oldVals[slot] as V);
    }
  }
}

/** Mixes the three key words (murmur3-style multiply/xor-shift), so nearby ports spread out. */
function hash(a: number, b: number, ports: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b) ^ Math.imul(ports, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h;
}
