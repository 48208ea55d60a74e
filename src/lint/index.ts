/**
 * The lint engine's public entry: `lintFile(path)` runs the built-in rules (or the given ones)
 * over a capture; the rest is re-exported for front ends (the CLI, the live dashboard).
 */
import { analyse } from '../analysis/analysis.js';
import type { CaptureSummary } from '../model/types.js';
import { activeRules, checkConfigFile, resolveRules, type RuleSetting } from './config.js';
import { Linter, type RuleFailure } from './linter.js';
import { builtins, type LoadedRule } from './registry.js';
import type { Finding, Rule } from './types.js';
import { NODE_DEFAULTS, type NodeParserSettings } from '../node-verdict/types.js';

export interface LintFileConfig {
  /** Settings in the configuration file's shape; validated (ConfigError on a problem). */
  rules?: Record<string, RuleSetting>;
  /** The rules to run instead of the built-in ones. */
  ruleSet?: readonly Rule[] | readonly LoadedRule[];
  /** Each finding the moment it is reported. */
  onFinding?(finding: Finding): void;
  /** A rule that threw (it is disabled for the rest of the capture); default: one line on stderr. */
  onRuleError?(failure: RuleFailure): void;
  /**
   * Node's own http parser's verdict with these settings (node-parser-error, and the citations of
   * Node's outcome); default on with Node's defaults, as in the CLI; null turns it off.
   */
  nodeVerdict?: NodeParserSettings | null;
}

/** Lints one capture file; resolves with its findings (in the order reported) and the capture summary. */
export async function lintFile(path: string, config: LintFileConfig = {}): Promise<{ findings: Finding[]; summary: CaptureSummary }> {
  const loaded = config.ruleSet === undefined ? builtins() : config.ruleSet.map((r) => ('rule' in r ? r : { rule: r, file: null }));
  const layer = checkConfigFile('lintFile config', { rules: config.rules ?? {} }, loaded);
  const linter = new Linter(activeRules(resolveRules(loaded, [layer])), {
    onFinding: config.onFinding === undefined ? undefined : (f) => config.onFinding?.(f),
    onRuleError: config.onRuleError ?? ((f) => process.stderr.write(`wirelens: ${f.message}\n`)),
  });
  const summary = await analyse(path, { nodeVerdict: config.nodeVerdict === undefined ? NODE_DEFAULTS : config.nodeVerdict }, linter);
  return { findings: linter.findings, summary };
}

export { Linter, requestLine, type FindingWhere, type LinterOptions, type RuleFailure } from './linter.js';
export {
  activeRules,
  checkConfigFile,
  ConfigError,
  CONFIG_FILE_NAME,
  parseRuleFlags,
  readConfigFile,
  resolveRules,
  type ActiveRule,
  type ConfigFile,
  type ConfigLayer,
  type ResolvedRule,
  type RuleOptions,
  type RuleSetting,
} from './config.js';
export { builtins, loadRulesDir, ruleShapeProblem, type LoadedRule } from './registry.js';
export { BaselineFilter, buildBaseline, readBaseline, type BaselineEntry, type BaselineFile } from './baseline.js';
export { lintCapture, SEVERITY_RANK, type FileLint } from './run.js';
export type { Finding, FindingReport, Rule, RuleContext, RuleHandlers, RuleOption, Severity, SeveritySetting } from './types.js';
