/**
 * README.md's examples are real: every fenced block whose first line is `$ wirelens …` is run
 * in-process (paths relative to the repository root, as a reader would type them there) and the
 * rest of the block must equal what the terminal shows, line for line: stdout for a command that
 * succeeds (exit 0, nothing on stderr); for a command line mistake, the one-line error on stderr
 * (exit 2, nothing on stdout).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '..');
const PROMPT = '$ wirelens ';

interface Example {
  /** 1-based line of the command in README.md. */
  line: number;
  command: string;
  output: string;
}

/** The fenced blocks of a Markdown text whose first line starts with the prompt. */
function examples(markdown: string): Example[] {
  const lines = markdown.split('\n');
  const found: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('```')) continue;
    const close = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    if (close === -1) throw new Error(`README.md:${i + 1}: unclosed fence`);
    const body = lines.slice(i + 1, close);
    if (body.length > 0 && body[0].startsWith(PROMPT)) {
      found.push({ line: i + 2, command: body[0].slice(PROMPT.length), output: body.slice(1).join('\n') + '\n' });
    }
    i = close;
  }
  return found;
}

const EXAMPLES = examples(readFileSync(join(ROOT, 'README.md'), 'utf8'));

describe('README.md examples', () => {
  it('there are examples of conns and report, and they run from the repository root', () => {
    expect(EXAMPLES.map((e) => e.command.split(' ')[0])).toEqual(expect.arrayContaining(['conns', 'report']));
    // The error example is there too: an unknown option with its did-you-mean.
    expect(EXAMPLES.filter((e) => e.output.includes('(did you mean ')).map((e) => e.command)).toEqual(['report --jsn captures/tour.pcapng']);
    // The commands name captures relative to the root, and report prints the path as given.
    expect(process.cwd()).toBe(ROOT);
  });

  it('the block parser takes the prompt line as the command and the rest, exactly, as its output', () => {
    const md = ['text', '```', '$ wirelens conns a.pcapng', 'ID  X', '', 'total', '```', '```sh', 'npm test', '```'].join('\n');
    expect(examples(md)).toEqual([{ line: 3, command: 'conns a.pcapng', output: 'ID  X\n\ntotal\n' }]);
  });

  it.each(EXAMPLES.map((e) => [`README.md:${e.line} wirelens ${e.command}`, e] as const))('%s', async (_name, example) => {
    // Plain words only: no quoting, pipes or redirections to interpret.
    expect(example.command).toMatch(/^[\w./-]+( [\w./=-]+)*$/);
    const r = await runCli(example.command.split(' '));
    if (r.stderr === '') {
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(example.output);
    } else {
      // An error example: the block is the error line, and nothing else was printed.
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(example.output);
      expect(r.stderr.split('\n')).toHaveLength(2);
    }
  });
});
