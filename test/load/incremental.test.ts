/**
 * Incremental normalization, judged by the database: after an edit, creating only the changed declarations (and
 * what depends on them) in the shadow and splicing the rest from the last normalization gives exactly the schema a
 * full normalization reads back. On random schema pairs (the differ's generator, rendered as one unit per
 * declaration), on hand-made cases where Postgres's choice of names or a missed dependency could tell the two
 * apart (those must give up, not guess), and end to end through `normalize` with a project's cache.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/types.js';
import type { DdlStatement } from '../../src/dsl/ddl/statement.js';
import { type IncrementalPlan, planIncremental, scriptUnits, spliceSchema, unitHashes, withoutTables } from '../../src/load/incremental.js';
import { closeShadowEarly, lastNormalization, normalize, startShadowEarly } from '../../src/load/shadow.js';
import { readSchema } from '../../src/load/source.js';
import type { Schema } from '../../src/model/schema.js';
import { backends, type Backend } from '../support/backends.js';
import { projectRoot } from '../support/paths.js';
import { columnSql, pairArb, pkSql, type SchemaSpec } from '../diff/gen.js';

const all = await backends();
const runs = (name: string) => Number(process.env.KEIKAKU_PROPERTY_RUNS ?? (name === 'server' ? 30 : 12));

const q = (n: string) => `"${n.replace(/"/g, '""')}"`;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const site = { file: 'schema/t.ts', line: 1, col: 1 };
const unit = (kind: string, name: string) => JSON.stringify([kind, 'public', name]);
const st = (u: string, sql: string, phase?: DdlStatement['phase']): DdlStatement => ({ sql, object: u, site, spans: [], unit: u, ...(phase ? { phase } : {}) });

/**
 * A generated schema as the DSL renders one: a unit per enum, table (with its checks, indexes, comments and
 * foreign keys) and view, statements ordered by stage, each saying its stage (a table only needed is created with
 * some stages alone). Indexes whose name has an even length are left unnamed, so
 * Postgres chooses their names.
 */
const unitScript = (s: SchemaSpec): DdlStatement[] => {
  const types: DdlStatement[] = [];
  const tables: DdlStatement[] = [];
  const indexes: DdlStatement[] = [];
  const fks: DdlStatement[] = [];
  const views: DdlStatement[] = [];
  const comments: DdlStatement[] = [];
  for (const e of s.enums) types.push(st(unit('enum', e.name), `CREATE TYPE ${q(e.name)} AS ENUM (${e.labels.map(lit).join(', ')});`, 'type'));
  for (const t of s.tables) {
    const u = unit('table', t.name);
    const [pk, cols] = [pkSql(t), t.columns.map(columnSql)];
    const checks = t.checks.map((c) => `CONSTRAINT ${q(c.name)} CHECK (${q(c.column)} IS NOT NULL)`);
    tables.push(st(u, `CREATE TABLE ${q(t.name)} (${[pk, ...cols, ...checks].join(', ')});`, 'table'));
    for (const i of t.indexes) {
      const name = i.name.length % 2 === 0 ? '' : `${q(i.name)} `;
      indexes.push(st(u, `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${name}ON ${q(t.name)} (${q(i.column)})${i.partial ? ` WHERE ${q(i.column)} IS NOT NULL` : ''};`, 'index'));
    }
    for (const f of t.fks)
      fks.push(st(u, `ALTER TABLE ${q(t.name)} ADD CONSTRAINT ${q(f.name)} FOREIGN KEY (${q(f.column)}) REFERENCES ${q(f.table)} (id) ON DELETE CASCADE;`, 'foreign-key'));
    if (t.comment !== null) comments.push(st(u, `COMMENT ON TABLE ${q(t.name)} IS ${lit(t.comment)};`, 'comment'));
    for (const c of t.columns) if (c.comment !== null) comments.push(st(u, `COMMENT ON COLUMN ${q(t.name)}.${q(c.name)} IS ${lit(c.comment)};`, 'comment'));
  }
  for (const v of s.views)
    views.push(st(unit('view', v.name), `CREATE VIEW ${q(v.name)} AS SELECT ${['id', ...v.columns.map(q)].join(', ')} FROM ${q(v.table)};`, 'view'));
  return [...types, ...tables, ...indexes, ...fks, ...views, ...comments];
};

