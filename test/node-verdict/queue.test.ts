import { describe, expect, it } from 'vitest';
import { Queue } from '../../src/node-verdict/queue.js';

describe('Queue', () => {
  it('gives items back oldest first, peek leaving them in place, undefined when empty', () => {
    const q = new Queue<number>();
    expect([q.peek(), q.shift()]).toEqual([undefined, undefined]);
    q.push(1);
    q.push(2);
    expect([q.peek(), q.shift(), q.peek(), q.shift(), q.shift()]).toEqual([1, 1, 2, 2, undefined]);
  });

  it('keeps its order across compactions (every 16 taken, and whenever it empties)', () => {
    const q = new Queue<number>();
    const taken: number[] = [];
    for (let i = 0; i < 100; i++) {
      q.push(i);
      q.push(i + 1000);
      taken.push(q.shift() as number);
    }
    while (q.peek() !== undefined) taken.push(q.shift() as number);
    expect(taken).toEqual(pushOrder());
  });
});

/** What the test pushed, in order: a FIFO gives exactly this back. */
function pushOrder(): number[] {
  const pushed: number[] = [];
  for (let i = 0; i < 100; i++) pushed.push(i, i + 1000);
  return pushed;
}
