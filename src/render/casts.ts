/**
 * Whether PostgreSQL has a cast from one built-in column type to another (pg_cast of a stock server), so that
 * `ALTER COLUMN … TYPE b USING col::b` is accepted; where it has none (uuid → integer, bytea → jsonb, …), the
 * value goes through its text form (`col::text::b`), which every type has (the I/O conversion casts). Going
 * through text when a cast exists would be wrong (`1.50::text::integer` fails where `1.50::integer` rounds), so
 * text is used only where there is no cast. Types this table does not know (extension types, domains, user types)
 * are assumed to have the cast, as before. PostgreSQL 18 added integer ↔ bytea casts (binary); going through text
 * there too (the digits as bytes) keeps one meaning on every version. Types are named as the parser names them
 * (`int4`, `varchar`, `timestamptz`), read from `format_type` text by `formatTypeInfo`.
 */
import { formatTypeInfo } from '../model/type-change.js';

const STRING = new Set(['text', 'varchar', 'bpchar', 'name', '"char"', 'citext']);
const NUMBER = new Set(['int2', 'int4', 'int8', 'numeric', 'float4', 'float8']);
const KNOWN = new Set([
  ...STRING, ...NUMBER, 'bool', 'money', 'date', 'timestamp', 'timestamptz', 'time', 'timetz', 'interval', 'json',
  'jsonb', 'uuid', 'bytea', 'inet', 'cidr', 'macaddr', 'macaddr8', 'bit', 'varbit', 'xml', 'tsvector', 'tsquery',
  'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle', 'oid', 'pg_lsn', 'int4range', 'int8range', 'numrange',
  'tsrange', 'tstzrange', 'daterange',
]);

/** Casts between two different known types, as `from>to` (both directions listed where both exist). */
const PAIRS = new Set([
  'bool>int4', 'int4>bool',
  'int4>money', 'int8>money', 'numeric>money', 'money>numeric',
  'date>timestamp', 'date>timestamptz', 'timestamp>date', 'timestamptz>date',
  'timestamp>timestamptz', 'timestamptz>timestamp', 'timestamp>time', 'timestamptz>time', 'timestamptz>timetz',
  'time>timetz', 'timetz>time', 'time>interval', 'interval>time',
  'json>jsonb', 'jsonb>json', 'jsonb>bool', ...[...NUMBER].map((n) => `jsonb>${n}`),
  'inet>cidr', 'cidr>inet', 'macaddr>macaddr8', 'macaddr8>macaddr',
  'bit>varbit', 'varbit>bit', 'int4>bit', 'bit>int4', 'int8>bit', 'bit>int8',
  'int4>oid', 'int8>oid', 'oid>int4', 'oid>int8', 'int2>oid',
  'point>box', 'box>point', 'box>circle', 'circle>box', 'lseg>point', 'path>polygon', 'polygon>path',
  'polygon>box', 'polygon>circle', 'circle>polygon', 'circle>point', 'polygon>point', 'box>polygon', 'box>lseg',
]);

/** Whether `USING col::to` works for a column of type `from` (modifiers aside), both as `format_type` prints them. */
export const hasCast = (from: string, to: string): boolean => {
  const a = formatTypeInfo(from);
  const b = formatTypeInfo(to);
  if (a.schema !== undefined || b.schema !== undefined || !KNOWN.has(a.name) || !KNOWN.has(b.name)) return true;
  if (STRING.has(a.name) || STRING.has(b.name)) return true;
  // An array casts to an array, element by element; never to or from a scalar.
  if (a.array !== b.array) return false;
  if (a.name === b.name) return true;
  if (NUMBER.has(a.name) && NUMBER.has(b.name)) return true;
  return PAIRS.has(`${a.name}>${b.name}`);
};
