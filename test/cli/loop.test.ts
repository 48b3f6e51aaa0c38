/**
 * The whole loop a user runs, on PGlite and on the server: `init` → declare a schema in schema/*.ts →
 * `generate` → apply → insert rows → edit the schema (rename a column with `renamedFrom`, add a NOT NULL column
 * with a default, add an enum value, drop a column) → `generate` → apply. Judged by the catalog: the result equals
 * a database where the declared schema alone was created, the renamed column kept its rows, and
 * every down, newest migration first, brings back the state before that migration.
 *
 * Schema files import `keikaku`, which resolves by package self-reference to dist/index.js only inside this
 * repository: the temporary projects live under test/.tmp-* (gitignored) and are removed afterwards.
 *
 * A schema file is evaluated once per process (loadSchemaDir imports it by URL, and the module cache keeps the
 * first version), so the project is moved to a new directory before its files are edited: the edited files are
 * then new modules, as they are to the separate process a user's next `keikaku generate` runs in.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGenerate } from '../../src/cli/generate.js';
import { runInit } from '../../src/cli/init.js';
import { runPlan } from '../../src/cli/plan.js';
import { loadConfig, type ResolvedConfig } from '../../src/config/index.js';
import type { Db } from '../../src/db/types.js';
import { loadSql } from '../../src/db/load-sql.js';
import { scriptText } from '../../src/dsl/ddl/script.js';
import { loadDesired } from '../../src/project/desired.js';
import { downFiles, readHistory, upFiles, type Migration } from '../../src/load/migrations.js';
import { loadSchemaDir } from '../../src/load/schema-dir.js';
import { ensureBuilt } from '../load/built.js';
import { backends, withFreshDb, type Backend } from '../support/backends.js';
import { applyScript } from '../support/migrate.js';
import { projectRoot } from '../support/paths.js';
import { snapshot } from '../support/snapshot.js';

const V1 = {
  'enums.ts': `import { enumType } from 'keikaku';

export const memberStatus = enumType('member_status', ['active', 'closed']);
`,
  'members.ts': `import { index, integer, sql, table, text, uuid } from 'keikaku';
import { memberStatus } from './enums.js';

export const teams = table('teams', {
  id: uuid().primaryKey().default(sql\`gen_random_uuid()\`),
  title: text().notNull().unique(),
});

export const members = table(
  'members',
  {
    id: integer().primaryKey(),
    teamId: uuid().notNull().references(() => teams.id, { onDelete: 'cascade' }),
    fullName: text().notNull(),
    status: memberStatus().notNull().default('active'),
    legacyCode: text(),
  },
  (t) => [index('members_team_id').on(t.teamId)],
);
`,
};

const V2 = {
  'enums.ts': `import { enumType } from 'keikaku';

export const memberStatus = enumType('member_status', ['active', 'paused', 'closed']);
`,
  'members.ts': `import { index, integer, sql, table, text, uuid } from 'keikaku';
import { memberStatus } from './enums.js';

export const teams = table('teams', {
  id: uuid().primaryKey().default(sql\`gen_random_uuid()\`),
  title: text().notNull().unique(),
});

export const members = table(
  'members',
  {
    id: integer().primaryKey(),
    teamId: uuid().notNull().references(() => teams.id, { onDelete: 'cascade' }),
    name: text().notNull().renamedFrom('full_name'),
    status: memberStatus().notNull().default('active'),
    score: integer().notNull().default(0),
  },
  (t) => [index('members_team_id').on(t.teamId)],
);
`,
};

const made: string[] = [];
const tmpDir = () => {
  const dir = mkdtempSync(join(projectRoot, 'test', '.tmp-loop-'));
  made.push(dir);
  return dir;
};

/** A new project (`keikaku init`) under test/.tmp-*, so its schema files resolve `keikaku` to this repository. */
const newProject = async (files: Record<string, string>): Promise<ResolvedConfig> => {
  const root = tmpDir();
  expect(runInit(root).exitCode).toBe(0);
  writeSchema(join(root, 'schema'), files);
  const config = await loadConfig(root, {});
  expect(config.schemaDir).toBe(join(root, 'schema'));
  return config;
};

/** The project moved to a new directory (see the top of the file), its config read again there. */
const moved = async (config: ResolvedConfig): Promise<ResolvedConfig> => {
  const root = join(tmpDir(), 'project');
  renameSync(config.root, root);
  return loadConfig(root, {});
};

const writeSchema = (dir: string, files: Record<string, string>) => {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
};

const generate = (config: ResolvedConfig, name: string, now: string) =>
  runGenerate(config, loadDesired, { name, renames: [], noRename: [], format: 'text', now: new Date(now) });

const snap = (db: Db) => snapshot(db, { notNullConstraints: false });

