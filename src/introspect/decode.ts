/**
 * Field readers for catalog rows. Drivers disagree on some types (`pg` returns int8 as a string and leaves `name[]`
 * unparsed; PGlite returns numbers and arrays), so the queries cast to text, int, text[] or json, and these readers
 * accept every shape a driver may legitimately produce for those. A row of the wrong shape is a broken invariant
 * (the query and its decoder disagree) and throws `RowShapeError`.
 */
import type { Grant } from '../model/schema.js';
import { byText } from './order.js';

export type Row = Readonly<Record<string, unknown>>;

export class RowShapeError extends Error {
  override readonly name = 'RowShapeError';
}

const fail = (row: Row, field: string, expected: string): never => {
  throw new RowShapeError(`field "${field}" should be ${expected}, got ${JSON.stringify(row[field])}`);
};

export const text = (row: Row, field: string): string => {
  const v = row[field];
  return typeof v === 'string' ? v : fail(row, field, 'text');
};

export const textOrNull = (row: Row, field: string): string | null => (row[field] == null ? null : text(row, field));

/** An integer or oid, whether the driver gives a number, a bigint or its decimal text. */
export const int = (row: Row, field: string): number => {
  const v = row[field];
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return fail(row, field, 'an integer');
};

export const intOrNull = (row: Row, field: string): number | null => (row[field] == null ? null : int(row, field));

export const bool = (row: Row, field: string): boolean => {
  const v = row[field];
  return typeof v === 'boolean' ? v : fail(row, field, 'a boolean');
};

export const boolOrNull = (row: Row, field: string): boolean | null => (row[field] == null ? null : bool(row, field));

const array = (row: Row, field: string): readonly unknown[] => {
  const v = row[field];
  return Array.isArray(v) ? v : fail(row, field, 'an array');
};

export const textArray = (row: Row, field: string): string[] =>
  array(row, field).map((x) => (typeof x === 'string' ? x : fail(row, field, 'an array of text')));

export const intArray = (row: Row, field: string): number[] =>
  array(row, field).map((x) => {
    if (typeof x === 'number' && Number.isInteger(x)) return x;
    if (typeof x === 'string' && /^-?\d+$/.test(x)) return Number(x);
    return fail(row, field, 'an array of integers');
  });

/** A json value, parsed by the driver or still text. */
export const json = (row: Row, field: string): unknown => {
  const v = row[field];
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return fail(row, field, 'json');
  }
};

/** A json array of objects, each read with the same readers. */
export const jsonRows = (row: Row, field: string): Row[] => {
  const v = json(row, field);
  if (v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'object' && x !== null)) return fail(row, field, 'a json array');
  return v as Row[];
};

/**
 * The json array of `{grantee, privilege, grantable}` built from `aclexplode`, sorted and without duplicates (a
 * privilege granted by two grantors is one row per grantor there).
 */
export const grants = (row: Row, field: string): Grant[] => {
  const all = jsonRows(row, field)
    .map((g) => ({ grantee: text(g, 'grantee'), privilege: text(g, 'privilege'), grantable: bool(g, 'grantable') }))
    .sort(byText((g) => [g.grantee, g.privilege, g.grantable ? '1' : '0']));
  return all.filter((g, i) => {
    const prev = all[i - 1];
    return !prev || prev.grantee !== g.grantee || prev.privilege !== g.privilege || prev.grantable !== g.grantable;
  });
};
