/**
 * The captures named on a command line (lint, export): files as given, directories searched recursively for
 * *.pcap / *.pcapng / *.cap, and glob patterns (`captures/*.pcapng`, `rec/**\/*.pcap`) for shells
 * that do not expand them (Windows, or a quoted pattern in CI). Order is the argument order, each
 * directory's and pattern's matches sorted by path.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

export const CAPTURE_EXTENSIONS = /\.(pcap|pcapng|cap)$/i;

export interface ExpandedFiles {
  files: string[];
  /** One line per argument that named nothing to lint. */
  problems: string[];
}

export function expandCaptureArgs(args: readonly string[]): ExpandedFiles {
  const result: ExpandedFiles = { files: [], problems: [] };
  for (const arg of args) {
    const kind = kindOf(arg);
    if (kind === 'directory') {
      const found = walk(arg).filter((f) => CAPTURE_EXTENSIONS.test(f));
      if (found.length === 0) result.problems.push(`${arg}: no .pcap, .pcapng or .cap files in this directory`);
      result.files.push(...found);
    } else if (kind === 'missing' && /[*?[]/.test(arg)) {
      const found = glob(arg);
      if (found.length === 0) result.problems.push(`${arg}: no files match this pattern`);
      result.files.push(...found);
    } else {
      // A file, '-' (stdin) or a missing path: the analysis reports what is wrong with it.
      result.files.push(arg);
    }
  }
  return result;
}

function kindOf(path: string): 'directory' | 'file' | 'missing' {
  if (path === '-') return 'file';
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

/** Every file below `dir`, sorted, following no symbolic links to directories (no cycles). */
function walk(dir: string): string[] {
  const files: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return files;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) files.push(...walk(path));
    else if (e.isFile() || e.isSymbolicLink()) files.push(path);
  }
  return files;
}

/** `*` and `?` within a path segment, `**` across segments, `[abc]` classes. */
function glob(pattern: string): string[] {
  const segments = pattern.split(/[\\/]/);
  const firstWild = segments.findIndex((s) => /[*?[]/.test(s));
  const base = segments.slice(0, firstWild).join('/') || '.';
  const rest = segments.slice(firstWild).join('/');
  const matcher = globRegExp(rest);
  const prefix = base === '.' && !pattern.startsWith('./') ? '' : `${base}/`;
  return walk(base)
    .map((f) => (base === '.' ? f : f.slice(base.length + 1)).split(sep).join('/'))
    .filter((rel) => matcher.test(rel))
    .map((rel) => `${prefix}${rel}`);
}

function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      // '**/' matches zero or more directories.
      re += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
