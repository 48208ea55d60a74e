import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestMatches, didYouMean } from '../text/suggest.js';
import { UsageError } from './usage-error.js';

/**
 * One command's command line as data: its help text, the option list in error messages and the
 * parser's configuration all come from here, so they cannot disagree.
 */
export interface CommandSpec {
  /** The command word: `wirelens NAME …`. */
  readonly name: string;
  /** Positional arguments, in order; each is required, and no others are accepted. */
  readonly operands: readonly OperandSpec[];
  readonly options: readonly OptionSpec[];
  /** What the command does: help lines under the usage line, without indentation. */
  readonly summary: readonly string[];
}

export interface OperandSpec {
  /** As shown in the usage line: `FILE`. */
  readonly name: string;
  /** What to give, for the error when it is missing: `a capture file, or - for stdin`. */
  readonly help: string;
  /** The last operand only: it may be given more than once (`FILE…`). */
  readonly repeat?: boolean;
}

export interface OptionSpec {
  /** The long name without dashes: `body-limit`. */
  readonly name: string;
  /** A one-letter alias (`p` for `-p`), as tcpdump-like commands use. */
  readonly short?: string;
  /** May be given more than once (string options): the values come as an array, in order. */
  readonly multiple?: boolean;
  readonly type: 'boolean' | 'string';
  /** The value's placeholder (string options): `BYTES`. */
  readonly value?: string;
  /** The only accepted values (string options); the usage line shows them instead of `value`. */
  readonly choices?: readonly string[];
  /** String options: used when the option is absent. Boolean options are always false then. */
  readonly default?: string;
  /** The command cannot run without it (string options). */
  readonly required?: boolean;
  /** The help line (may continue on further lines). */
  readonly help: string;
  /** Accepted but not shown in usage, help or option lists (a flag kept for older scripts). */
  readonly hidden?: boolean;
}

type OptionValue<O extends OptionSpec> = O extends { type: 'boolean' }
  ? boolean
  : O extends { multiple: true }
    ? string[]
  : O extends { default: string } | { required: true }
    ? string
    : string | undefined;

/** The parsed values of a spec declared `as const`: `{ json: boolean; 'body-limit': string | undefined }`. */
export type OptionValues<S extends CommandSpec> = { [O in S['options'][number] as O['name']]: OptionValue<O> };

export interface ParsedArgs<S extends CommandSpec> {
  values: OptionValues<S>;
  /** One per operand of the spec, in order (one or more for a repeated last operand). */
  positionals: string[];
}

/**
 * Parses a command's arguments with util.parseArgs (strict), and turns every mistake into a
 * UsageError of one line that says what is wrong and what would be right: an unknown option
 * (with a "did you mean" and the valid options), a missing value, a value given to a flag, a value
 * outside the choices, a missing required option, a missing or extra operand.
 *
 * A value that starts with a dash is taken when it looks like a number (`--body-limit -5`), so the
 * option's own check can say why -5 is wrong; Node would call it ambiguous.
 */
export function parseCommandArgs<const S extends CommandSpec>(spec: S, args: readonly string[]): ParsedArgs<S> {
  const argv = attachNumericValues(spec, args);
  let parsed: { values: Record<string, string | string[] | boolean | undefined>; positionals: string[] };
  try {
    const result = parseArgs({ args: argv, options: nodeOptions(spec), allowPositionals: true, strict: true });
    parsed = { values: result.values as Record<string, string | string[] | boolean | undefined>, positionals: result.positionals };
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    throw new UsageError(explainRejection(spec, argv) ?? firstLine((error as Error).message));
  }
  checkOperands(spec, parsed.positionals);
  checkValues(spec, parsed.values);
  return { values: parsed.values as OptionValues<S>, positionals: parsed.positionals };
}

/** util.parseArgs reports every mistake with an ERR_PARSE_ARGS_* code. */
export function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** `wirelens report FILE [--json] [--bodies] [--body-limit BYTES]` */
export function usageLine(spec: CommandSpec): string {
  const words = shown(spec).map((o) => {
    const word = optionLabel(o, o.choices?.join('|'));
    return o.required ? word : `[${word}]`;
  });
  return ['wirelens', spec.name, ...spec.operands.map((o) => (o.repeat ? `${o.name}…` : o.name)), ...words].join(' ');
}

