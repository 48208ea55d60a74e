import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkConfigFile, ConfigError, parseRuleFlags, readConfigFile, resolveRules, activeRules } from '../../src/lint/config.js';
import type { LoadedRule } from '../../src/lint/registry.js';
import { fixtureRules } from './helpers.js';
import { tempDir } from '../helpers/temp.js';

let rules: LoadedRule[];
beforeAll(async () => {
  rules = await fixtureRules();
});

/** The problem lines of a configuration, or [] when it is valid. */
function problems(config: unknown): string[] {
  try {
    checkConfigFile('wirelens.config.json', config, rules);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('configuration file', () => {
  it('accepts severities and [severity, options]', () => {
    expect(problems({ $schema: './schema.json', rules: { 'test-connection': 'off', 'test-request-line': ['error', { decode: true }], 'test-capture-end': ['note'] } })).toEqual([]);
  });

  it('names a misspelt rule id and suggests the right one', () => {
    expect(problems({ rules: { 'test-conection': 'error' } })).toEqual(['wirelens.config.json: rules.test-conection: unknown rule (did you mean test-connection?)']);
  });

  it('names an unknown rule without a suggestion when nothing is close', () => {
    expect(problems({ rules: { 'no-such-thing-at-all': 'error' } })).toEqual(['wirelens.config.json: rules.no-such-thing-at-all: unknown rule']);
  });

  it('names a bad severity, a bad array and an unknown top-level key', () => {
    expect(problems({ rules: { 'test-connection': 'eror' } })).toEqual([
      'wirelens.config.json: rules.test-connection: must be "off", "note", "warning", "error", not "eror"',
    ]);
    expect(problems({ rules: { 'test-connection': ['warning', {}, 3] } })).toEqual(['wirelens.config.json: rules.test-connection[2]: is one item too many (at most 2)']);
    expect(problems({ rules: { 'test-connection': 2 } })).toEqual([
      'wirelens.config.json: rules.test-connection: must be "off", "note", "warning", "error", or an array; not 2',
    ]);
    expect(problems({ rulez: {} })).toEqual(['wirelens.config.json: rulez: unknown key (allowed: $schema, rules)']);
    expect(problems([])).toEqual(['wirelens.config.json: the configuration: must be an object, not []']);
  });

  it('checks option names and types against the rule', () => {
    expect(problems({ rules: { 'test-capture-end': ['error', { minExchange: 2 }] } })).toEqual([
      'wirelens.config.json: rules.test-capture-end[1].minExchange: unknown option (did you mean minExchanges?)',
    ]);
    expect(problems({ rules: { 'test-capture-end': ['error', { minExchanges: '2' }] } })).toEqual([
      'wirelens.config.json: rules.test-capture-end[1].minExchanges: must be a number, not "2"',
    ]);
    expect(problems({ rules: { 'test-connection': ['error', { x: 1 }] } })).toEqual(['wirelens.config.json: rules.test-connection[1].x: unknown option (test-connection has no options)']);
  });

  it('reports every problem, not only the first', () => {
    expect(problems({ rules: { 'test-conection': 'error', 'test-capture-end': 'fatal' } })).toHaveLength(2);
  });

  it('is found in the working directory, or read from --config; bad JSON is one line', () => {
    const dir = tempDir('config');
    expect(readConfigFile(undefined, dir)).toBeNull();
    writeFileSync(join(dir, 'wirelens.config.json'), '{"rules": {}}');
    expect(readConfigFile(undefined, dir)).toEqual({ file: 'wirelens.config.json', config: { rules: {} } });
    writeFileSync(join(dir, 'bad.json'), '{"rules": ');
    expect(() => readConfigFile(join(dir, 'bad.json'), dir)).toThrow(/bad\.json: not valid JSON/);
    expect(() => readConfigFile(join(dir, 'missing.json'), dir)).toThrow(/missing\.json: cannot read the configuration \(ENOENT\)/);
  });
});

describe('--rule flags and resolution', () => {
  it('parses id=severity and rejects the rest with the flag named', () => {
    expect(parseRuleFlags(['test-connection=off', 'test-capture-end=note'], rules).rules).toEqual({ 'test-connection': 'off', 'test-capture-end': 'note' });
    expect(() => parseRuleFlags(['test-connection'], rules)).toThrow('--rule test-connection: expected ID=off|note|warning|error');
    expect(() => parseRuleFlags(['test-conection=error'], rules)).toThrow('--rule test-conection=error: unknown rule (did you mean test-connection?)');
  });

  it('applies defaults, then the file, then the flags; a severity alone keeps earlier options', () => {
    const file = checkConfigFile('f', { rules: { 'test-capture-end': ['warning', { minExchanges: 5 }], 'test-connection': 'off' } }, rules);
    const flags = parseRuleFlags(['test-capture-end=note'], rules);
    const resolved = resolveRules(rules, [file, flags]);
    const byId = Object.fromEntries(resolved.map((r) => [r.rule.id, { severity: r.severity, options: r.options }]));
    expect(byId).toEqual({
      'test-capture-end': { severity: 'note', options: { minExchanges: 5 } },
      'test-connection': { severity: 'off', options: {} },
      'test-request-line': { severity: 'note', options: { decode: false } },
    });
    expect(activeRules(resolved).map((r) => r.rule.id)).toEqual(['test-capture-end', 'test-request-line']);
  });
});
