/**
 * Where rules come from: the built-in registry (rules/index.ts) and user rules loaded from a
 * directory (`--rules-dir`): ESM `.js`/`.mjs` files whose default export has the built-in shape.
 * A file that cannot be imported or does not export a rule is one problem line naming the file;
 * the other rules still load.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinRules } from '../../rules/index.js';
import type { Rule } from './types.js';
import { firstLine } from './error-line.js';

export { firstLine };

/** A rule and the file it came from (null for built-in rules), for error lines that name it. */
export interface LoadedRule {
  rule: Rule;
  file: string | null;
}

export const SEVERITIES = ['note', 'warning', 'error'] as const;

export function builtins(rules: readonly Rule[] = builtinRules): LoadedRule[] {
  return rules.map((rule) => ({ rule, file: null }));
}

export interface UserRules {
  rules: LoadedRule[];
  /** One line per file that did not load ("F: why"). */
  problems: string[];
}

/**
 * Loads every `.js`/`.mjs` file directly in `dir` (sorted by name). Ids must be new: a user rule
 * cannot silently replace a built-in one or another user rule.
 */
export async function loadRulesDir(dir: string, taken: ReadonlySet<string>): Promise<UserRules> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.m?js$/.test(n)).sort();
  } catch (error) {
    return { rules: [], problems: [`${dir}: cannot read the rules directory (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`] };
  }
  const result: UserRules = { rules: [], problems: [] };
  const ids = new Set(taken);
  for (const name of names) {
    const file = join(dir, name);
    const loaded = await importRule(file);
    if (typeof loaded === 'string') result.problems.push(`${file}: ${loaded}`);
    else if (ids.has(loaded.id)) result.problems.push(`${file}: rule id '${loaded.id}' is already defined`);
    else {
      ids.add(loaded.id);
      result.rules.push({ rule: loaded, file });
    }
  }
  return result;
}

/** The file's default export as a Rule, or why it is not one. */
async function importRule(file: string): Promise<Rule | string> {
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(resolve(file)).href)) as { default?: unknown };
  } catch (error) {
    return `cannot load: ${firstLine(error)}`;
  }
  const problem = ruleShapeProblem(module.default);
  return problem === null ? (module.default as Rule) : `not a rule: ${problem}`;
}

/** What is wrong with a value that should be a Rule, or null when it has the shape. */
export function ruleShapeProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'the default export must be a rule object';
  const r = value as Record<string, unknown>;
  if (typeof r.id !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(r.id)) return "'id' must be a string of letters, digits, '.', '_', '/' or '-'";
  if (!(SEVERITIES as readonly unknown[]).includes(r.severity)) return `'severity' must be ${SEVERITIES.join(', ')}`;
  for (const key of ['title', 'help', 'docs'] as const) if (typeof r[key] !== 'string') return `'${key}' must be a string`;
  if (typeof r.create !== 'function') return "'create' must be a function";
  if (r.options !== undefined) return optionsProblem(r.options);
  return null;
}

function optionsProblem(options: unknown): string | null {
  if (typeof options !== 'object' || options === null) return "'options' must be an object";
  for (const [name, o] of Object.entries(options)) {
    const opt = o as { type?: unknown; default?: unknown } | null;
    if (opt === null || !['number', 'string', 'boolean'].includes(opt.type as string)) return `option '${name}' must have a type of number, string or boolean`;
    if (typeof opt.default !== opt.type) return `option '${name}' must have a default of type ${String(opt.type)}`;
  }
  return null;
}

