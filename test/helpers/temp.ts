/**
 * Temporary files of a test file: one directory under the system's temp directory, removed when
 * the file's tests are done (test/setup.ts) — runs by the thousand otherwise fill /tmp.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let scratch: string | null = null;

/** A fresh directory for this test file's temporary files (`prefix` says whose, for a reader of /tmp). */
export function tempDir(prefix = 'tmp'): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'wirelens-test-'));
  return mkdtempSync(join(scratch, `${prefix}-`));
}

/** Removes every directory tempDir made in this test file. */
export function removeScratch(): void {
  if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
  scratch = null;
}
