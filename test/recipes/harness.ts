/**
 * A recipe judged by the database: a table in its old shape with rows, the phased migration to the new shape
 * (planned exactly as `generate` plans it), run phase by phase the way users run the files (psql on the server,
 * statement by statement on PGlite). Between phases an old-shaped and a new-shaped client read and write; the
 * rows are compared across up → down → up.
 */
import { expect } from 'vitest';
import { connectPg } from '../../src/db/pg.js';
import { loadSql } from '../../src/db/load-sql.js';
import type { Db } from '../../src/db/types.js';
import { diff } from '../../src/diff/index.js';
import { renderScript } from '../../src/emit/script.js';
import { readSchema } from '../../src/load/source.js';
import type { Phase, PhaseName } from '../../src/model/plan.js';
import { plan } from '../../src/plan/index.js';
import { planPhases, type PhaseOptions, type Strategy } from '../../src/plan/phases.js';
import type { FreshDb } from '../support/backends.js';
import { applyScript, hints } from '../support/migrate.js';

export const ID = '20261127000000_recipe';

export interface Rollout {
  readonly phases: readonly Phase[];
  readonly refusals: readonly { object: string; message: string }[];
  readonly up: (name: PhaseName) => string;
  readonly down: (name: PhaseName) => string;
  readonly names: readonly PhaseName[];
}

/**
 * The phased plan from the database's schema to the one `desiredSql` declares. Test tables live in schema `app`;
 * the desired side is read from the same database inside a transaction that is rolled back (DDL is
 * transactional), so no second database is needed.
 */
export const rolloutTo = async (db: Db, desiredSql: string, options: PhaseOptions & { renames?: string[]; strategy?: Strategy } = {}): Promise<Rollout> => {
  const current = await readSchema(db);
  await db.exec('BEGIN');
  let desired;
  try {
    await db.exec(`DROP SCHEMA app CASCADE; CREATE SCHEMA app;\n${desiredSql}`);
    desired = await readSchema(db);
  } finally {
    await db.exec('ROLLBACK');
  }
  const d = diff(current, desired, hints(options.renames ?? []));
  const { phases, refusals } = planPhases(plan(d).steps, options.strategy ?? 'phased', { id: ID, current: d.current, ...options });
  const byName = new Map(phases.map((p) => [p.name, p]));
  const script = (name: PhaseName, dir: 'up' | 'down') => {
    const p = byName.get(name);
    return p ? renderScript(p.steps, dir, [`${ID}: ${name} ${dir}`]) : '';
  };
  return { phases, refusals, up: (n) => script(n, 'up'), down: (n) => script(n, 'down'), names: phases.map((p) => p.name) };
};

/** Runs a phase file: psql against the server (autocommit outside BEGIN…COMMIT, like apply), else PGlite. */
export const run = async (fresh: FreshDb, script: string): Promise<void> => {
  if (fresh.url) return applyScript(fresh.db, script, fresh.url);
  if (script.trim()) await loadSql(fresh.db, script, 'phase.sql');
};

/** A client of its own: a second connection on the server; the one connection on PGlite (it has no other). */
export const client = async (fresh: FreshDb): Promise<{ db: Db; close(): Promise<void> }> => {
  if (!fresh.url) return { db: fresh.db, close: async () => {} };
  const db = await connectPg(fresh.url);
  return { db, close: () => db.close() };
};

/** The rows of a table as JSON, in primary-key order: what up → down → up must preserve. */
export const rows = async (db: Db, table: string, order = 'id'): Promise<unknown[]> =>
  (await db.query<{ r: unknown }>(`SELECT to_jsonb(t) AS r FROM ${table} AS t ORDER BY ${order}`)).map((x) => x.r);

export const count = async (db: Db, sql: string): Promise<number> => Number((await db.query<{ n: string | number }>(sql))[0]!.n);

/** Archive tables left in keikaku_archive (the catalog included). */
export const archives = async (db: Db): Promise<string[]> =>
  (
    await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'keikaku_archive' AND c.relkind = 'r' ORDER BY 1`,
    )
  ).map((r) => r.name);

/** Objects with the reserved temporary prefix left anywhere (triggers, functions, constraints, columns). */
/**
 * keikaku's `_kk_` objects left behind: triggers, functions, constraints, relations (a copy's index under its
 * temporary name) and table columns. An index built on a `_kk_` copy keeps that name for its own column label
 * after the swap (Postgres does not rename index columns); the index itself is renamed.
 */
export const temporaries = async (db: Db): Promise<string[]> =>
  (
    await db.query<{ name: string }>(`
      SELECT tgname::text AS name FROM pg_trigger WHERE tgname LIKE '\\_kk\\_%'
      UNION ALL SELECT proname::text FROM pg_proc WHERE proname LIKE '\\_kk\\_%'
      UNION ALL SELECT conname::text FROM pg_constraint WHERE conname LIKE '\\_kk\\_%'
      UNION ALL SELECT relname::text FROM pg_class WHERE relname LIKE '\\_kk\\_%'
      UNION ALL SELECT attname::text FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE attname LIKE '\\_kk\\_%' AND NOT attisdropped AND c.relkind IN ('r', 'p')`)
  ).map((r) => r.name);

/** Runs `fn` and says whether it failed (a client whose shape no longer fits must fail, loudly). */
export const fails = async (fn: () => Promise<unknown>): Promise<boolean> => {
  try {
    await fn();
    return false;
  } catch {
    return true;
  }
};

/** Runs every phase's up in order, calling `between(phase)` after each (the clients' turn). */
export const phaseByPhase = async (fresh: FreshDb, r: Rollout, between: (after: PhaseName) => Promise<void>): Promise<void> => {
  for (const n of r.names) {
    await run(fresh, r.up(n));
    await between(n);
  }
};

/**
 * Up every phase, down every phase newest first, up again. `snap` reads what must survive (rows, not only the
 * shape): after the downs it must equal what it was before the first up, after the second up what the first
 * up gave.
 */
export const upDownUp = async (fresh: FreshDb, r: Rollout, snap: () => Promise<unknown>): Promise<{ before: unknown; after: unknown }> => {
  const before = await snap();
  for (const n of r.names) await run(fresh, r.up(n));
  const after = await snap();
  for (const n of [...r.names].reverse()) await run(fresh, r.down(n));
  expect(await snap()).toEqual(before);
  for (const n of r.names) await run(fresh, r.up(n));
  expect(await snap()).toEqual(after);
  return { before, after };
};
