import { describe, expect, it } from 'vitest';
import { MessageMap } from '../../src/http/message-map.js';
import type { Message } from '../../src/http/types.js';

/** Messages are keys by identity: plain objects stand in for them. */
const messages = (n: number): Message[] => Array.from({ length: n }, (_, i) => ({ index: i + 1 }) as unknown as Message);

describe('MessageMap', () => {
  it('maps messages by identity: set, get, has, overwrite, delete, clear', () => {
    const [a, b, c] = messages(3);
    const map = new MessageMap<string>();
    map.set(a, 'a');
    map.set(b, 'b');
    map.set(a, 'A');
    expect([map.get(a), map.get(b), map.get(c), map.has(b), map.has(c)]).toEqual(['A', 'b', undefined, true, false]);
    map.delete(a);
    map.delete(c);
    expect([map.get(a), map.get(b), map.has(a)]).toEqual([undefined, 'b', false]);
    map.clear();
    expect(map.has(b)).toBe(false);
  });

  it('past 16 messages in flight a Map takes over, with every entry kept', () => {
    const all = messages(40);
    const map = new MessageMap<number>();
    all.forEach((m, i) => map.set(m, i));
    expect(all.map((m) => map.get(m))).toEqual(all.map((_, i) => i));
    all.slice(0, 20).forEach((m) => map.delete(m));
    expect([map.has(all[19]), map.get(all[20]), map.get(all[39])]).toEqual([false, 20, 39]);
    map.clear();
    map.set(all[0], 7);
    expect([map.get(all[0]), map.has(all[1])]).toEqual([7, false]);
  });
});
