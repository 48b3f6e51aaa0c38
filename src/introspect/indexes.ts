/** Indexes that are objects of their own (not those backing a constraint). */
import type { Db } from '../db/types.js';
import type { Index } from '../model/schema.js';
import { runQuery, type Read } from './catalog.js';
import { bool, int, intArray, text, textOrNull } from './decode.js';

export interface ReadIndex extends Read<Omit<Index, 'columns'>> {
  readonly tableOid: number;
  /** `indkey`, key and INCLUDE columns; 0 for an expression. */
  readonly keys: readonly number[];
}

export const readIndexes = (db: Db, params: readonly unknown[]): Promise<ReadIndex[]> =>
  runQuery(db, 'indexes', params, (r) => ({
    oid: int(r, 'oid'),
    tableOid: int(r, 'table_oid'),
    keys: intArray(r, 'keys'),
    object: {
      kind: 'index',
      schema: text(r, 'schema'),
      name: text(r, 'name'),
      table: text(r, 'table'),
      definition: text(r, 'definition'),
      unique: bool(r, 'unique'),
      comment: textOrNull(r, 'comment'),
    },
  }));

/** The index with its columns named from `attnames` (oid of table or materialized view → column number → name). */
export const withColumns = (i: ReadIndex, attnames: ReadonlyMap<number, ReadonlyMap<number, string>>): Index => {
  const names = attnames.get(i.tableOid);
  const o = i.object;
  return {
    kind: 'index',
    schema: o.schema,
    name: o.name,
    table: o.table,
    definition: o.definition,
    unique: o.unique,
    columns: i.keys.map((k) => (k === 0 ? '' : (names?.get(k) ?? ''))),
    comment: o.comment,
  };
};
