/**
 * Schema fixtures import `keikaku`, which resolves (package self-reference) to dist/index.js: build it first when
 * it is missing or older than the sources, as a developer running tests after an edit would otherwise load stale
 * code. CI builds on install (`prepare`).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../support/paths.js';

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : e.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }, 0);

export const ensureBuilt = (): void => {
  const entry = join(projectRoot, 'dist/index.js');
  const stale = !existsSync(entry) || statSync(entry).mtimeMs < newest(join(projectRoot, 'src'));
  if (!stale) return;
  try {
    execFileSync(process.execPath, [join(projectRoot, 'node_modules/typescript/bin/tsc'), '-p', join(projectRoot, 'tsconfig.json')], {
      stdio: 'pipe',
    });
  } catch {
    // tsc still emits when some file elsewhere has a type error; the tests judge what was built.
  }
};

export interface BuiltRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const run = promisify(execFile);

/**
 * The built CLI (`keikaku …`) in `dir` as a process of its own, as a user's commands are, with KEIKAKU_DEBUG (which
 * says how schema/ was had) and `env` added to the environment.
 */
export const builtKeikaku = async (dir: string, args: readonly string[], env: Record<string, string> = {}): Promise<BuiltRun> => {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(projectRoot, 'bin/keikaku.js'), ...args], {
      cwd: dir,
      env: { ...process.env, KEIKAKU_DEBUG: '1', NO_COLOR: '1', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
};
