import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { OrderedSpool } from '../../src/report/ordered-spool.js';

const spoolFiles = (): string[] => readdirSync(tmpdir()).filter((f) => f.startsWith(`wirelens-spool-${process.pid}-`));

/** Pieces of three connections as a report adds them: exchanges first, head and tail at the close, in close order 2, 1, 3. */
function fill(spool: OrderedSpool): void {
  spool.add(2, 2, 'c2 exchange 1\n');
  spool.add(1, 2, 'c1 exchange 1 — “quoted” ü\n');
  spool.add(1, 3, 'c1 finding A\n');
  spool.add(2, 0, 'c2 head\n');
  spool.add(2, 0xfffffffe, 'c2 tail\n', 7);
  spool.add(1, 3, 'c1 finding B\n');
  spool.add(1, 4, 'c1 exchange 2\n');
  spool.add(1, 0, 'c1 head\n');
  spool.add(1, 0xfffffffe, 'c1 tail\n', 7);
  spool.add(3, 0, `c3 head ${'x'.repeat(300_000)}\n`); // larger than the read window
  spool.add(1, 3, 'c1 finding C (after the close)\n');
}

const WANT = [
  'c1 head\n',
  'c1 exchange 1 — “quoted” ü\n',
  'c1 finding A\n',
  'c1 finding B\n',
  'c1 finding C (after the close)\n',
  'c1 exchange 2\n',
  'c1 tail\n',
  'c2 head\n',
  'c2 exchange 1\n',
  'c2 tail\n',
  `c3 head ${'x'.repeat(300_000)}\n`,
];

describe('OrderedSpool', () => {
  it('in memory: pieces by key, then sub-key, then in the order added; the number given with each comes back', () => {
    const spool = new OrderedSpool();
    fill(spool);
    expect(spool.size).toBe(11);
    const pieces = [...spool.inOrder()];
    expect(pieces.map((p) => p.text)).toEqual(WANT);
    expect(pieces.map((p) => p.key)).toEqual([1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3]);
    expect(pieces.map((p) => p.aux)).toEqual([0, 0, 0, 0, 0, 0, 7, 0, 0, 7, 0]);
    expect(spoolFiles()).toEqual([]);
  });

  it('past its memory budget: the same pieces back from an unlinked temporary file, byte for byte', () => {
    const spool = new OrderedSpool(64); // past 64 characters at the fifth piece
    fill(spool);
    expect(spoolFiles()).toEqual([]); // unlinked as soon as opened
    expect([...spool.inOrder()].map((p) => p.text)).toEqual(WANT);
    expect(spool.size).toBe(0);
  });

  it('many pieces read back out of write order through the file window', () => {
    const spool = new OrderedSpool(1024);
    // 5,000 connections closing in reverse order, each piece ~100 bytes: reads jump backwards.
    for (let id = 5000; id >= 1; id--) {
      spool.add(id, 2, `${id} exchange ${'.'.repeat(80)}\n`);
      spool.add(id, 0, `${id} head\n`);
    }
    const texts = [...spool.inOrder()].map((p) => p.text);
    expect(texts.length).toBe(10_000);
    expect(texts.slice(0, 3)).toEqual(['1 head\n', `1 exchange ${'.'.repeat(80)}\n`, '2 head\n']);
    expect(texts[9999]).toBe(`5000 exchange ${'.'.repeat(80)}\n`);
  });

  it('disposed without reading (a report that prints nothing): empty afterwards', () => {
    const spool = new OrderedSpool(16);
    fill(spool);
    spool.dispose();
    expect(spool.size).toBe(0);
    expect([...spool.inOrder()]).toEqual([]);
  });
});
