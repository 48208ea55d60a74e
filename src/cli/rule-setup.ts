import { ConfigError } from '../lint/config.js';
import { setupRules, type RuleSetup } from '../lint/setup.js';
import type { Io } from './io.js';

/**
 * The rules from --config (else ./wirelens.config.json), --rule and --rules-dir, configured the same
 * way for every command that runs them (lint, report, open, export, live), so each shows the same
 * findings. Prints the problems; null on a configuration that cannot be used.
 */
export async function ruleSetup(values: { config?: string; rule?: string[]; 'rules-dir'?: string }, io: Io): Promise<RuleSetup | null> {
  try {
    const setup = await setupRules({ config: values.config, rule: values.rule, rulesDir: values['rules-dir'], cwd: process.cwd() });
    for (const problem of setup.problems) io.err(`wirelens: ${problem}\n`);
    return setup;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) io.err(`wirelens: ${problem}\n`);
    return null;
  }
}
