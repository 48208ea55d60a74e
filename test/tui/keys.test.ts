import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helpLines, KEYS, keysTableRows } from '../../src/tui/keys.js';

describe('the keys', () => {
  it('README.md lists every key of the help overlay, in its order', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const lines = readme.split('\n');
    const start = lines.indexOf('| keys | what they do |') + 2;
    const end = lines.indexOf('', start);
    const table = lines.slice(start, end);
    expect(table).toEqual(keysTableRows());
    expect(table[0]).toBe('| `↑ ↓` `j k` | move in the focused pane (scroll in the detail pane) |');
  });

  it('the overlay aligns the help after the widest key list, with extra keys (live) at the end', () => {
    const lines = helpLines([{ keys: 'p', help: 'pause' }]);
    expect(lines).toHaveLength(KEYS.length + 1);
    expect(lines[0]).toBe('↑ ↓  j k        move in the focused pane (scroll in the detail pane)');
    expect(lines[lines.length - 1]).toBe('p               pause');
  });
});
