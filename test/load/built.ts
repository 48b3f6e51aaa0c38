/**
 * Schema fixtures import `keikaku`, which resolves (package self-reference) to dist/index.js: build it first when
 * it is missing or older than the sources, as a developer running tests after an edit would otherwise load stale
 * code. CI builds on install (`prepare`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
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
