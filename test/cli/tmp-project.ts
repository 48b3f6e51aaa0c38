/**
 * Throw-away projects for tests that drive the CLI: under test/.tmp-* so schema files resolve `keikaku` to this
 * repository (package self-reference to dist/, built by `ensureBuilt`), removed by `removeProjects`.
 *
 * A schema file is evaluated once per process (the module cache keeps the first version), so `edited` copies the
 * project to a new directory before writing new files, as a user's next command is a new process.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { projectRoot } from '../support/paths.js';

const made: string[] = [];

/** A new directory under test/.tmp-cli-*, empty. */
export const emptyDir = (): string => {
  const dir = mkdtempSync(join(projectRoot, 'test', '.tmp-cli-'));
  made.push(dir);
  return dir;
};

/** Writes `files` (relative path → text) under `dir`. */
export const writeFiles = (dir: string, files: Record<string, string>): void => {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
};

/** A project: no config file (defaults: schema/, generated/), `schema/` holding `schema`. */
export const project = (schema: Record<string, string>): string => {
  const dir = emptyDir();
  writeFiles(join(dir, 'schema'), schema);
  mkdirSync(join(dir, 'generated'), { recursive: true });
  return dir;
};

/** The project copied to a new directory with `schema/` replaced by `schema`. */
export const edited = (dir: string, schema: Record<string, string>): string => {
  const next = emptyDir();
  cpSync(dir, next, { recursive: true });
  rmSync(join(next, 'schema'), { recursive: true, force: true });
  writeFiles(join(next, 'schema'), schema);
  return next;
};

export const removeProjects = (): void => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
};