const CONTEXT = 'test';

/** What the cache would hold after normalizing `script`. */
const lastUnits = (script: readonly DdlStatement[]) => ({ context: CONTEXT, units: unitHashes(scriptUnits(script)) });

/** The script created in a fresh database of the backend and read back; the error when Postgres rejects it. */
const created = async (backend: Backend, script: readonly DdlStatement[]): Promise<Schema | Error> => {
  const fresh = await backend.freshDb();
  try {
    await exec(fresh.db, script);
    return await readSchema(fresh.db);
  } catch (e) {
    return e as Error;
  } finally {
    await fresh.release();
  }
};
const exec = (db: Db, script: readonly DdlStatement[]) => db.exec(script.map((s) => s.sql).join('\n'));

/** The incremental result of going from `a` (normalized as `lastSchema`) to `b`; null when it gives up. */
const incremental = async (backend: Backend, a: readonly DdlStatement[], lastSchema: Schema, b: readonly DdlStatement[], maxShare = 1) => {
  const plan = planIncremental(b, CONTEXT, lastUnits(a), { maxShare });
  if (!plan) return { plan, schema: null };
  const shadow = await created(backend, plan.statements);
  return { plan, schema: shadow instanceof Error ? null : spliceSchema(lastSchema, withoutTables(shadow, plan.needed), plan.kept) };
};

