/**
 * The shipped schema is a real JSON Schema (draft 2020-12): ajv compiles it in strict mode, and
 * wirelens's own validator (src/lint/json-schema.ts) agrees with ajv on every example config.
 */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/lint/json-schema.js';
import { CONFIG_SCHEMA_PATH } from '../../src/lint/package-files.js';

const schema = JSON.parse(readFileSync(CONFIG_SCHEMA_PATH(), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ strict: true, strictTuples: false, allowUnionTypes: true, allErrors: true }) // [severity] alone is allowed on purpose; option values are number, string or boolean;
const ajvValidate = ajv.compile(schema);

const VALID: unknown[] = [
  {},
  { rules: {} },
  { $schema: 'node_modules/wirelens/schema/wirelens.config.schema.json', rules: { 'content-length-overrun': 'error' } },
  { rules: { a: 'off', b: 'note', c: 'warning', d: 'error' } },
  { rules: { 'slow-request-headers': ['warning', { threshold: 2.5 }] } },
  { rules: { x: ['note'], y: ['error', { s: 'text', b: true, n: 1 }] } },
];

const INVALID: unknown[] = [
  [],
  'rules',
  { rules: [] },
  { rulez: {} },
  { rules: { a: 'eror' } },
  { rules: { a: 2 } },
  { rules: { a: null } },
  { rules: { a: [] } },
  { rules: { a: ['error', {}, 1] } },
  { rules: { a: ['fatal', {}] } },
  { rules: { a: ['error', 'options'] } },
  { rules: { a: ['error', { n: null }] } },
  { rules: { a: ['error', { n: [1] }] } },
];

describe('schema/wirelens.config.schema.json', () => {
  it('declares draft 2020-12 and compiles with ajv in strict mode (a one-item [severity] tuple allowed)', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(typeof ajvValidate).toBe('function');
  });

  it.each(VALID.map((v) => [JSON.stringify(v), v]))('accepts %s (ajv and wirelens)', (_, config) => {
    expect(ajvValidate(config)).toBe(true);
    expect(validate(schema, config)).toEqual([]);
  });

  it.each(INVALID.map((v) => [JSON.stringify(v), v]))('rejects %s (ajv and wirelens)', (_, config) => {
    expect(ajvValidate(config)).toBe(false);
    expect(validate(schema, config).length).toBeGreaterThan(0);
  });
});
