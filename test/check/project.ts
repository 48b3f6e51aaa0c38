/**
 * Temporary copies of the example app (schema/ and generated/) for check and verify tests. They live under
 * test/.tmp-* (gitignored), where schema files resolve `keikaku` to this repository's dist/ (see
 * test/cli/loop.test.ts). A schema file is evaluated once per process, so a test that edits schema/ makes a new copy
 * before loading it. The copies share the repository's schema cache (node_modules/.cache/keikaku, keyed by
 * content): the same history or schema/ is replayed in a shadow once, not once per copy.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadConfig, type ResolvedConfig } from '../../src/config/index.js';
import { readHistory, renderSum, SUM_FILE, upFiles } from '../../src/load/migrations.js';
import { HEAD_FILE } from '../../src/load/head-file.js';
import { projectRoot } from '../support/paths.js';

const made: string[] = [];

/** A copy of the example app's schema/ and generated/ in a new directory; `edit` runs before anything loads it. */
export const exampleProject = async (edit?: (root: string) => void): Promise<ResolvedConfig> => {
  const root = mkdtempSync(join(projectRoot, 'test', '.tmp-check-'));
  made.push(root);
  cpSync(join(projectRoot, 'schema'), join(root, 'schema'), { recursive: true });
  cpSync(join(projectRoot, 'generated'), join(root, 'generated'), { recursive: true });
  edit?.(root);
  const cache = join(projectRoot, 'node_modules/.cache/keikaku');
  mkdirSync(cache, { recursive: true });
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  symlinkSync(cache, join(root, 'node_modules/.cache/keikaku'));
  return loadConfig(root, {});
};

export const removeProjects = () => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
};

/** Replaces text in a file of a project; fails when the text is not there (the fixture changed). */
export const replaceIn = (file: string, from: string, to: string) => {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file}: no ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
};

/**
 * Rewrites migrations.sum for the files as they are: an edit that the sum file no longer catches. generated/head.json
 * goes too, as `rehash` removes it once an edit changed the history it recorded.
 */
export const resum = (generatedDir: string) => {
  writeFileSync(join(generatedDir, SUM_FILE), renderSum(readHistory(generatedDir).migrations));
  rmSync(join(generatedDir, HEAD_FILE), { force: true });
};

/** Runs every up file of the history on a server database with psql, as a user without keikaku apply would. */
export const psqlReplay = (generatedDir: string, url: string) => {
  for (const m of readHistory(generatedDir).migrations)
    for (const f of upFiles(m)) {
      const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', join(m.dir, f)], {
        encoding: 'utf8',
        env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
      });
      if (r.status !== 0) throw new Error(`psql ${m.id}/${f}: ${r.stderr || r.error?.message}`);
    }
};
