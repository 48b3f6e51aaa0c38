/**
 * One corpus case through `pull`, judged by the database: the case's desired SQL is loaded into a scratch
 * database on the server, pulled into a fresh schema directory, and that directory is loaded and normalized in a
 * shadow on the same server; the plan between the database and the pulled schema must be empty, and (`again`) a
 * second pull into those files must change no byte.
 * Shared by the sampled test (corpus.test.ts) and the full report (corpus-report.mjs).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createScratchDatabase } from '../../src/db/scratch.js';
import type { Db } from '../../src/db/types.js';
import { diff } from '../../src/diff/index.js';
import { loadSchemaDir, SchemaError } from '../../src/load/schema-dir.js';
import { normalize } from '../../src/load/shadow.js';
import { describeChange } from '../../src/model/describe.js';
import { plan } from '../../src/plan/index.js';
import { pull } from '../../src/pull/index.js';
import type { CorpusCase } from '../support/corpus.js';
import { projectRoot } from '../support/paths.js';

export type Verdict =
  | { readonly kind: 'pass'; readonly notes: readonly string[] }
  | { readonly kind: 'unloadable'; readonly reason: string }
  | { readonly kind: 'fail'; readonly cause: string; readonly detail: string; readonly notes: readonly string[] };

/** Creates the roles a case grants to, where missing (the server's roles are shared by every database). */
export const ensureRoles = async (db: Db, roles: readonly string[]) => {
  for (const r of roles)
    await db.exec(
      `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${r.replace(/'/g, "''")}') THEN CREATE ROLE "${r.replace(/"/g, '""')}"; END IF; END $$`,
    );
};

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n').slice(0, 3).join(' | ');

/** Where one test file's temporary projects live (test/.tmp-* is gitignored); remove it when done. */
export const tagDir = (tag: string) => join(projectRoot, 'test', `.tmp-pull-${tag}`);
/** A directory for one case's pulled files (each case its own: schema files are modules, cached by path). */
export const caseDir = (tag: string, id: string) => join(tagDir(tag), id.replace(/[^A-Za-z0-9_-]+/g, '_'));

/** The .ts files under `dir` with their text, by path relative to it. */
const schemaFiles = (dir: string): Map<string, string> => {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (e.isFile() && e.name.endsWith('.ts')) {
      const p = join(e.parentPath, e.name);
      out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  return out;
};

export interface JudgeOptions {
  /**
   * Pull a second time into the pulled files (their declarations compared as objects, normalized on the server):
   * the case fails unless every file keeps every byte.
   */
  readonly again?: boolean;
}

export const judgeCase = async (serverUrl: string, c: CorpusCase, dir: string, options: JudgeOptions = {}): Promise<Verdict> => {
  const scratch = await createScratchDatabase(serverUrl);
  try {
    try {
      await ensureRoles(scratch.db, c.roles);
      await scratch.db.exec(`${c.setup}\n${c.desired}`);
      await scratch.db.exec('RESET ROLE; RESET search_path');
    } catch (e) {
      return { kind: 'unloadable', reason: firstLine(e) };
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    let pulled;
    try {
      pulled = await pull(scratch.db, { dir, schemas: null });
    } catch (e) {
      return { kind: 'fail', cause: 'pull threw', detail: firstLine(e), notes: [] };
    }
    let desired;
    try {
      const loaded = await loadSchemaDir(dir, { cwd: dir });
      desired = await normalize(loaded, { shadowUrl: serverUrl });
    } catch (e) {
      const cause = e instanceof SchemaError ? 'pulled schema/ does not load' : 'pulled schema/ does not normalize';
      return { kind: 'fail', cause, detail: firstLine(e), notes: pulled.notes };
    }
    const steps = plan(diff(pulled.schema, desired)).steps;
    if (steps.length === 0) {
      if (!options.again) return { kind: 'pass', notes: pulled.notes };
      const before = schemaFiles(dir);
      const again = await pull(scratch.db, { dir, schemas: null, previous: () => Promise.resolve(desired) });
      const after = schemaFiles(dir);
      const touched = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f));
      if (touched.length === 0 && again.files.every((f) => f.status === 'unchanged')) return { kind: 'pass', notes: pulled.notes };
      const replaced = again.files.flatMap((f) => f.replaced.map((n) => `${f.file}: ${n}`));
      return { kind: 'fail', cause: 'a second pull changed files', detail: `${touched.join(', ')} (replaced: ${replaced.join(', ')})`, notes: pulled.notes };
    }
    const changes = steps.map((s) => describeChange(s.change));
    return { kind: 'fail', cause: pulled.notes.length ? 'not expressible in the DSL' : 'plan not empty', detail: changes.slice(0, 4).join('; '), notes: pulled.notes };
  } finally {
    await scratch.drop();
  }
};
