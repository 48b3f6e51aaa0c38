/**
 * `keikaku reset` (development): empties a database so the migrations can be applied from the start. Every schema
 * but PostgreSQL's own is dropped with what it holds — the journal (`keikaku`) and preserved data
 * (`keikaku_archive`) included — and an empty `public` is created again. Roles and other databases are untouched.
 * The CLI guards it (never a production database; asked, or `--yes`) and then applies the migrations.
 */
import type { Db } from '../db/types.js';
import { withApplyLock, type LockHolder } from '../apply/lock.js';
import { ident } from '../render/quote.js';

export interface DatabaseContents {
  readonly schemas: readonly string[];
  readonly tables: number;
  /** Estimated from the planner's statistics (`reltuples`); -1 where a table was never analyzed counts as 0. */
  readonly rows: number;
}

const USER_SCHEMAS = `SELECT nspname::text AS name FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%' ORDER BY 1`;

/** What a reset would drop: the schemas, their tables and about how many rows. */
export const databaseContents = async (db: Db): Promise<DatabaseContents> => {
  const schemas = (await db.query<{ name: string }>(USER_SCHEMAS)).map((r) => r.name);
  const [row] = await db.query<{ tables: number; rows: string }>(
    `SELECT count(*)::int AS tables, coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint::text AS rows
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`,
  );
  return { schemas, tables: row?.tables ?? 0, rows: Number(row?.rows ?? 0) };
};

/** Drops every user schema and creates an empty `public`, holding the migration lock (no apply runs meanwhile). */
export const emptyDatabase = (db: Db, onWait: (holder: LockHolder | undefined) => void = () => undefined): Promise<readonly string[]> =>
  withApplyLock(db, onWait, async () => {
    const schemas = (await db.query<{ name: string }>(USER_SCHEMAS)).map((r) => r.name);
    await db.exec(['BEGIN', ...schemas.map((s) => `DROP SCHEMA ${ident(s)} CASCADE`), 'CREATE SCHEMA public', 'COMMIT'].join(';\n'));
    return schemas;
  });
