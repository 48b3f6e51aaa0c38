/**
 * Runs the catalog queries of `sql/*.sql`. The files are read at run time relative to this module; the path goes
 * through `src/` so that it resolves the same from `src/introspect/` (tests) and from `dist/introspect/` (build).
 */
import { readFileSync } from 'node:fs';
import type { Db } from '../db/types.js';
import type { Row } from './decode.js';

export type QueryName =
  | 'session'
  | 'restore-session'
  | 'schemas'
  | 'extensions'
  | 'enums'
  | 'domains'
  | 'composites'
  | 'sequences'
  | 'tables'
  | 'columns'
  | 'constraints'
  | 'indexes'
  | 'views'
  | 'view-columns'
  | 'functions'
  | 'triggers'
  | 'policies'
  | 'dependencies';

/** A model object read from the catalogs, with the oid of its catalog row. */
export interface Read<T> {
  readonly oid: number;
  readonly object: T;
}

const texts = new Map<QueryName, string>();

/** A query's text, read once per process (small files; read synchronously, so a query is sent when it is asked for). */
export const querySql = (name: QueryName): string => {
  let sql = texts.get(name);
  if (sql === undefined) {
    sql = readFileSync(new URL(`../../src/introspect/sql/${name}.sql`, import.meta.url), 'utf8');
    texts.set(name, sql);
  }
  return sql;
};

export class CatalogQueryError extends Error {
  override readonly name = 'CatalogQueryError';
}

/** Until the event loop has run what is due (I/O, the next query queued on the session). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs one catalog query and decodes each row; failures name the query and keep their cause. The query is sent
 * (queued on the `Db`'s one session) before this returns. Where the `Db` streams rows (`eachRow`), each is decoded
 * as it arrives, so the driver's row objects die young instead of all being held until the last one; otherwise
 * the rows are decoded a turn of the event loop after they arrive: a caller that asked for several queries at once
 * has the next one sent first, so the server runs it while these rows are decoded.
 */
export const runQuery = async <T>(
  db: Db,
  name: QueryName,
  params: readonly unknown[],
  decode: (row: Row) => T,
): Promise<T[]> => {
  const sql = querySql(name);
  if (db.eachRow) {
    const out: T[] = [];
    let bad: { readonly cause: unknown } | undefined;
    try {
      await db.eachRow<Row>(sql, params, (row) => {
        if (bad) return;
        try {
          out.push(decode(row));
        } catch (cause) {
          bad = { cause };
        }
      });
    } catch (cause) {
      throw queryFailed(name, db, cause);
    }
    if (bad) throw unexpectedRow(name, bad.cause);
    return out;
  }
  let rows: Row[];
  try {
    rows = await db.query<Row>(sql, params);
  } catch (cause) {
    throw queryFailed(name, db, cause);
  }
  await nextTurn();
  try {
    return rows.map(decode);
  } catch (cause) {
    throw unexpectedRow(name, cause);
  }
};

const queryFailed = (name: QueryName, db: Db, cause: unknown) =>
  new CatalogQueryError(`catalog query ${name}.sql failed on ${db.label}: ${String(cause)}`, { cause });

const unexpectedRow = (name: QueryName, cause: unknown) =>
  new CatalogQueryError(`catalog query ${name}.sql returned an unexpected row: ${String(cause)}`, { cause });