describe.each(all)('incremental normalization on $title', (backend) => {
  it(
    'random schema pairs: the spliced schema is the one a full normalization reads',
    async () => {
      let spliced = 0;
      let tried = 0;
      await fc.assert(
        fc.asyncProperty(pairArb, async (pair) => {
          const a = unitScript(pair.a);
          const b = unitScript(pair.b);
          const fullA = await created(backend, a);
          if (fullA instanceof Error) throw fullA;
          const fullB = await created(backend, b);
          if (fullB instanceof Error) throw fullB;
          const { plan, schema } = await incremental(backend, a, fullA, b);
          tried++;
          if (schema === null) return;
          spliced++;
          expect(schema, `kept ${[...plan!.kept].join(', ')}`).toEqual(fullB);
        }),
        {
          numRuns: runs(backend.name),
          endOnFailure: true,
          ...(process.env.KEIKAKU_PROPERTY_SEED ? { seed: Number(process.env.KEIKAKU_PROPERTY_SEED) } : {}),
        },
      );
      // The property says nothing if every pair gave up.
      expect(spliced, `${spliced} of ${tried} pairs spliced`).toBeGreaterThan(tried / 3);
    },
    600_000,
  );

  // Five tables; t1…t4 reference t0, t3 is partitioned with a child, a view reads t2.
  const base = (edit: (s: Record<string, string[]>) => void = () => {}): DdlStatement[] => {
    const s: Record<string, string[]> = {
      mood: [`CREATE TYPE mood AS ENUM ('ok', 'sad');`],
      t0: [`CREATE TABLE t0 (id integer PRIMARY KEY, code varchar(10));`],
      t1: [`CREATE TABLE t1 (id integer PRIMARY KEY, t0_id integer, m mood DEFAULT 'ok');`, `CREATE INDEX ON t1 (t0_id);`],
      t2: [`CREATE TABLE t2 (id integer PRIMARY KEY, t0_id integer, note text);`],
      t3: [`CREATE TABLE t3 (id integer, at date NOT NULL) PARTITION BY RANGE (at);`],
      t3_2020: [`CREATE TABLE t3_2020 PARTITION OF t3 FOR VALUES FROM ('2020-01-01') TO ('2021-01-01');`],
      t4: [`CREATE TABLE t4 (id integer PRIMARY KEY, x integer UNIQUE);`],
      fk1: [`ALTER TABLE t1 ADD FOREIGN KEY (t0_id) REFERENCES t0 (id);`],
      fk2: [`ALTER TABLE t2 ADD CONSTRAINT t2_t0 FOREIGN KEY (t0_id) REFERENCES t0 (id);`],
      v: [`CREATE VIEW v AS SELECT id, note FROM t2;`],
    };
    edit(s);
    const owner: Record<string, string> = { mood: unit('enum', 'mood'), fk1: unit('table', 't1'), fk2: unit('table', 't2'), v: unit('view', 'v') };
    const fixed = ['mood', 't0', 't1', 't2', 't3', 't3_2020', 't4'];
    const order = [...fixed, ...Object.keys(s).filter((k) => !fixed.includes(k) && !['fk1', 'fk2', 'v'].includes(k)), 'fk1', 'fk2', 'v'];
    return order.flatMap((k) => (s[k] ?? []).map((sql) => st(owner[k] ?? unit('table', k), sql)));
  };

  const judge = async (a: readonly DdlStatement[], b: readonly DdlStatement[]) => {
    const fullA = await created(backend, a);
    if (fullA instanceof Error) throw fullA;
    const fullB = await created(backend, b);
    if (fullB instanceof Error) throw fullB;
    const { plan, schema } = await incremental(backend, a, fullA, b);
    if (schema !== null) expect(schema).toEqual(fullB);
    return { plan: plan as IncrementalPlan | null, schema };
  };

  /** Tables c0…c5, each with an index, a comment and (from c1) a foreign key to the one before, as the DSL stages them. */
  const chain = (lastName = 'text'): DdlStatement[] => {
    const out: DdlStatement[] = [];
    for (let i = 0; i < 6; i++) {
      const u = unit('table', `c${i}`);
      out.push(st(u, `CREATE TABLE c${i} (id bigint PRIMARY KEY, name ${i === 5 ? lastName : 'text'} NOT NULL);`, 'table'));
      out.push(st(u, `CREATE INDEX ON c${i} (name);`, 'index'));
      if (i > 0) out.push(st(u, `ALTER TABLE c${i} ADD FOREIGN KEY (id) REFERENCES c${i - 1} (id);`, 'foreign-key'));
      out.push(st(u, `COMMENT ON TABLE c${i} IS 'number ${i}';`, 'comment'));
    }
    return ['table', 'index', 'foreign-key', 'comment'].flatMap((phase) => out.filter((x) => x.phase === phase));
  };

  it('a table only needed is created without its foreign keys (so not what they reference) and kept from the last normalization', async () => {
    const { plan, schema } = await judge(chain(), chain('varchar(9)'));
    expect(schema).not.toBeNull();
    expect(plan!.stats.tables).toBe(2);
    expect([...plan!.needed]).toEqual([unit('table', 'c4')]);
    expect(plan!.kept).toEqual(new Set(['c0', 'c1', 'c2', 'c3', 'c4'].map((t) => unit('table', t))));
    const created = plan!.statements.map((x) => x.sql);
    expect(created.some((x) => x.startsWith('CREATE TABLE c4'))).toBe(true);
    expect(created.some((x) => x.startsWith('ALTER TABLE c4') || x.includes('ON TABLE c4'))).toBe(false);
    expect(created.some((x) => /\bc3\b/.test(x))).toBe(false);
  });

  it('statements that do not say their stage: a needed table is created whole, as before', async () => {
    const unstaged = (x: DdlStatement[]) => x.map(({ phase: _, ...rest }) => rest);
    const { plan, schema } = await judge(unstaged(chain()), unstaged(chain('varchar(9)')));
    expect(schema).not.toBeNull();
    expect(plan!.needed.size).toBe(0);
    expect(plan!.stats.tables).toBe(6);
  });

  it('a column type change creates the table, what it mentions and what mentions it; the rest is kept', async () => {
    const { plan, schema } = await judge(base(), base((s) => (s.t0 = [`CREATE TABLE t0 (id integer PRIMARY KEY, code varchar(20));`])));
    expect(schema).not.toBeNull();
    // t1 and t2 reference t0 (their keys are checked again); the view follows t2; t3, its child and t4 are kept.
    expect([...plan!.kept].sort()).toEqual([unit('table', 't3'), unit('table', 't3_2020'), unit('table', 't4')]);
  });

  it('a parent table edit recreates its partitions (they inherit its columns and indexes)', async () => {
    const { plan, schema } = await judge(base(), base((s) => s.t3!.push(`CREATE INDEX t3_at ON t3 (at);`)));
    expect(schema).not.toBeNull();
    expect(plan!.kept.has(unit('table', 't3_2020'))).toBe(false);
  });

  it('an enum edit recreates the tables whose columns use it', async () => {
    const { plan, schema } = await judge(base(), base((s) => (s.mood = [`CREATE TYPE mood AS ENUM ('ok', 'meh', 'sad');`])));
    expect(schema).not.toBeNull();
    expect(plan!.kept.has(unit('table', 't1'))).toBe(false);
  });

  it('a function edit recreates the tables whose expressions call it (their stored text follows its types)', async () => {
    const withLimit = (returns: string) => (s: Record<string, string[]>) => {
      s.lim = [`CREATE FUNCTION lim() RETURNS ${returns} LANGUAGE sql IMMUTABLE AS 'SELECT 5';`];
      s.t8 = [`CREATE TABLE t8 (x bigint CHECK (x > lim()));`];
    };
    const fn = (script: DdlStatement[]) => script.map((x) => (x.sql.includes('FUNCTION lim') ? { ...x, unit: unit('function', 'lim') } : x));
    const a = fn(base(withLimit('integer')));
    const b = fn(base(withLimit('numeric')));
    const { plan, schema } = await judge(a, b);
    expect(plan!.kept.has(unit('table', 't8'))).toBe(false);
    expect(schema!.tables.find((t) => t.name === 't8')!.constraints[0]!.definition).toContain('::numeric');
  });

  it('a referenced column whose new type breaks a kept foreign key: the shadow rejects it, so no splice', async () => {
    const b = base((s) => (s.t0 = [`CREATE TABLE t0 (id uuid PRIMARY KEY, code varchar(10));`]));
    expect(await created(backend, b)).toBeInstanceOf(Error);
    const fullA = await created(backend, base());
    if (fullA instanceof Error) throw fullA;
    const { plan, schema } = await incremental(backend, base(), fullA, b);
    expect(plan!.kept.has(unit('table', 't1'))).toBe(false);
    expect(schema).toBeNull();
  });

  it('a dropped table and a new one', async () => {
    const b = base((s) => {
      delete s.t4;
      s.t5 = [`CREATE TABLE t5 (id integer PRIMARY KEY, t0_id integer REFERENCES t0 (id));`];
    });
    const { schema } = await judge(base(), b);
    expect(schema).not.toBeNull();
    expect(schema!.tables.map((t) => t.name)).not.toContain('t4');
  });

  it('gives up when the shadow chose a name a kept table holds (Postgres would have picked another)', async () => {
    // t4 (kept) has an index named t5_y_idx; a new unnamed index on t5 (y) is named t5_y_idx in the shadow, where
    // a full normalization names it t5_y_idx1.
    const withIndex = (s: Record<string, string[]>) => s.t4!.push(`CREATE INDEX t5_y_idx ON t4 (x);`);
    const b = base((s) => {
      withIndex(s);
      s.t5 = [`CREATE TABLE t5 (y integer);`, `CREATE INDEX ON t5 (y);`];
    });
    const full = await created(backend, b);
    expect(full instanceof Error ? [] : full.indexes.map((i) => i.name)).toContain('t5_y_idx1');
    const { plan, schema } = await judge(base(withIndex), b);
    expect(plan!.kept.has(unit('table', 't4'))).toBe(true);
    expect(schema).toBeNull();
  });

  it('gives up when a new made-up constraint name may have met a kept one', async () => {
    // t1 (kept) has the key t1_t0_id_fkey; with a new table t1_t0 that has an unnamed key on id, created before
    // it, a full normalization names t1's key t1_t0_id_fkey1.
    const b = base((s) => (s.t1_t0 = [`CREATE TABLE t1_t0 (id integer REFERENCES t0 (id));`]));
    const full = await created(backend, b);
    const names = (t: string) => (full instanceof Error ? [] : full.tables.find((x) => x.name === t)!.constraints.map((c) => c.name).filter((n) => n.includes('fkey')));
    expect([names('t1_t0'), names('t1')]).toEqual([['t1_t0_id_fkey'], ['t1_t0_id_fkey1']]);
    const { plan, schema } = await judge(base(), b);
    expect(plan!.kept.has(unit('table', 't1'))).toBe(true);
    expect(schema).toBeNull();
  });

  it('gives up when a statement needs what no name in it mentions (another table’s serial sequence)', async () => {
    const a = base((s) => (s.t6 = [`CREATE TABLE t6 (id serial PRIMARY KEY);`, `CREATE TABLE t7 (n integer);`]));
    const b = base((s) => (s.t6 = [`CREATE TABLE t6 (id serial PRIMARY KEY);`, `CREATE TABLE t7 (n integer DEFAULT nextval('t6_id_seq'));`]));
    // t7 is in t6's unit here only by its statements: make it a unit of its own.
    const own = (script: DdlStatement[]) => script.map((x) => (x.sql.includes('TABLE t7') ? { ...x, unit: unit('table', 't7'), object: 't7' } : x));
    const fullA = await created(backend, own(a));
    if (fullA instanceof Error) throw fullA;
    const plan = planIncremental(own(b), CONTEXT, lastUnits(own(a)), { maxShare: 1 });
    expect(plan).not.toBeNull();
    expect(plan!.kept.has(unit('table', 't6'))).toBe(true);
    const shadow = await created(backend, plan!.statements);
    expect(shadow).toBeInstanceOf(Error); // the full normalization then decides
  });

  it('does not start when more than half of the tables would be created anyway, or the context differs', () => {
    const a = base();
    const b = base((s) => {
      s.t0 = [`CREATE TABLE t0 (id integer PRIMARY KEY, code text);`];
      s.t4 = [`CREATE TABLE t4 (id integer PRIMARY KEY, x bigint UNIQUE);`];
    });
    expect(planIncremental(b, CONTEXT, lastUnits(a))).toBeNull(); // t0, t1, t2 and t4: 4 of 6 tables
    expect(planIncremental(b, 'other roles', lastUnits(a), { maxShare: 1 })).toBeNull();
    expect(planIncremental(a, CONTEXT, lastUnits(a), { maxShare: 1 })).toBeNull();
  });
});

