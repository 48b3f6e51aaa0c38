/**
 * Whether PostgreSQL has a cast from one built-in column type to another (pg_cast of a stock server), so that
 * `ALTER COLUMN … TYPE b USING col::b` is accepted; where it has none (uuid → integer, bytea → jsonb, …), the
 * value goes through its text form (`col::text::b`), which every type has (the I/O conversion casts). Going
 * through text when a cast exists would be wrong (`1.50::text::integer` fails where `1.50::integer` rounds), so
 * text is used only where there is no cast. Types this table does not know (extension types, domains, user types)
 * are assumed to have the cast, as before. PostgreSQL 18 added integer ↔ bytea casts (binary); going through text
 * there too (the digits as bytes) keeps one meaning on every version.
 */

const STRING = new Set(['text', 'character varying', 'character', 'name', '"char"', 'citext']);
const NUMBER = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision']);
const KNOWN = new Set([
  ...STRING, ...NUMBER, 'boolean', 'money', 'date', 'timestamp without time zone', 'timestamp with time zone',
  'time without time zone', 'time with time zone', 'interval', 'json', 'jsonb', 'uuid', 'bytea', 'inet', 'cidr',
  'macaddr', 'macaddr8', 'bit', 'bit varying', 'xml', 'tsvector', 'tsquery', 'point', 'line', 'lseg', 'box', 'path',
  'polygon', 'circle', 'oid', 'pg_lsn', 'int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange',
]);

/** Casts between two different known types, as `from>to` (both directions listed where both exist). */
const PAIRS = new Set(
  [
    'boolean>integer', 'integer>boolean',
    'integer>money', 'bigint>money', 'numeric>money', 'money>numeric',
    'date>timestamp without time zone', 'date>timestamp with time zone',
    'timestamp without time zone>date', 'timestamp with time zone>date',
    'timestamp without time zone>timestamp with time zone', 'timestamp with time zone>timestamp without time zone',
    'timestamp without time zone>time without time zone', 'timestamp with time zone>time without time zone',
    'timestamp with time zone>time with time zone',
    'time without time zone>time with time zone', 'time with time zone>time without time zone',
    'time without time zone>interval', 'interval>time without time zone',
    'json>jsonb', 'jsonb>json',
    'jsonb>boolean', ...[...NUMBER].map((n) => `jsonb>${n}`),
    'inet>cidr', 'cidr>inet', 'macaddr>macaddr8', 'macaddr8>macaddr',
    'bit>bit varying', 'bit varying>bit', 'integer>bit', 'bit>integer', 'bigint>bit', 'bit>bigint',
    'integer>oid', 'bigint>oid', 'oid>integer', 'oid>bigint', 'smallint>oid',
    'point>box', 'box>point', 'box>circle', 'circle>box', 'lseg>point', 'path>polygon', 'polygon>path',
    'polygon>box', 'polygon>circle', 'circle>polygon', 'circle>point', 'polygon>point', 'box>polygon', 'box>lseg',
  ],
);

/** `character varying(40)[]` → `character varying`: the type without modifier and array brackets. */
const base = (type: string): string =>
  type
    .replace(/(\s*\[\])+$/, '')
    .replace(/\(\s*\d+\s*(,\s*\d+\s*)?\)/g, '')
    .replace(/^interval\s+.*$/, 'interval')
    .replace(/\s+/g, ' ')
    .trim();

const dims = (type: string): number => (type.match(/\[\]/g) ?? []).length;

/** Whether `USING col::to` works for a column of type `from` (modifiers and array dimensions aside). */
export const hasCast = (from: string, to: string): boolean => {
  const a = base(from);
  const b = base(to);
  if (!KNOWN.has(a) || !KNOWN.has(b)) return true;
  if (STRING.has(a) || STRING.has(b)) return true;
  // An array casts to an array of as many dimensions, element by element; never to or from a scalar.
  if (dims(from) !== dims(to)) return false;
  if (a === b) return true;
  if (NUMBER.has(a) && NUMBER.has(b)) return true;
  return PAIRS.has(`${a}>${b}`);
};
