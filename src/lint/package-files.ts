/**
 * Files shipped with the package (the config schema, package.json), found from this module: it
 * runs as src/lint/*.ts under the tests and as dist/src/lint/*.js when installed, which sit at
 * different depths below the package root.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The directory holding wirelens's package.json. */
export function packageRoot(): string {
  if (root !== null) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'wirelens') return (root = dir);
    dir = dirname(dir);
  }
  throw new Error('cannot find the wirelens package root (package.json) above src/lint');
}

export const CONFIG_SCHEMA_PATH = (): string => join(packageRoot(), 'schema', 'wirelens.config.schema.json');

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