describe('normalize with a project cache (embedded shadow)', () => {
  const root = mkdtempSync(join(projectRoot, 'test', '.tmp-incremental-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('the edit after a normalization is normalized incrementally, and equals the full normalization', async () => {
    const many = (edit: (s: Record<string, string[]>) => void = () => {}) => {
      const s: Record<string, string[]> = {};
      for (let i = 0; i < 12; i++)
        s[`t${i}`] = [`CREATE TABLE t${i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL${i ? `, parent bigint REFERENCES t${i === 7 ? 6 : 0} (id)` : ''});`];
      edit(s);
      return Object.entries(s).flatMap(([k, sqls]) => sqls.map((sql) => st(unit('table', k), sql)));
    };
    const loaded = (script: DdlStatement[]) => ({ script, extensions: [], roles: [] });
    await normalize(loaded(many()), { cacheRoot: root });
    expect(lastNormalization.mode).toBe('full');
    const edited = many((s) => (s.t6 = [`CREATE TABLE t6 (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name varchar(9) NOT NULL, parent bigint REFERENCES t0 (id));`]));
    // As plan and generate run it: the shadow started on a worker thread before schema/ is loaded.
    startShadowEarly(root, null);
    const schema = await normalize(loaded(edited), { cacheRoot: root });
    await closeShadowEarly();
    expect(lastNormalization).toEqual({ mode: 'incremental', plan: expect.objectContaining({ changed: 1, tables: 3 }) });
    expect(schema).toEqual(await normalize(loaded(edited)));
    await normalize(loaded(edited), { cacheRoot: root });
    expect(lastNormalization.mode).toBe('cached');

    // A shadow started early with other extensions than schema/ now needs is not used, and is closed.
    const withCitext = {
      script: [st(JSON.stringify(['extension', '', 'citext']), 'CREATE EXTENSION citext;'), ...many(), st(unit('table', 't99'), 'CREATE TABLE t99 (x citext);')],
      extensions: ['citext'],
      roles: [],
    };
    startShadowEarly(root, null);
    const full = await normalize(withCitext, { cacheRoot: root });
    await closeShadowEarly();
    expect(lastNormalization.mode).toBe('full');
    expect(full.tables.find((t) => t.name === 't99')!.columns[0]!.type).toBe('public.citext');
  }, 120_000);
});
