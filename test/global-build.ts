/**
 * Builds dist/ (tsc, then the bundle bin/wirelens runs) once before the tests: the tests that run
 * the real process must run today's source, never a dist/ left from an older checkout.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  execFileSync('npm', ['run', 'build'], { cwd: resolve(import.meta.dirname, '..'), stdio: 'inherit' });
}
