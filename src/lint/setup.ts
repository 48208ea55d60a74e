/**
 * The rules a run uses, from its inputs: built-in rules, user rules from `--rules-dir`, the
 * configuration file and `--rule` flags. A worker thread rebuilds the same rules from the same
 * plain-data `RuleSource` (functions do not cross threads; file names and settings do).
 */
import { activeRules, checkConfigFile, parseRuleFlags, readConfigFile, resolveRules, type ActiveRule, type ConfigLayer, type ResolvedRule } from './config.js';
import { builtins, loadRulesDir, type LoadedRule } from './registry.js';

export interface RuleSource {
  rulesDir: string | null;
  /** The validated configuration layers (file, then --rule flags). */
  layers: ConfigLayer[];
}

export interface RuleSetup {
  source: RuleSource;
  /** Every known rule with its configured severity ("off" included). */
  resolved: ResolvedRule[];
  active: ActiveRule[];
  /** User rule files that did not load, one line each. */
  problems: string[];
}

export interface SetupOptions {
  config?: string;
  rule?: readonly string[];
  rulesDir?: string;
  cwd: string;
}

/** Loads and configures the rules; throws ConfigError (every problem, one line each) on a bad configuration. */
export async function setupRules(options: SetupOptions): Promise<RuleSetup> {
  const { loaded, problems } = await loadAll(options.rulesDir ?? null);
  const layers: ConfigLayer[] = [];
  const file = readConfigFile(options.config, options.cwd);
  if (file !== null) layers.push(checkConfigFile(file.file, file.config, loaded));
  if (options.rule !== undefined && options.rule.length > 0) layers.push(parseRuleFlags(options.rule, loaded));
  const resolved = resolveRules(loaded, layers);
  return { source: { rulesDir: options.rulesDir ?? null, layers }, resolved, active: activeRules(resolved), problems };
}

/** The active rules of an already validated source (on a worker thread). */
export async function rulesFrom(source: RuleSource): Promise<ActiveRule[]> {
  const { loaded } = await loadAll(source.rulesDir);
  return activeRules(resolveRules(loaded, source.layers));
}

async function loadAll(rulesDir: string | null): Promise<{ loaded: LoadedRule[]; problems: string[] }> {
  const loaded = builtins();
  if (rulesDir === null) return { loaded, problems: [] };
  const user = await loadRulesDir(rulesDir, new Set(loaded.map((r) => r.rule.id)));
  return { loaded: [...loaded, ...user.rules], problems: user.problems };
}
