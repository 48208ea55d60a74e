/** A mistake in the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes shared by every command (ESLint's convention). */
export const ExitCode = {
  OK: 0,
  FINDINGS: 1,
  BAD_INPUT: 2,
} as const;
