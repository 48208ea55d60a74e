import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const CAPTURES_DIR = join(import.meta.dirname, '..', '..', 'captures');

/** Path of a capture bundled under captures/. */
export function capture(name: string): string {
  return join(CAPTURES_DIR, name);
}

/** Every real recording under captures/ (pcapng and pcap), sorted by name. */
export function realCaptures(): string[] {
  return readdirSync(CAPTURES_DIR)
    .filter((f) => f.endsWith('.pcapng') || f.endsWith('.pcap'))
    .sort();
}
