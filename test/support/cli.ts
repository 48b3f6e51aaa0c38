/** Runs the CLI in-process (as `keikaku …`) and captures what it prints and its exit code. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { projectRoot } from './paths.js';

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

/**
 * The built CLI (`bin/keikaku.js`) as a child process in `dir`, for a test that kills it mid-run: the child, what
 * it has printed so far (stdout and stderr together), and its exit.
 */
export const spawnBuiltCli = (dir: string, ...argv: string[]): { readonly child: ChildProcess; readonly output: () => string; readonly exited: Promise<void> } => {
  const child = spawn(process.execPath, [join(projectRoot, 'bin/keikaku.js'), ...argv], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return { child, output: () => out, exited };
};
