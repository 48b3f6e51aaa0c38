import { readFile } from 'node:fs/promises';
import type { Db } from '../../src/db/types.js';
import { snapshotSqlPath } from './paths.js';

export interface SnapshotOptions {
  /**
   * Keep the `constraint … NOT NULL col` lines. PostgreSQL 18 (PGlite) stores NOT NULL as `pg_constraint` rows
   * (contype 'n'), so snapshot.sql lists them as constraints there and not on 13–17; the `column … not_null` lines
   * are the same everywhere. Pass `false` to compare a PG18 snapshot with an older server's. Default `true`.
   */
  readonly notNullConstraints?: boolean;
}

let sqlText: Promise<string> | undefined;

/**
 * The catalog snapshot of a database (shared/acceptance/snapshot.sql): one sorted line per user-visible object.
 * Two databases hold the same schema exactly when their snapshots are equal (see `notNullConstraints`).
 */
export const snapshot = async (db: Db, options: SnapshotOptions = {}): Promise<string[]> => {
  sqlText ??= readFile(snapshotSqlPath, 'utf8');
  const rows = await db.query<{ line: string }>(await sqlText);
  const lines = rows.map((r) => r.line);
  if (options.notNullConstraints !== false) return lines;
  // Exactly the lines of contype 'n' constraints, found by name rather than by the shape of their text.
  const notNull = await db.query<{ prefix: string }>(
    `SELECT 'constraint ' || quote_ident(n.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(co.conname) || ' ' AS prefix
       FROM pg_catalog.pg_constraint co
       JOIN pg_catalog.pg_class c ON c.oid = co.conrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE co.contype::text = 'n'`,
  );
  const prefixes = notNull.map((r) => r.prefix);
  return lines.filter((line) => !prefixes.some((p) => line.startsWith(p)));
};

/** `constraint <table>.<name> NOT NULL <column>`, as PostgreSQL 18 prints a contype 'n' constraint. */
const NOT_NULL_CONSTRAINT = /^constraint .* NOT NULL (?:"(?:[^"]|"")*"|[^ "]+)(?: NO INHERIT)?(?: NOT VALID)?(?: \(not validated\))?$/;

/**
 * Drops PG18's NOT NULL constraint lines from a snapshot already taken (e.g. a saved golden file), by their text.
 * Prefer `snapshot(db, { notNullConstraints: false })`, which asks the catalog.
 */
export const withoutNotNullConstraints = (lines: readonly string[]): string[] =>
  lines.filter((line) => !NOT_NULL_CONSTRAINT.test(line));
