/**
 * The CLI as a user runs it: bin/wirelens over the compiled dist/ in a child process (worker
 * threads, real standard output), for tests that need the real process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/wirelens');

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Compiles dist/ when `module` (e.g. 'src/cli/export.js') is not there yet. */
export function ensureBuilt(module: string): void {
  if (!existsSync(join(ROOT, 'dist', module))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'ignore' });
}

export function wirelensProcess(args: readonly string[], cwd = ROOT): ProcessRun {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
