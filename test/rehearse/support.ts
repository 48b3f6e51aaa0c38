/**
 * A source database for rehearsals: a scratch database of the test server with a small history applied (parent →
 * child → grandchild, foreign keys between them) and rows in every table, and a pending migration measured by the
 * tests. `fingerprint` is what must not change on the source: its catalog, its rows and its journal.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMigrations } from '../../src/apply/index.js';
import { connectPg } from '../../src/db/pg.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js';
import type { Db } from '../../src/db/types.js';
import { snapshot } from '../support/snapshot.js';
import type { PlanJsonStep } from '../../src/emit/migration.js';
import { FAST, resum, tempDir, tx, upRequest, writeMigrations, type TinyMigration } from '../apply/support.js';

/** Steps written into a migration's plan.json (writeMigrations leaves them empty), by phase. */
export type PlanSteps = Readonly<Record<string, readonly PlanJsonStep[]>>;

const planStep = (change: string, object: string, sql: string, reverse: string, hazards: PlanJsonStep['hazards'] = []): PlanJsonStep => ({
  change,
  object,
  sql: [sql],
  reverse: [reverse],
  hazards,
  lock: 'access_exclusive',
  transactional: true,
});

/** The plan.json steps of `change(…)`. */
export const CHANGE_STEPS: PlanSteps = {
  expand: [
    planStep('add_column', 'add column public.child.extra', 'ALTER TABLE child ADD COLUMN extra text', 'ALTER TABLE child DROP COLUMN extra'),
    planStep('alter_column', 'alter column public.child.v', 'ALTER TABLE child ALTER COLUMN v TYPE bigint', 'ALTER TABLE child ALTER COLUMN v TYPE int', [
      { code: 'TABLE_REWRITE', message: 'rewrites public.child' },
    ]),
  ],
};

export const BASE: TinyMigration = {
  id: '20260101000000_base',
  phases: [
    {
      name: 'expand',
      up: tx(
        'CREATE TABLE parent (id int PRIMARY KEY, name text NOT NULL)',
        'CREATE TABLE child (id int PRIMARY KEY, parent_id int REFERENCES parent, v int, note text)',
        'CREATE TABLE grandchild (id int PRIMARY KEY, child_id int NOT NULL REFERENCES child, w int)',
        'CREATE TABLE tree (id int PRIMARY KEY, up int REFERENCES tree)',
      ),
      down: tx('DROP TABLE grandchild', 'DROP TABLE child', 'DROP TABLE parent', 'DROP TABLE tree'),
    },
  ],
};

/**
 * Pending: two expand steps, the first an ADD COLUMN NULL (no rewrite), the second a type change (a rewrite) that
 * holds its lock `holdMs` longer (pg_sleep in its transaction), so the workload must wait for it.
 */
export const change = (holdMs: number): TinyMigration => ({
  id: '20260102000000_change',
  phases: [
    {
      name: 'expand',
      up:
        tx('ALTER TABLE child ADD COLUMN extra text') +
        tx('ALTER TABLE child ALTER COLUMN v TYPE bigint', `SELECT pg_sleep(${holdMs / 1000})`),
      down: tx('ALTER TABLE child ALTER COLUMN v TYPE int') + tx('ALTER TABLE child DROP COLUMN extra'),
    },
  ],
});

export const ROWS_SQL = `
INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 500) g;
INSERT INTO child SELECT g, CASE WHEN g % 10 = 0 THEN NULL ELSE 1 + (g * 7919) % 500 END, g, 'n' || g FROM generate_series(1, 5000) g;
INSERT INTO grandchild SELECT g, 1 + (g * 104729) % 5000, g FROM generate_series(1, 8000) g;
INSERT INTO tree SELECT g, CASE WHEN g = 1 THEN NULL ELSE 1 + (g * 31) % (g - 1) END FROM generate_series(1, 3000) g;`;

export interface Source {
  readonly root: string;
  readonly url: string;
  /** Opens a session on the source (close it: a TEMPLATE copy needs none). */
  connect(): Promise<Db>;
  drop(): Promise<void>;
}

/** A project with `migrations` and a source database on `serverUrl` with BASE applied and ROWS_SQL inserted. */
export const makeSource = async (serverUrl: string, migrations: readonly TinyMigration[], config?: string, steps: Readonly<Record<string, PlanSteps>> = {}): Promise<Source> => {
  const root = tempDir('kk-rehearse-');
  const generated = writeMigrations(root, [BASE, ...migrations]);
  for (const [id, byPhase] of Object.entries(steps)) {
    const file = join(generated, 'migrations', id, 'plan.json');
    const plan = JSON.parse(readFileSync(file, 'utf8')) as { phases: { name: string; steps: unknown[] }[] };
    for (const p of plan.phases) p.steps = [...(byPhase[p.name] ?? [])];
    writeFileSync(file, `${JSON.stringify(plan, null, 2)}\n`);
  }
  if (Object.keys(steps).length) resum(generated);
  if (config !== undefined) writeFileSync(join(root, 'keikaku.config.ts'), config);
  const scratch: ScratchDatabase = await createScratchDatabase(serverUrl);
  try {
    const r = await runMigrations(scratch.db, upRequest(generated, { to: BASE.id, timeouts: FAST }));
    if (r.outcome !== 'done') throw new Error(JSON.stringify(r));
    await scratch.db.exec(ROWS_SQL);
    await scratch.db.exec('ANALYZE');
  } finally {
    await scratch.db.close();
  }
  return { root, url: scratch.url, connect: () => connectPg(scratch.url), drop: () => scratch.drop() };
};

/** What must not change on the source: catalog lines, every row of every table, the journal. */
export const fingerprint = async (source: Source): Promise<string> => {
  const db = await source.connect();
  try {
    const rows: string[] = [];
    for (const t of ['parent', 'child', 'grandchild', 'tree'])
      rows.push((await db.query<{ h: string }>(`SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) AS h FROM ${t} t`))[0]!.h);
    const journal = await db.query(`SELECT * FROM keikaku.journal ORDER BY seq`);
    const archive = await db.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'keikaku_archive'`);
    return JSON.stringify({ catalog: await snapshot(db), rows, journal, archive });
  } finally {
    await db.close();
  }
};

/** Scratch databases this process has on the server now (a rehearsal must leave none). */
export const scratchDatabases = async (serverUrl: string): Promise<string[]> => {
  const db = await connectPg(serverUrl);
  try {
    return (await db.query<{ d: string }>(`SELECT datname AS d FROM pg_database WHERE datname LIKE $1 ORDER BY 1`, [`%\\_${process.pid}\\_%`])).map((r) => r.d);
  } finally {
    await db.close();
  }
};
