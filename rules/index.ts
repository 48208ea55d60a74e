/**
 * The built-in rules (BEHAVIOURS.md §2), alphabetical by id. One import per line, sorted, so that
 * adding a rule is a one-line change that merges cleanly.
 */
import type { Rule } from '../src/lint/types.js';

export const builtinRules: Rule[] = [];
