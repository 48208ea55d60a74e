import { describe, expect, it } from 'vitest';
import { SettlingList, type SettlingLink } from '../../src/tcp/settling.js';

class Node implements SettlingLink<Node> {
  settleOlder: Node | null = null;
  settleNewer: Node | null = null;
  settleSince = 0;
  settlingIn: SettlingList<Node> | null = null;
  constructor(readonly name: string) {}
}

function order(list: SettlingList<Node>): string[] {
  const names: string[] = [];
  for (let n = list.oldest; n !== null; n = n.settleNewer) names.push(`${n.name}@${n.settleSince}`);
  return names;
}

describe('SettlingList', () => {
  it('keeps members oldest first; touch moves a member to the newest end with its new time', () => {
    const list = new SettlingList<Node>();
    const [a, b, c] = [new Node('a'), new Node('b'), new Node('c')];
    list.touch(a, 1);
    list.touch(b, 2);
    list.touch(c, 3);
    expect([order(list), list.size]).toEqual([['a@1', 'b@2', 'c@3'], 3]);
    list.touch(a, 4);
    expect(order(list)).toEqual(['b@2', 'c@3', 'a@4']);
    list.touch(a, 5); // already the newest
    list.touch(c, 6); // from the middle
    expect([order(list), list.size]).toEqual([['b@2', 'a@5', 'c@6'], 3]);
  });

  it('remove takes out the oldest, the newest or a middle member; twice is a no-op', () => {
    const list = new SettlingList<Node>();
    const nodes = ['a', 'b', 'c', 'd'].map((n) => new Node(n));
    nodes.forEach((n, i) => list.touch(n, i));
    list.remove(nodes[1]);
    list.remove(nodes[1]);
    expect([order(list), list.size]).toEqual([['a@0', 'c@2', 'd@3'], 3]);
    list.remove(nodes[0]);
    list.remove(nodes[3]);
    expect([order(list), list.size, nodes[3].settlingIn]).toEqual([['c@2'], 1, null]);
    list.remove(nodes[2]);
    expect([list.oldest, list.size]).toEqual([null, 0]);
    list.touch(nodes[3], 9); // back in after removal
    expect(order(list)).toEqual(['d@9']);
  });

  it('a member is in one list at most: touch moves it from the other list, remove from the wrong list is a no-op', () => {
    const long = new SettlingList<Node>();
    const short = new SettlingList<Node>();
    const [a, b] = [new Node('a'), new Node('b')];
    long.touch(a, 1);
    long.touch(b, 2);
    short.remove(a);
    expect([order(long), long.size, short.size]).toEqual([['a@1', 'b@2'], 2, 0]);
    short.touch(a, 3);
    expect([order(long), order(short), long.size, short.size, a.settlingIn === short]).toEqual([['b@2'], ['a@3'], 1, 1, true]);
    long.touch(a, 4);
    expect([order(long), short.oldest, short.size]).toEqual([['b@2', 'a@4'], null, 0]);
  });
});
