/**
 * Configuration, like ESLint's: `wirelens.config.json` in the working directory (or `--config F`)
 * sets each rule to "off" | "note" | "warning" | "error" or [severity, {options}]; `--rule id=sev`
 * on the command line goes on top. The file is validated against the JSON Schema shipped in the
 * package (schema/wirelens.config.schema.json), then rule ids against the known rules and option
 * names and types against each rule's declared options. Every problem is one line naming the file
 * and the key: `wirelens.config.json: rules.content-length-overun: unknown rule (did you mean …?)`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { joinPath, validate, describeValue, type JsonSchema } from './json-schema.js';
import { CONFIG_SCHEMA_PATH } from './package-files.js';
import type { LoadedRule } from './registry.js';
import { closestNames, didYouMean } from '../text/suggest.js';
import type { Rule, Severity, SeveritySetting } from './types.js';

export const CONFIG_FILE_NAME = 'wirelens.config.json';

export type RuleOptionValue = number | string | boolean;
export type RuleOptions = Record<string, RuleOptionValue>;
export type RuleSetting = SeveritySetting | [SeveritySetting] | [SeveritySetting, RuleOptions];

/** The configuration file's shape (see the schema). */
export interface ConfigFile {
  $schema?: string;
  rules?: Record<string, RuleSetting>;
}

/** Rule settings from one place (the file, or the command line), named for error lines. */
export interface ConfigLayer {
  source: string;
  rules: Record<string, RuleSetting>;
}

/** A rule as it will run: its configured severity and its options, defaults merged. */
export interface ResolvedRule extends LoadedRule {
  severity: SeveritySetting;
  options: RuleOptions;
}

/** A rule that runs ("off" rules are left out). */
export interface ActiveRule extends ResolvedRule {
  severity: Severity;
}

/** Configuration problems, one line each; the command prints them and exits 2. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

let schema: JsonSchema | null = null;
export function configSchema(): JsonSchema {
  return (schema ??= JSON.parse(readFileSync(CONFIG_SCHEMA_PATH(), 'utf8')) as JsonSchema);
}

/**
 * The configuration file: `explicit` (--config), else wirelens.config.json in `cwd` if there is
 * one, else null. Throws ConfigError when it cannot be read or is not JSON.
 */
export function readConfigFile(explicit: string | undefined, cwd: string): { file: string; config: unknown } | null {
  const file = explicit ?? CONFIG_FILE_NAME;
  const path = explicit ?? join(cwd, CONFIG_FILE_NAME);
  if (explicit === undefined && !existsSync(path)) return null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${file}: cannot read the configuration (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  try {
    return { file, config: JSON.parse(text) as unknown };
  } catch (error) {
    throw new ConfigError([`${file}: not valid JSON (${(error as Error).message})`]);
  }
}

/** Validates a parsed configuration file; returns it typed, or throws ConfigError with every problem. */
export function checkConfigFile(file: string, config: unknown, rules: readonly LoadedRule[]): ConfigLayer {
  const problems = validate(configSchema(), config).map((e) => `${file}: ${e.path === '' ? 'the configuration' : e.path}: ${e.message}`);
  if (problems.length === 0) {
    const byId = ruleMap(rules);
    for (const [id, setting] of Object.entries((config as ConfigFile).rules ?? {})) {
      problems.push(...settingProblems(id, setting, byId).map((p) => `${file}: ${joinPath('rules', id)}${p}`));
    }
  } else {
    // The schema cannot know the rule ids: name unknown ones even when a value is also wrong.
    const byId = ruleMap(rules);
    const ruleSettings = (config as ConfigFile | null)?.rules;
    if (ruleSettings !== null && typeof ruleSettings === 'object' && !Array.isArray(ruleSettings)) {
      for (const id of Object.keys(ruleSettings)) if (!byId.has(id)) problems.push(`${file}: ${joinPath('rules', id)}: unknown rule${didYouMean(closestNames(id, byId.keys()))}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { source: file, rules: (config as ConfigFile).rules ?? {} };
}

/**
 * `--rule id=severity` flags (repeatable) as one layer over the file. Throws ConfigError naming
 * each bad flag.
 */
export function parseRuleFlags(flags: readonly string[], rules: readonly LoadedRule[]): ConfigLayer {
  const byId = ruleMap(rules);
  const layer: ConfigLayer = { source: '--rule', rules: {} };
  const problems: string[] = [];
  for (const flag of flags) {
    const eq = flag.lastIndexOf('=');
    const id = eq < 0 ? flag : flag.slice(0, eq);
    const severity = eq < 0 ? '' : flag.slice(eq + 1);
    if (!['off', 'note', 'warning', 'error'].includes(severity)) {
      problems.push(`--rule ${flag}: expected ID=off|note|warning|error`);
      continue;
    }
    const found = settingProblems(id, severity as SeveritySetting, byId);
    if (found.length > 0) problems.push(...found.map((p) => `--rule ${flag}${p}`));
    else layer.rules[id] = severity as SeveritySetting;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return layer;
}

/**
 * Every rule with its severity and options after the layers (defaults first, later layers win).
 * A layer that gives only a severity keeps the options set before it, as in ESLint.
 */
export function resolveRules(rules: readonly LoadedRule[], layers: readonly ConfigLayer[]): ResolvedRule[] {
  return rules.map((loaded) => {
    let severity: SeveritySetting = loaded.rule.severity;
    let options: RuleOptions = defaultOptions(loaded.rule);
    for (const layer of layers) {
      const setting = layer.rules[loaded.rule.id];
      if (setting === undefined) continue;
      if (typeof setting === 'string') severity = setting;
      else {
        severity = setting[0];
        if (setting[1] !== undefined) options = { ...defaultOptions(loaded.rule), ...setting[1] };
      }
    }
    return { ...loaded, severity, options };
  });
}

export function activeRules(resolved: readonly ResolvedRule[]): ActiveRule[] {
  return resolved.filter((r): r is ActiveRule => r.severity !== 'off');
}

export function defaultOptions(rule: Rule): RuleOptions {
  const options: RuleOptions = {};
  for (const [name, o] of Object.entries(rule.options ?? {})) options[name] = o.default;
  return options;
}

function ruleMap(rules: readonly LoadedRule[]): Map<string, Rule> {
  return new Map(rules.map((r) => [r.rule.id, r.rule]));
}

/** Problems of one (schema-valid) setting, each as ": message" or "[1].name: message" after the key. */
function settingProblems(id: string, setting: RuleSetting, byId: Map<string, Rule>): string[] {
  const rule = byId.get(id);
  if (rule === undefined) return [`: unknown rule${didYouMean(closestNames(id, byId.keys()))}`];
  if (typeof setting === 'string' || setting[1] === undefined) return [];
  const declared = rule.options ?? {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(setting[1])) {
    const option = declared[name];
    if (option === undefined) {
      const names = Object.keys(declared);
      const hint = names.length === 0 ? ` (${id} has no options)` : didYouMean(closestNames(name, names)) || ` (options: ${names.join(', ')})`;
      problems.push(`[1].${name}: unknown option${hint}`);
    } else if (typeof value !== option.type) problems.push(`[1].${name}: must be a ${option.type}, not ${describeValue(value)}`);
  }
  return problems;
}
