/**
 * `generate` and `plan` over a migration history, with the desired schema given as SQL (the DSL loader is tested
 * on its own): the folder layout, determinism, "no changes", the sum file catching edits and merges, and the
 * history replaying to the declared schema, up and down, judged by the catalog.
 */
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../src/config/index.js';
import { runGenerate } from '../../src/cli/generate.js';
import { runPlan } from '../../src/cli/plan.js';
import type { DesiredLoader } from '../../src/project/desired.js';
import { openPglite } from '../../src/db/pglite.js';
import { loadSql } from '../../src/db/load-sql.js';
import { readHistory, downFiles, upFiles } from '../../src/load/migrations.js';
import { readSchema } from '../../src/load/source.js';
import { tempProjectConfig } from '../support/project-config.js';
import { snapshot } from '../support/snapshot.js';

const project = (): ResolvedConfig => tempProjectConfig('kk-gen-');

/** A desired schema from SQL, normalized in PGlite like the DSL's would be. */
const fromSql = (sql: string, hints: string[] = []): DesiredLoader => async () => {
  const db = await openPglite({ extensions: [] });
  try {
    await db.exec(sql);
    return { schema: await readSchema(db), hints };
  } finally {
    await db.close();
  }
};

const V1 = `CREATE TYPE status AS ENUM ('active', 'closed');
CREATE TABLE offices (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), full_name text NOT NULL, status status NOT NULL DEFAULT 'active', legacy text);`;
const V2 = `CREATE TYPE status AS ENUM ('active', 'paused', 'closed');
CREATE TABLE offices (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL, status status NOT NULL DEFAULT 'active', created_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX offices_name ON offices (name);`;

const args = (name: string, now: string) => ({ name, renames: [], noRename: [], format: 'text' as const, now: new Date(now) });

