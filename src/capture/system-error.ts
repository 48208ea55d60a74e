import { getSystemErrorMap } from 'node:util';

/**
 * A system call's failure as users read it: `no space left on device (ENOSPC)`. Node's own message
 * (`ENOSPC: no space left on device, write`) leads with the code and ends with the syscall and
 * path, which an error line that already names the file and the operation does not need.
 * Shared by the capture reader (input) and the CLI (output).
 */
export function describeSystemError(error: NodeJS.ErrnoException): string {
  const known = typeof error.errno === 'number' ? getSystemErrorMap().get(error.errno) : undefined;
  if (known) return `${known[1]} (${known[0]})`;
  // Not a libuv error (a stream's own error, say): its message is all there is.
  return error.code ? `${error.message} (${error.code})` : error.message;
}
