/** The test-only rules (test/lint/fixtures/rules/*.js), loaded as a user would load them. */
import { join } from 'node:path';
import { builtins, loadRulesDir, type LoadedRule } from '../../src/lint/registry.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const FIXTURE_RULES = join(FIXTURES, 'rules');
export const BROKEN_RULES = join(FIXTURES, 'broken-rules');

export async function fixtureRules(dir = FIXTURE_RULES): Promise<LoadedRule[]> {
  const { rules, problems } = await loadRulesDir(dir, new Set(builtins().map((r) => r.rule.id)));
  if (dir === FIXTURE_RULES && problems.length > 0) throw new Error(problems.join('\n'));
  return rules;
}
