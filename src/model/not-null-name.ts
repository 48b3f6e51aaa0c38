/**
 * NOT NULL constraint names (PostgreSQL 18 keeps NOT NULL as a `pg_constraint` row with a name). An unnamed
 * NOT NULL gets `<table>_<column>_not_null`, shortened as PostgreSQL's `makeObjectName` does. Only a name that
 * does not end in `_not_null` (or `_not_null<digits>`) is the user's and compared, so unnamed NOT NULLs compare
 * equal between 17 and 18, and a history whose RENAMEs left PostgreSQL's names of the old table or column in place
 * (PostgreSQL keeps them; keikaku before this did not rename them) does not differ from a fresh CREATE TABLE. A
 * migration that renames a table or column renames such constraints itself (`followNotNullNames`).
 */
import type { Column } from './schema.js';

const NAMEDATALEN = 64;

/** The longest prefix of `s` of at most `bytes` UTF-8 bytes that does not cut a character. */
const clip = (s: string, bytes: number): string => {
  let out = '';
  let used = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (used + n > bytes) break;
    out += ch;
    used += n;
  }
  return out;
};

/** `makeObjectName(name1, name2, label)` of PostgreSQL (src/backend/commands/indexcmds.c). */
export const makeObjectName = (name1: string, name2: string, label: string): string => {
  const overhead = 1 + Buffer.byteLength(label, 'utf8') + 1;
  const avail = NAMEDATALEN - 1 - overhead;
  let n1 = Buffer.byteLength(name1, 'utf8');
  let n2 = Buffer.byteLength(name2, 'utf8');
  while (n1 + n2 > avail) {
    if (n1 > n2) n1--;
    else n2--;
  }
  return `${clip(name1, n1)}_${clip(name2, n2)}_${label}`;
};

/** The name PostgreSQL 18 gives an unnamed NOT NULL on `table.column` (without a clash). */
export const defaultNotNullName = (table: string, column: string): string => makeObjectName(table, column, 'not_null');

/** True when `name` is one PostgreSQL would choose for an unnamed NOT NULL on `table.column` (`…_not_null`, `…_not_null1`, …). */
export const isDefaultNotNullName = (table: string, column: string, name: string): boolean => {
  if (name === defaultNotNullName(table, column)) return true;
  const suffix = /^not_null(\d+)$/.exec(name.slice(name.lastIndexOf('_') + 1));
  return suffix !== null && name === makeObjectName(table, column, `not_null${suffix[1]}`);
};

/** Names of the form PostgreSQL gives unnamed NOT NULLs, for any table and column. */
const GENERATED_NAME = /_not_null\d*$/;

/**
 * The NOT NULL constraint name the user chose, or null (none, one of PostgreSQL's own form, or before 18).
 * `_table`: the table the column belongs to (kept for callers; the form alone decides).
 */
export const notNullLabel = (_table: string, c: Column): string | null =>
  c.notNull && c.notNullName !== null && !GENERATED_NAME.test(c.notNullName) ? c.notNullName : null;

/**
 * The column's NOT NULL constraint name once its table is called `toTable` and it is called `to.name`: a name
 * PostgreSQL chose after the old table and column becomes the one it would choose after the new; any other stays.
 */
export const followNotNullName = (fromTable: string, from: Column, toTable: string, toColumn: string): string | null =>
  from.notNullName !== null && isDefaultNotNullName(fromTable, from.name, from.notNullName)
    ? defaultNotNullName(toTable, toColumn)
    : from.notNullName;
