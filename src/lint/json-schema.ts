/**
 * A validator for the subset of JSON Schema (draft 2020-12) that schema/wirelens.config.schema.json
 * uses — `$ref` to local `$defs`, `type`, `enum`, `properties`, `additionalProperties`,
 * `prefixItems`, `items`, `minItems`, `maxItems`, `oneOf` — so the shipped schema is the one source
 * of truth without a runtime dependency. Annotation keywords (`title`, `description`, `$id`,
 * `$schema`) are ignored, as the specification says. Any other keyword is a programming error:
 * the schema must not use more than this file checks.
 *
 * Errors are located by a dotted path (`rules.content-length-overrun[1].threshold`), the way the
 * config error lines name the bad key.
 */

export type JsonSchema = boolean | SchemaObject;

interface SchemaObject {
  $ref?: string;
  type?: JsonType | JsonType[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema;
  prefixItems?: JsonSchema[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  oneOf?: JsonSchema[];
  $defs?: Record<string, JsonSchema>;
  [annotation: string]: unknown;
}

type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

export interface SchemaError {
  /** Dotted path of the offending value ('' for the document itself). */
  path: string;
  message: string;
}

const KNOWN = new Set([
  '$ref', 'type', 'enum', 'properties', 'additionalProperties', 'prefixItems', 'items', 'minItems', 'maxItems', 'oneOf', '$defs',
  '$schema', '$id', 'title', 'description',
]);

/** Every violation of `schema` by `value` (empty when valid). */
export function validate(schema: JsonSchema, value: unknown): SchemaError[] {
  const errors: SchemaError[] = [];
  check(schema, value, '', schema, errors);
  return errors;
}

function check(schema: JsonSchema, value: unknown, path: string, root: JsonSchema, errors: SchemaError[]): void {
  if (schema === true) return;
  if (schema === false) {
    errors.push({ path, message: 'is not allowed' });
    return;
  }
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`json-schema.ts does not implement the keyword '${key}'`);
  if (schema.$ref !== undefined) {
    check(resolveRef(schema.$ref, root), value, path, root, errors);
  }
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    errors.push({ path, message: `must be ${describeTypes(schema.type)}, not ${describeValue(value)}` });
    return;
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => e === value)) {
    errors.push({ path, message: `must be ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, not ${describeValue(value)}` });
  }
  if (schema.oneOf !== undefined) checkOneOf(schema.oneOf, value, path, root, errors);
  if (isObject(value)) checkObject(schema, value, path, root, errors);
  if (Array.isArray(value)) checkArray(schema, value, path, root, errors);
}

/**
 * Exactly one alternative must match. When none does, the errors of the alternative meant for
 * this kind of value are the useful ones (a misspelt severity: the enum's; a bad array: the array's).
 */
function checkOneOf(alternatives: JsonSchema[], value: unknown, path: string, root: JsonSchema, errors: SchemaError[]): void {
  const results = alternatives.map((alt) => validateAt(alt, value, path, root));
  const matching = results.filter((r) => r.length === 0).length;
  if (matching === 1) return;
  if (matching > 1) {
    errors.push({ path, message: 'matches more than one of the allowed forms' });
    return;
  }
  const meant = alternatives.findIndex((alt) => intendedFor(resolve(alt, root), value));
  if (meant >= 0) {
    errors.push(...results[meant]);
    return;
  }
  errors.push({ path, message: `must be ${alternatives.map((alt) => describeSchema(resolve(alt, root))).join(', or ')}; not ${describeValue(value)}` });
}

function validateAt(schema: JsonSchema, value: unknown, path: string, root: JsonSchema): SchemaError[] {
  const errors: SchemaError[] = [];
  check(schema, value, path, root, errors);
  return errors;
}

function checkObject(schema: SchemaObject, value: Record<string, unknown>, path: string, root: JsonSchema, errors: SchemaError[]): void {
  const properties = schema.properties ?? {};
  for (const [key, v] of Object.entries(value)) {
    const at = joinPath(path, key);
    if (Object.hasOwn(properties, key)) check(properties[key], v, at, root, errors);
    else if (schema.additionalProperties === false) {
      const allowed = Object.keys(properties);
      errors.push({ path: at, message: `unknown key${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}` });
    } else if (schema.additionalProperties !== undefined) check(schema.additionalProperties, v, at, root, errors);
  }
}

function checkArray(schema: SchemaObject, value: unknown[], path: string, root: JsonSchema, errors: SchemaError[]): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) errors.push({ path, message: `must have at least ${schema.minItems} item(s)` });
  if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push({ path, message: `must have at most ${schema.maxItems} item(s)` });
  const prefix = schema.prefixItems ?? [];
  value.forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (i < prefix.length) check(prefix[i], item, at, root, errors);
    else if (schema.items === false) errors.push({ path: at, message: `is one item too many (at most ${prefix.length})` });
    else if (schema.items !== undefined) check(schema.items, item, at, root, errors);
  });
}

function resolveRef(ref: string, root: JsonSchema): JsonSchema {
  const match = /^#\/\$defs\/([^/]+)$/.exec(ref);
  const target = match && typeof root === 'object' ? root.$defs?.[match[1]] : undefined;
  if (target === undefined) throw new Error(`json-schema.ts resolves only local '#/$defs/NAME' references, not '${ref}'`);
  return target;
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  return typeof schema === 'object' && schema.$ref !== undefined ? resolveRef(schema.$ref, root) : schema;
}

/** Whether an alternative of a oneOf is the one written for values of this JSON type. */
function intendedFor(schema: JsonSchema, value: unknown): boolean {
  if (typeof schema !== 'object') return false;
  if (schema.type !== undefined) return hasType(value, schema.type);
  if (schema.enum !== undefined) return schema.enum.some((e) => jsonType(e) === jsonType(value));
  return false;
}

function hasType(value: unknown, type: JsonType | JsonType[]): boolean {
  const types = Array.isArray(type) ? type : [type];
  const actual = jsonType(value);
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer') || (t === 'integer' && actual === 'integer'));
}

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return jsonType(value) === 'object';
}

function describeTypes(type: JsonType | JsonType[]): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => (t === 'array' || t === 'object' || t === 'integer' ? `an ${t}` : `a ${t}`)).join(' or ');
}

function describeSchema(schema: JsonSchema): string {
  if (typeof schema !== 'object') return String(schema);
  if (schema.enum !== undefined) return schema.enum.map((e) => JSON.stringify(e)).join(', ');
  if (schema.type !== undefined) return describeTypes(schema.type);
  return 'a valid value';
}

/** A short rendering of a bad value for an error line (never the whole document). */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** `rules` + `x` → `rules.x`; the document's own keys have no leading dot. */
export function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}
