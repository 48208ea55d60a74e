/**
 * A map from a directed 4-tuple (src, srcPort, dst, dstPort) to a value, looked up once per
 * segment without building a key string: each address is interned to a small integer (the
 * decoder hands out the same string instance for the same address, so that Map lookup hits a
 * cached hash), and the three integers (src id, dst id, both ports) are the key of an
 * open-addressing hash table (linear probing) in typed arrays.
 *
 * Deleting really frees: the slot is emptied and the entries after it in its probe run are shifted
 * back (no tombstones, so lookups never slow down as connections come and go), the value is
 * dropped, and an address no stored tuple uses any more leaves the intern map (its id is reused).
 * So the table holds what is stored now; its slot arrays stay at the size of the peak.
 */

/** Initial number of slots (a power of two); the table doubles when it is half full. */
const INITIAL_SLOTS = 1024;

export class FlowTable<V> {
  /** Address text → id (≥ 1; 0 marks an empty slot). */
  private readonly ids = new Map<string, number>();
  /** By id: the address text, and how many stored tuples use it (as source or destination). */
  private readonly addresses: string[] = [''];
  private readonly refs: number[] = [0];
  /** Ids whose address left the map, to hand out again. */
  private readonly freeIds: number[] = [];
  /** Three Int32 words per slot: src id, dst id, srcPort << 16 | dstPort. */
  private keys = new Int32Array(INITIAL_SLOTS * 3);
  private vals: Array<V | undefined> = new Array<V | undefined>(INITIAL_SLOTS).fill(undefined);
  private mask = INITIAL_SLOTS - 1;
  private used = 0;

  /** Number of distinct 4-tuples stored. */
  get size(): number {
    return this.used;
  }

  /** Number of distinct addresses the stored tuples use. */
  get addressCount(): number {
    return this.ids.size;
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
    const a = this.idOf(src);
    const b = this.idOf(dst);
    if (this.insert(a, b, (srcPort << 16) | dstPort, value)) {
      this.refs[a]++;
      this.refs[b]++;
    }
  }

  /** Removes a 4-tuple and its value. Returns whether it was stored. */
  delete(src: string, srcPort: number, dst: string, dstPort: number): boolean {
    const a = this.ids.get(src);
    const b = this.ids.get(dst);
    if (a === undefined || b === undefined) return false;
    const ports = (srcPort << 16) | dstPort;
    const keys = this.keys;
    for (let slot = hash(a, b, ports) & this.mask; ; slot = (slot + 1) & this.mask) {
      const k = slot * 3;
      const id = keys[k];
      if (id === 0) return false;
      if (id === a && keys[k + 1] === b && keys[k + 2] === ports) {
        this.removeSlot(slot);
        this.used--;
        this.release(a);
        this.release(b);
        return true;
      }
    }
  }

  /** Every stored value, once per 4-tuple (a value stored under two tuples comes twice). */
  *values(): IterableIterator<V> {
    for (let slot = 0; slot <= this.mask; slot++) {
      if (this.keys[slot * 3] !== 0) yield this.vals[slot] as V;
    }
  }

  /** The id of an address, interned on first use (with no references until a tuple is stored). */
  private idOf(address: string): number {
    let id = this.ids.get(address);
    if (id === undefined) {
      id = this.freeIds.pop() ?? this.addresses.length;
      this.addresses[id] = address;
      this.refs[id] = 0;
      this.ids.set(address, id);
    }
    return id;
  }

  private release(id: number): void {
    if (--this.refs[id] > 0) return;
    this.ids.delete(this.addresses[id]);
    this.addresses[id] = '';
    this.freeIds.push(id);
  }

  /**
   * Empties `slot` and closes the hole (Knuth's algorithm R for linear probing): each later entry
   * of the run moves back into the hole unless its home slot lies cyclically in (hole, entry].
   */
  private removeSlot(slot: number): void {
    const keys = this.keys;
    const mask = this.mask;
    let hole = slot;
    for (let next = (hole + 1) & mask; keys[next * 3] !== 0; next = (next + 1) & mask) {
      const k = next * 3;
      const home = hash(keys[k], keys[k + 1], keys[k + 2]) & mask;
      // Distance from home to `next` and from home to the hole, both along the probe direction.
      if (((next - home) & mask) < ((next - hole) & mask)) continue;
      const h = hole * 3;
      keys[h] = keys[k];
      keys[h + 1] = keys[k + 1];
      keys[h + 2] = keys[k + 2];
      this.vals[hole] = this.vals[next];
      hole = next;
    }
    const h = hole * 3;
    keys[h] = keys[h + 1] = keys[h + 2] = 0;
    this.vals[hole] = undefined;
  }

  /** Stores `value` under the key; returns whether the key is new (false: overwritten). */
  private insert(a: number, b: number, ports: number, value: V): boolean {
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
        return true;
      }
      if (id === a && keys[k + 1] === b && keys[k + 2] === ports) {
        this.vals[slot] = value;
        return false;
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