describe('generate', () => {
  it('writes a folder per migration, a sum and schema.sql; replaying it gives the declared schema', async () => {
    const cfg = project();
    const first = await runGenerate(cfg, fromSql(V1), args('init', '2026-01-02T03:04:05Z'));
    expect(first.exitCode).toBe(0);
    const second = await runGenerate(cfg, fromSql(V2, ['"public"."offices"."full_name"=name']), args('rename and more', '2026-01-03T00:00:00Z'));
    expect(second.stdout).toContain('rename column public.offices.full_name to name');
    const ids = readdirSync(join(cfg.generatedDir, 'migrations'));
    expect(ids).toEqual(['20260102030405_init', '20260103000000_rename_and_more']);
    // The rename runs online (new column, sync trigger, batched copy), so there is a backfill phase.
    expect(readdirSync(join(cfg.generatedDir, 'migrations', ids[1]!)).sort()).toEqual([
      '1_expand.down.sql',
      '1_expand.up.sql',
      '2_backfill.down.sql',
      '2_backfill.up.sql',
      '3_contract.down.sql',
      '3_contract.up.sql',
      'plan.json',
      'plan.md',
    ]);
    const history = readHistory(cfg.generatedDir);
    expect(history.problems).toEqual([]);
    expect(history.migrations[1]!.plan.parent).toBe('20260102030405_init');
    expect(readFileSync(join(cfg.generatedDir, 'migrations', ids[1]!, 'plan.md'), 'utf8')).toContain('```mermaid');
    expect(readFileSync(join(cfg.generatedDir, 'schema.sql'), 'utf8')).toContain('CREATE INDEX "offices_name"');

    // Replaying up equals the declared schema; each down brings the previous state back, with data kept.
    const db = await openPglite();
    const target = await openPglite();
    try {
      await target.exec(V2);
      const snap = (d: typeof db) => snapshot(d, { notNullConstraints: false });
      const [m1, m2] = history.migrations;
      // Statement by statement, as psql and apply run them: an index on an existing table is built CONCURRENTLY,
      // which Postgres refuses inside the implicit transaction of a multi-statement query.
      for (const f of upFiles(m1!)) await loadSql(db, m1!.files.get(f)!, f);
      const afterFirst = await snap(db);
      await db.exec("INSERT INTO offices (full_name) VALUES ('Shinjuku')");
      for (const f of upFiles(m2!)) await loadSql(db, m2!.files.get(f)!, f);
      expect(await snap(db)).toEqual(await snap(target));
      expect(await db.query('SELECT name FROM offices')).toEqual([{ name: 'Shinjuku' }]);
      for (const f of downFiles(m2!)) await loadSql(db, m2!.files.get(f)!, f);
      expect(await snap(db)).toEqual(afterFirst);
      expect(await db.query('SELECT full_name FROM offices')).toEqual([{ full_name: 'Shinjuku' }]);
    } finally {
      await db.close();
      await target.close();
    }
  }, 180_000);

  it('is deterministic, says "no changes" and writes nothing when in sync', async () => {
    const a = project();
    const b = project();
    await runGenerate(a, fromSql(V1), args('init', '2026-01-02T03:04:05Z'));
    await runGenerate(b, fromSql(V1), args('init', '2026-01-02T03:04:05Z'));
    const read = (c: ResolvedConfig, f: string) => readFileSync(join(c.generatedDir, f), 'utf8');
    for (const f of ['migrations.sum', 'schema.sql', 'migrations/20260102030405_init/1_expand.up.sql', 'migrations/20260102030405_init/plan.json'])
      expect(read(a, f)).toBe(read(b, f));
    const again = await runGenerate(a, fromSql(V1), args('again', '2026-01-05T00:00:00Z'));
    expect(again.stdout).toMatch(/^No changes/);
    expect(readdirSync(join(a.generatedDir, 'migrations'))).toHaveLength(1);
    const plan = await runPlan(a, fromSql(V1), { renames: [], noRename: [], format: 'text', exitCode: true, color: false });
    expect(plan).toEqual({ stdout: expect.stringMatching(/^No changes/), exitCode: 0 });
  }, 180_000);

  it('an unhinted drop + add that looks like a rename stops with exit 3 and the three ways to decide', async () => {
    const cfg = project();
    await runGenerate(cfg, fromSql('CREATE TABLE t (id int, full_name text);'), args('init', '2026-01-02T03:04:05Z'));
    const p = runGenerate(cfg, fromSql('CREATE TABLE t (id int, name text);'), args('x', '2026-01-03T00:00:00Z'));
    await expect(p).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('--no-rename public.t.full_name') });
    // On a terminal the user is asked instead; answering "rename" keeps the column.
    const asked: string[] = [];
    const viaPrompt = await runPlan(cfg, fromSql('CREATE TABLE t (id int, name text);'), {
      renames: [],
      noRename: [],
      format: 'text',
      exitCode: false,
      color: false,
      decide: async (c) => (asked.push(`${c.where}.${c.from}->${c.to}`), 'rename'),
    });
    expect(asked).toEqual(['public.t.full_name->name']);
    expect(viaPrompt.stdout).toContain('rename column public.t.full_name to name');
    // t has no primary key to archive full_name's values by: the drop loses them, which must be allowed.
    const unallowed = runGenerate(cfg, fromSql('CREATE TABLE t (id int, name text);'), { ...args('drop add', '2026-01-03T00:00:00Z'), noRename: ['public.t.full_name'] });
    await expect(unallowed).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('DELETES_DATA') });
    const decided = await runGenerate(cfg, fromSql('CREATE TABLE t (id int, name text);'), {
      ...args('drop add', '2026-01-03T00:00:00Z'),
      noRename: ['public.t.full_name'],
      allowHazards: ['DELETES_DATA,IRREVERSIBLE'],
    });
    expect(decided.stdout).toContain('drop column public.t.full_name');
  }, 180_000);

  it('refuses an edited migration, and two heads after a merge, with exit 3', async () => {
    const cfg = project();
    await runGenerate(cfg, fromSql(V1), args('init', '2026-01-02T03:04:05Z'));
    const file = join(cfg.generatedDir, 'migrations', '20260102030405_init', '1_expand.up.sql');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, `${original}\n-- edited\n`);
    await expect(runPlan(cfg, fromSql(V1), { renames: [], noRename: [], format: 'text', exitCode: false, color: false })).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringContaining('FILE_EDITED'),
    });
    writeFileSync(file, original);

    // Two branches each generated a migration on the same parent; the merge holds both.
    const branch = project();
    cpSync(cfg.generatedDir, branch.generatedDir, { recursive: true });
    await runGenerate(cfg, fromSql(`${V1}\nCREATE TABLE a (id int);`), args('a', '2026-02-01T00:00:00Z'));
    await runGenerate(branch, fromSql(`${V1}\nCREATE TABLE b (id int);`), args('b', '2026-02-02T00:00:00Z'));
    cpSync(join(branch.generatedDir, 'migrations'), join(cfg.generatedDir, 'migrations'), { recursive: true });
    const history = readHistory(cfg.generatedDir);
    expect(history.problems.map((p) => p.code)).toContain('TWO_HEADS');
    await expect(runPlan(cfg, fromSql(V1), { renames: [], noRename: [], format: 'text', exitCode: false, color: false })).rejects.toMatchObject({ exitCode: 3 });
    rmSync(cfg.root, { recursive: true, force: true });
  }, 180_000);
});
