import { readFile } from 'node:fs/promises';
import type { Db } from '../../src/db/types.js';
import { catalogSnapshotPath } from './paths.js';

export interface SnapshotOptions {
  /**
   * Keep the `not null constraint …` lines. PostgreSQL 18 (PGlite) stores a column's NOT NULL as a `pg_constraint`
   * row too (contype 'n'), 13–17 do not; the `column … not null` lines are the same everywhere. Pass `false` to
   * compare a PostgreSQL 18 snapshot with an older server's. Default `true`.
   */
  readonly notNullConstraints?: boolean;
}

/** The prefix of the lines of contype 'n' constraints in `catalog-snapshot.sql`. */
const NOT_NULL_CONSTRAINT = 'not null constraint ';

let sqlText: Promise<string> | undefined;

/**
 * The catalog snapshot of a database (test/support/catalog-snapshot.sql): one sorted line per user-visible object.
 * Two databases hold the same schema exactly when their snapshots are equal (see `notNullConstraints`).
 */
export const snapshot = async (db: Db, options: SnapshotOptions = {}): Promise<string[]> => {
  sqlText ??= readFile(catalogSnapshotPath, 'utf8');
  const rows = await db.query<{ line: string }>(await sqlText);
  const lines = rows.map((r) => r.line);
  return options.notNullConstraints === false ? withoutNotNullConstraints(lines) : lines;
};

/** Drops PostgreSQL 18's NOT NULL constraint lines from a snapshot already taken (e.g. a saved golden file). */
export const withoutNotNullConstraints = (lines: readonly string[]): string[] =>
  lines.filter((line) => !line.startsWith(NOT_NULL_CONSTRAINT));
