/** Runs the CLI in-process (as `keikaku …`) and captures what it prints and its exit code. */
import { main } from '../../src/cli/main.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const runCli = async (...argv: string[]): Promise<CliResult> => {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
};

/** `runCli` with `dir` as the working directory (a project's config is found from there), restored afterwards. */
export const runCliIn = async (dir: string, ...argv: string[]): Promise<CliResult> => {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return await runCli(...argv);
  } finally {
    process.chdir(cwd);
  }
};