/** The usage line, the summary and one aligned line per option: what `wirelens CMD --help` prints. */
export function formatHelp(spec: CommandSpec): string {
  const labels = shown(spec).map((o) => optionLabel(o));
  const width = Math.max(0, ...labels.map((l) => l.length)) + 2;
  const options = shown(spec).map((o, i) => `  ${labels[i].padEnd(width)}${o.help.replaceAll('\n', `\n  ${' '.repeat(width)}`)}`);
  return [usageLine(spec), ...spec.summary.map((line) => `  ${line}`), ...options].join('\n');
}

/** `--json, --bodies, --body-limit BYTES` */
export function optionList(spec: CommandSpec): string {
  return shown(spec).map((o) => optionLabel(o)).join(', ');
}

/** The options usage and help show (not the hidden ones). */
function shown(spec: CommandSpec): readonly OptionSpec[] {
  return spec.options.filter((o) => o.hidden !== true);
}

function optionLabel(option: OptionSpec, value = option.value): string {
  const name = option.short === undefined ? `--${option.name}` : `-${option.short}, --${option.name}`;
  return option.type === 'string' ? `${name} ${value ?? 'VALUE'}` : name;
}

function nodeOptions(spec: CommandSpec): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const o of spec.options) {
    options[o.name] =
      o.type === 'boolean'
        ? { type: 'boolean', default: false }
        : o.multiple
          ? { type: 'string', multiple: true, default: [] }
          : o.default === undefined
            ? { type: 'string' }
            : { type: 'string', default: o.default };
    if (o.short !== undefined) options[o.name].short = o.short;
  }
  return options;
}

/** `--body-limit -5` → `--body-limit=-5` (`-c -5` → `-c-5`): a negative number is a value, never an option. */
function attachNumericValues(spec: CommandSpec, args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    if (next !== undefined && /^-\.?\d/.test(next) && stringOption(spec, arg)) {
      // A short option takes its value attached (`-p-1`); `-p=-1` would be the value "=-1".
      out.push(arg.startsWith('--') ? `${arg}=${next}` : `${arg}${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function stringOption(spec: CommandSpec, arg: string): boolean {
  return spec.options.some((o) => o.type === 'string' && (arg === `--${o.name}` || (o.short !== undefined && arg === `-${o.short}`)));
}

/**
 * Why strict parsing rejected `argv`, found by walking the lenient parse's tokens: the first token
 * that is an unknown option, a string option without its value, or a flag with one.
 */
function explainRejection(spec: CommandSpec, argv: string[]): string | null {
  const { tokens } = parseArgs({ args: argv, options: nodeOptions(spec), allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = spec.options.find((o) => o.name === token.name);
    if (!option) {
      const names = spec.options.map((o) => o.name);
      const hint = token.rawName.startsWith('--') ? didYouMean(closestMatches(token.name, names).map((n) => `--${n}`)) : '';
      return `unknown option '${token.rawName}'${hint}; options: ${optionList(spec)}`;
    }
    // Lenient parsing takes the next argument whatever it is (`--body-limit --json`); strict calls that ambiguous.
    if (option.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) {
      return `${token.rawName} needs a value (${option.value ?? 'VALUE'})`;
    }
    if (option.type === 'boolean' && token.value !== undefined) {
      return `${token.rawName} takes no value (got '${token.rawName}=${token.value}')`;
    }
  }
  return null;
}

function checkValues(spec: CommandSpec, values: Record<string, string | string[] | boolean | undefined>): void {
  for (const o of spec.options) {
    const value = values[o.name];
    if (o.required && value === undefined) throw new UsageError(`missing --${o.name} ${o.value ?? 'VALUE'}: ${firstLine(o.help)}`);
    if (o.choices && typeof value === 'string' && !o.choices.includes(value)) {
      throw new UsageError(`--${o.name} must be ${orList(o.choices)}, not '${value}'`);
    }
  }
}

function checkOperands(spec: CommandSpec, positionals: string[]): void {
  const missing = spec.operands[positionals.length];
  if (missing) throw new UsageError(`missing ${missing.name} (${missing.help}); usage: ${usageLine(spec)}`);
  if (positionals.length > spec.operands.length && !spec.operands[spec.operands.length - 1]?.repeat) {
    throw new UsageError(`unexpected argument '${positionals[spec.operands.length]}'; usage: ${usageLine(spec)}`);
  }
}

/** `client, server or both` */
function orList(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}

/** A count option's value: a whole number from 0 up (`--max-warnings`, `--keep`). */
export function wholeNumber(flag: string, text: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} must be a whole number from 0 up, not '${text}'`);
  return n;
}