/** psql on the server; on PGlite statement by statement as apply runs them (a backfill commits per batch). */
const apply = async (db: Db, url: string | undefined, m: Migration, files: readonly string[]) => {
  for (const f of files) {
    if (url) await applyScript(db, m.files.get(f)!, url);
    else await loadSql(db, m.files.get(f)!, f);
  }
};

beforeAll(ensureBuilt);
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe.each(await backends())('$title', (backend: Backend) => {
  it('init → schema → generate → apply → edit → generate → apply, and back down', async () => {
    // What the end must equal: the edited schema alone, created in an empty database from the DDL the loader renders.
    const reference = await newProject(V2);
    const declared = await loadSchemaDir(reference.schemaDir, { cwd: reference.root });
    const expected = await withFreshDb(backend, async (db, { url }) => {
      await applyScript(db, scriptText(declared.script), url);
      return snap(db);
    });

    let config = await newProject(V1);
    const first = await generate(config, 'initial', '2026-03-01T09:00:00Z');
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toMatch(/^wrote /);

    const fresh = await backend.freshDb();
    try {
      const { db, url } = fresh;
      const [m1] = readHistory(config.generatedDir).migrations;
      const empty = await snap(db);
      await apply(db, url, m1!, upFiles(m1!));
      const afterFirst = await snap(db);

      const [before] = await db.query<{ attnum: number }>(
        `SELECT attnum FROM pg_attribute WHERE attrelid = 'public.members'::regclass AND attname = 'full_name'`,
      );
      await db.exec(`INSERT INTO teams (id, title) VALUES ('00000000-0000-0000-0000-000000000001', 'Kitchen');
        INSERT INTO members (id, team_id, full_name, status, legacy_code) VALUES
          (1, '00000000-0000-0000-0000-000000000001', 'Sato Hana', 'active', 'A-1'),
          (2, '00000000-0000-0000-0000-000000000001', 'Ito Ken', 'closed', NULL);`);

      // Edit the schema files and generate the next migration.
      config = await moved(config);
      writeSchema(config.schemaDir, V2);
      const second = await generate(config, 'rename and more', '2026-03-02T09:00:00Z');
      expect(second.exitCode).toBe(0);
      expect(second.stdout).toContain('rename column public.members.full_name to name');
      const history = readHistory(config.generatedDir);
      expect(history.problems).toEqual([]);
      expect(history.migrations.map((m) => m.id)).toEqual(['20260301090000_initial', '20260302090000_rename_and_more']);
      const m2 = history.migrations[1]!;
      expect(m2.plan.parent).toBe(m1!.id);
      await apply(db, url, m2, upFiles(m2));

      // In sync: nothing left to plan.
      const plan = await runPlan(config, loadDesired, { renames: [], noRename: [], format: 'text', exitCode: true, color: false });
      expect(plan).toEqual({ stdout: expect.stringMatching(/^No changes/), exitCode: 0 });

      // The same as a database where the declared schema alone was created.
      expect(await snap(db)).toEqual(expected);

      // The data survived the rename, in the same column; the new column has its default; the enum has its value.
      // Under the phased strategy the rename is online: `name` is a new column the values were copied into
      // (the old one is dropped in contract); --strategy simple keeps the column (RENAME COLUMN, same attnum).
      const [after] = await db.query<{ attnum: number }>(
        `SELECT attnum FROM pg_attribute WHERE attrelid = 'public.members'::regclass AND attname = 'name'`,
      );
      expect(after?.attnum).toBeGreaterThan(before!.attnum);
      expect(await db.query('SELECT id, name, status::text AS status, score FROM members ORDER BY id')).toEqual([
        { id: 1, name: 'Sato Hana', status: 'active', score: 0 },
        { id: 2, name: 'Ito Ken', status: 'closed', score: 0 },
      ]);
      // The new enum value is usable (and set back: a row holding it would stop the down, which removes it).
      await db.exec(`UPDATE members SET status = 'paused' WHERE id = 2`);
      await db.exec(`UPDATE members SET status = 'closed' WHERE id = 2`);

      // Down, newest migration first: each brings back the state before it.
      await apply(db, url, m2, downFiles(m2));
      expect(await snap(db)).toEqual(afterFirst);
      // The dropped column comes back with its values (kept in keikaku_archive by the contract phase).
      expect(await db.query('SELECT id, full_name, legacy_code FROM members ORDER BY id')).toEqual([
        { id: 1, full_name: 'Sato Hana', legacy_code: 'A-1' },
        { id: 2, full_name: 'Ito Ken', legacy_code: null },
      ]);
      await apply(db, url, m1!, downFiles(m1!));
      expect(await snap(db)).toEqual(empty);
    } finally {
      await fresh.release();
    }
    // ~20 s per backend on an idle 2-core machine (four embedded shadows start); more on a busy one.
  }, 240_000);
});

