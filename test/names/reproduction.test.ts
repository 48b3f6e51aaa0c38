/**
 * The reproduction of issue 11 §1, through the project as a user has it (schema/*.ts, `generate`, apply, down):
 * a table whose name holds a line break and SQL must not run that SQL. Before the fix, the name ended the
 * `-- create table …` comment above its statement and `DROP TABLE "表"` ran, taking the table's rows with it.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGenerate } from '../../src/cli/generate.js';
import { runInit } from '../../src/cli/init.js';
import { loadConfig, type ResolvedConfig } from '../../src/config/index.js';
import type { Db } from '../../src/db/types.js';
import { loadSql } from '../../src/db/load-sql.js';
import { loadDesired } from '../../src/project/desired.js';
import { downFiles, readHistory, upFiles } from '../../src/load/migrations.js';
import { ensureBuilt } from '../load/built.js';
import { backends, type Backend } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';
import { applyScript } from '../support/migrate.js';
import { projectRoot } from '../support/paths.js';

const KEPT = `import { integer, table, text } from 'keikaku';

export const kept = table('表', { id: integer().primaryKey(), note: text() });
`;
const INJ = `import { integer, table } from 'keikaku';

export const inj = table('inj\\nDROP TABLE "表"; --', { id: integer().primaryKey() });
`;
const INJ_NAME = 'inj\nDROP TABLE "表"; --';

const made: string[] = [];
const tmpDir = () => {
  const dir = mkdtempSync(join(projectRoot, 'test', '.tmp-names-'));
  made.push(dir);
  return dir;
};

beforeAll(ensureBuilt);
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const generate = (config: ResolvedConfig, name: string, now: string) =>
  runGenerate(config, loadDesired, { name, renames: [], noRename: [], format: 'text', now: new Date(now) });

const rows = async (db: Db) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "表"`))[0]!.n;
const injExists = async (db: Db) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relname = $1 AND relkind = 'r'`, [INJ_NAME]))[0]!.n === 1;

describe.each(await backends())('$title', (backend: Backend) => {
  it('a table named inj\\nDROP TABLE "表"; -- is created by name, and 表 keeps its rows', async () => {
    const root = tmpDir();
    expect(runInit(root).exitCode).toBe(0);
    mkdirSync(join(root, 'schema'), { recursive: true });
    writeFileSync(join(root, 'schema', 'kept.ts'), KEPT);
    let config = await loadConfig(root, {});
    expect((await generate(config, 'kept', '2026-04-01T09:00:00Z')).exitCode).toBe(0);

    const fresh = await backend.freshDb();
    try {
      const { db, url } = fresh;
      const run = async (file: string, text: string) => (url ? applyScript(db, text, url) : loadSql(db, text, file));
      const [first] = readHistory(config.generatedDir).migrations;
      if (url) expect((await runCliIn(root, 'apply', '--database-url', url)).code).toBe(0);
      else for (const f of upFiles(first!)) await run(f, first!.files.get(f)!);
      await db.exec(`INSERT INTO "表" SELECT g, 'row ' || g FROM generate_series(1, 50) g`);

      // A schema file is evaluated once per process: the edited project is a new directory (see loop.test.ts).
      const moved = join(tmpDir(), 'project');
      renameSync(root, moved);
      writeFileSync(join(moved, 'schema', 'inj.ts'), INJ);
      config = await loadConfig(moved, {});
      const second = await generate(config, 'inj', '2026-04-02T09:00:00Z');
      expect(second.exitCode).toBe(0);
      expect(second.stdout).toContain('create table public.inj\\nDROP TABLE "表"; --');
      expect(second.stdout).not.toContain('\nDROP TABLE');

      const migration = readHistory(config.generatedDir).migrations[1]!;
      for (const [name, text] of migration.files)
        if (name.endsWith('.sql'))
          for (const line of text.split('\n')) expect(line.startsWith('DROP TABLE "表"'), `${name}: ${line}`).toBe(false);

      // The real apply on the server (as users run it); the file statement by statement on PGlite.
      if (url) {
        const applied = await runCliIn(moved, 'apply', '--database-url', url);
        expect(applied.stderr).toBe('');
        expect(applied.code).toBe(0);
      } else for (const f of upFiles(migration)) await run(f, migration.files.get(f)!);
      expect(await rows(db)).toBe(50);
      expect(await injExists(db)).toBe(true);

      for (const f of downFiles(migration)) await run(f, migration.files.get(f)!);
      expect(await injExists(db)).toBe(false);
      expect(await rows(db)).toBe(50);
    } finally {
      await fresh.release();
    }
  });
});
