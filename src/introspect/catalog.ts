/**
 * Runs the catalog queries of `sql/*.sql`. The files are read at run time relative to this module; the path goes
 * through `src/` so that it resolves the same from `src/introspect/` (tests) and from `dist/introspect/` (build).
 */
import { readFile } from 'node:fs/promises';
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

const texts = new Map<QueryName, Promise<string>>();

export const querySql = (name: QueryName): Promise<string> => {
  let sql = texts.get(name);
  if (!sql) {
    sql = readFile(new URL(`../../src/introspect/sql/${name}.sql`, import.meta.url), 'utf8');
    texts.set(name, sql);
  }
  return sql;
};

export class CatalogQueryError extends Error {
  override readonly name = 'CatalogQueryError';
}

/** Runs one catalog query and decodes each row; failures name the query and keep their cause. */
export const runQuery = async <T>(
  db: Db,
  name: QueryName,
  params: readonly unknown[],
  decode: (row: Row) => T,
): Promise<T[]> => {
  const sql = await querySql(name);
  let rows: Row[];
  try {
    rows = await db.query<Row>(sql, params);
  } catch (cause) {
    throw new CatalogQueryError(`catalog query ${name}.sql failed on ${db.label}: ${String(cause)}`, { cause });
  }
  try {
    return rows.map(decode);
  } catch (cause) {
    throw new CatalogQueryError(`catalog query ${name}.sql returned an unexpected row: ${String(cause)}`, { cause });
  }
};
