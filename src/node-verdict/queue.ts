/**
 * First in, first out, for the few items a reader holds at once (Node messages not yet matched,
 * request methods not yet answered): taken from the front by an index, the array compacted every
 * COMPACT_AT items or when empty, so neither shift() on every item nor an array that only grows.
 */
const COMPACT_AT = 16;

export class Queue<T> {
  private items: T[] = [];
  private head = 0;

  push(item: T): void {
    this.items.push(item);
  }

  /** The oldest item, left in place (undefined when empty). */
  peek(): T | undefined {
    return this.items[this.head];
  }

  /** Takes the oldest item off (undefined when empty). */
  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head >= COMPACT_AT || this.head === this.items.length) {
      this.items.splice(0, this.head);
      this.head = 0;
    }
    return item;
  }
}
