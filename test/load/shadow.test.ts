/**
 * Normalization in the shadow, judged by the database: every object kind is created and read back, the same
 * declarations give no change, the DSL gives the catalog hand-written SQL gives, and a rejected statement is
 * reported at its declaration.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { diff, parseRenameHint, type RenameHint } from '../../src/diff/index.js';
import { applyScript, normalize } from '../../src/load/shadow.js';
import { checkRenameHints } from '../../src/load/rename-check.js';
import { loadSchemaDir, SchemaError } from '../../src/load/schema-dir.js';
import { emptySchema } from '../../src/model/schema.js';
import { plan } from '../../src/plan/index.js';
import { backends, withFreshDb } from '../support/backends.js';
import { projectRoot } from '../support/paths.js';
import { snapshot } from '../support/snapshot.js';
import { readSchema } from '../../src/load/source.js';
import { scriptOf } from '../dsl/declared.js';
import * as example from '../dsl/example-schema.js';
import { ensureBuilt } from './built.js';
import { PAIRS } from './dsl-vs-sql.js';

beforeAll(ensureBuilt);

const all = await backends();

describe.each(all)('$title', (backend) => {
  const shadow = backend.serverUrl ? { shadowUrl: backend.serverUrl } : {};

  it('normalizes a schema with every object kind, and the same declarations twice give no change', async () => {
    const script = scriptOf(example);
    const a = await normalize(script, shadow);
    const b = await normalize(scriptOf(example), shadow);
    expect(a.schemas.map((s) => s.name)).toContain('app');
    expect(a.extensions.map((e) => e.name).sort()).toEqual(['btree_gist', 'citext', 'pgcrypto']);
    expect(a.enums.map((e) => [e.name, e.labels])).toEqual([['staff_role', ['owner', 'manager', 'employee']]]);
    expect(a.domains.map((d) => d.name)).toEqual(['positive_amount']);
    expect(a.composites.map((c) => c.name)).toEqual(['address']);
    expect(a.sequences.map((s) => s.name)).toEqual(expect.arrayContaining(['invoice_no', 'counters_n_seq']));
    expect(a.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(['app.shifts', 'public.counters', 'public.offices', 'public.staffs']);
    const staffs = a.tables.find((t) => t.name === 'staffs')!;
    expect(staffs.columns.find((c) => c.name === 'settings')!.default).toBe(`'{}'::jsonb`);
    expect(staffs.columns.find((c) => c.name === 'tags')!.default).toBe(`'{a,"b c"}'::text[]`);
    expect(staffs.rowSecurity).toBe(true);
    expect(staffs.comment).toBe('people');
    expect(staffs.grants).toEqual([{ grantee: 'PUBLIC', privilege: 'SELECT', grantable: false }]);
    expect(a.indexes.map((i) => i.name).sort()).toEqual(['staffs_lower_name', 'staffs_settings_idx']);
    expect(a.tables.find((t) => t.name === 'shifts')!.constraints.map((c) => c.name).sort()).toEqual(['shifts_no_overlap', 'shifts_staff_during', 'shifts_staff_id_fkey']);
    expect(a.views.map((v) => [v.name, v.materialized])).toEqual([['active_staffs', false], ['staff_count', true]]);
    expect(a.functions.map((f) => [f.name, f.procedure])).toEqual([['archive_all', true], ['touch_updated_at', false]]);
    expect(a.triggers.map((t) => t.name)).toEqual(['staffs_touch']);
    expect(a.policies.map((p) => p.name)).toEqual(['own_office']);

    const d = diff(a, b);
    expect(d.changes).toEqual([]);
    expect(plan(d).steps).toEqual([]);
    expect(plan(diff(emptySchema(a.serverVersion), a)).steps.length).toBeGreaterThan(10);
  });

  it.each(PAIRS)('the DSL gives the catalog of the equivalent SQL: $name', async (pair) => {
    const script = scriptOf(pair.dsl());
    const fromDsl = await withFreshDb(backend, async (db) => {
      await applyScript(db, script, backend.name === 'pglite');
      return { snapshot: await snapshot(db), schema: await readSchema(db) };
    });
    const fromSql = await withFreshDb(backend, async (db) => {
      await db.exec(pair.sql);
      return { snapshot: await snapshot(db), schema: await readSchema(db) };
    });
    expect(fromDsl.snapshot).toEqual(fromSql.snapshot);
    // The model sees what the snapshot does not (inheritance parents, which columns a child declares).
    expect(plan(diff(fromSql.schema, fromDsl.schema)).steps.map((s) => s.sql.join(' '))).toEqual([]);
  });

  it('SQL Postgres rejects is reported at its declaration: a check, an unknown type', async () => {
    const rejected = async (dir: string) => {
      const loaded = await loadSchemaDir(`test/load/fixtures/${dir}`, { cwd: projectRoot });
      const error = await normalize(loaded, shadow).then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(SchemaError);
      const [d, ...rest] = (error as SchemaError).diagnostics;
      expect(rest).toEqual([]);
      return `${d!.file}:${d!.line}:${d!.col} ${d!.code} ${d!.message.split('\n')[0]}`;
    };
    expect(await rejected('bad-sql')).toBe(
      'test/load/fixtures/bad-sql/schema.ts:7:3 KK106 PostgreSQL rejected table "public"."t": function lenght(text) does not exist (HINT: No function matches the given name and argument types. You might need to add explicit type casts.)',
    );
    expect(await rejected('bad-type')).toBe('test/load/fixtures/bad-type/schema.ts:7:3 KK106 PostgreSQL rejected table "public"."t": type "money2" does not exist');
  });

  it('a renamedFrom whose old name exists nowhere is reported at the hint', async () => {
    const loaded = await loadSchemaDir('test/load/fixtures/basic', { cwd: projectRoot });
    const desired = await normalize(loaded, shadow);
    // The current schema: the desired one, with the column still under its old name.
    const withOld = {
      ...desired,
      tables: desired.tables.map((t) =>
        t.name === 'staffs' ? { ...t, columns: t.columns.map((c) => (c.name === 'name' ? { ...c, name: 'full_name' } : c)) } : t,
      ),
    };
    expect(checkRenameHints(loaded.renameHints, withOld)).toEqual([]);
    expect(checkRenameHints(loaded.renameHints, desired)).toEqual([]); // already carried out
    const without = {
      ...desired,
      tables: desired.tables.map((t) => (t.name === 'staffs' ? { ...t, columns: t.columns.filter((c) => c.name !== 'name') } : t)),
    };
    expect(checkRenameHints(loaded.renameHints, without)).toEqual([
      {
        code: 'KK108',
        file: 'test/load/fixtures/basic/staffs.ts',
        line: 9,
        col: 26,
        message: 'column public.staffs.name: renamedFrom: table public.staffs has no column or constraint full_name; remove the hint, or fix the old name',
      },
    ]);
  });

  it('a renamedFrom on a table the database does not have yet is moot in code, an error as --rename', async () => {
    const loaded = await loadSchemaDir('test/load/fixtures/basic', { cwd: projectRoot });
    const desired = await normalize(loaded, shadow);
    const empty = emptySchema(desired.serverVersion);
    expect(checkRenameHints(loaded.renameHints, empty)).toEqual([]);
    const [hint] = loaded.renameHints.map((h) => parseRenameHint(h.text) as RenameHint);
    const fromCode = diff(empty, desired, [{ ...hint!, fromCode: true }]);
    expect(fromCode.usedHints).toEqual([]);
    expect(fromCode.changes.filter((c) => c.kind === 'create_table')).toHaveLength(2);
    expect(() => diff(empty, desired, [hint!])).toThrow(/no table public\.staffs in the current schema/);
  });
});
