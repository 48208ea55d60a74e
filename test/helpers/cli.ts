import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

/** Runs the CLI in-process with collected output (same code path as bin/wirelens). */
export async function runCli(argv: string[]): Promise<CliResult> {
  const out: Buffer[] = [];
  let stderr = '';
  const code = await main(argv, {
    out: (text) => {
      out.push(typeof text === 'string' ? Buffer.from(text) : Buffer.from(text));
    },
    err: (text) => {
      stderr += text;
    },
  });
  const stdoutBytes = Buffer.concat(out);
  return { code, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr };
}
