import type { Message } from './types.js';

/** Entries kept in the arrays before a Map takes over (a connection with that many messages in flight). */
const SMALL = 16;

/**
 * A connection's messages in flight, mapped to what they belong to: one or two nearly always (a few
 * more when requests are pipelined), so two short arrays searched from the end serve where a Map's
 * hash table, allocated per connection and rebuilt when it empties, cost ~800 B a connection on a
 * capture of 10⁵ short connections. Past SMALL entries a Map takes over: a capture with thousands
 * of pipelined requests stays linear.
 */
export class MessageMap<V> {
  private readonly keys: Message[] = [];
  private readonly values: V[] = [];
  private map: Map<Message, V> | null = null;

  get(message: Message): V | undefined {
    if (this.map !== null) return this.map.get(message);
    const i = this.keys.lastIndexOf(message);
    return i < 0 ? undefined : this.values[i];
  }

  has(message: Message): boolean {
    return this.map !== null ? this.map.has(message) : this.keys.lastIndexOf(message) >= 0;
  }

  set(message: Message, value: V): void {
    if (this.map !== null) {
      this.map.set(message, value);
      return;
    }
    const i = this.keys.lastIndexOf(message);
    if (i >= 0) {
      this.values[i] = value;
      return;
    }
    if (this.keys.length === SMALL) {
      this.map = new Map(this.keys.map((k, j) => [k, this.values[j]]));
      this.keys.length = 0;
      this.values.length = 0;
      this.map.set(message, value);
      return;
    }
    this.keys.push(message);
    this.values.push(value);
  }

  delete(message: Message): void {
    if (this.map !== null) {
      this.map.delete(message);
      return;
    }
    const i = this.keys.lastIndexOf(message);
    if (i < 0) return;
    this.keys.splice(i, 1);
    this.values.splice(i, 1);
  }

  clear(): void {
    this.keys.length = 0;
    this.values.length = 0;
    this.map = null;
  }
}
