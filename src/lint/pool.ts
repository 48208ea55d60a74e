/**
 * Lints several captures, results in argument order.
 */
import { lintCapture, type FileLint } from './run.js';
import type { RuleSetup } from './setup.js';

export async function lintFiles(files: readonly string[], setup: RuleSetup, options: { locate: boolean }): Promise<FileLint[]> {
  const results: FileLint[] = [];
  for (const file of files) results.push(await lintCapture(file, setup.active, options));
  return results;
}
