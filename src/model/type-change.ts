/**
 * Whether `ALTER COLUMN … TYPE` rewrites the table, from the old and new types. PostgreSQL skips the rewrite when
 * the new type is binary-compatible and its length/precision check cannot fail on old values; measured in
 * test/lint/premises.test.ts (relfilenode before and after, on the server and PGlite). `lint` judges statements
 * with it, and the planner the type changes it plans (with `formatTypeInfo` for the catalog's type names).
 */

/** A column type as the parser normalizes it: `varchar` with mods `[20]`, `int4`, `timestamptz`, … */
export interface TypeInfo {
  readonly name: string;
  /** Type modifiers that are integer constants (length, precision, scale); `undefined` for none. */
  readonly mods: readonly number[];
  readonly array: boolean;
  /** Written with a schema other than pg_catalog (a user type). */
  readonly schema?: string;
}

export interface TypeChange {
  /** true: rewrites; false: does not; undefined: cannot tell without the old type. */
  readonly rewrites: boolean | undefined;
  /** The new type holds less than the old one (values may fail to convert or lose precision). */
  readonly narrows: boolean;
}

/** Types whose modifier only limits length or precision: a larger (or no) limit keeps every value as it is. */
const LIMITED = new Set(['varchar', 'varbit', 'timestamp', 'timestamptz', 'time', 'timetz', 'interval']);
/** Text-like types stored alike: text and an unlimited varchar are interchangeable without a rewrite. */
const TEXTLIKE = new Set(['text', 'varchar']);
/** Target types that may or may not rewrite depending on the old type (so unknown old type: cannot tell). */
const MAYBE_FREE = new Set(['text', 'varchar', 'numeric', 'varbit', 'inet', 'timestamp', 'timestamptz', 'time', 'timetz', 'interval']);
/** Integer and float widths, for narrowing. */
const WIDTH: Readonly<Record<string, number>> = { int2: 2, int4: 4, int8: 8, float4: 4, float8: 8 };

/** A limit of `undefined` means none (unlimited). */
const limit = (t: TypeInfo): number | undefined => t.mods[0];
const wider = (from: number | undefined, to: number | undefined): boolean => to === undefined || (from !== undefined && to >= from);

const sameElement = (from: TypeInfo, to: TypeInfo): TypeChange => {
  if (from.name === to.name && from.mods.join(',') === to.mods.join(',')) return { rewrites: false, narrows: false };
  if (from.name === to.name && LIMITED.has(to.name)) {
    const ok = wider(limit(from), limit(to));
    return { rewrites: !ok, narrows: !ok };
  }
  if (TEXTLIKE.has(from.name) && TEXTLIKE.has(to.name)) {
    // varchar(n) → text / varchar: free; text / varchar → varchar(n): every value checked (a rewrite).
    const ok = limit(to) === undefined || (from.name === 'varchar' && wider(limit(from), limit(to)));
    return { rewrites: !ok, narrows: !ok };
  }
  if (from.name === 'numeric' && to.name === 'numeric') {
    const [p1, s1 = 0] = from.mods;
    const [p2, s2 = 0] = to.mods;
    if (p2 === undefined) return { rewrites: false, narrows: false };
    if (p1 === undefined) return { rewrites: true, narrows: true };
    const ok = s2 === s1 && p2 >= p1;
    return { rewrites: !ok, narrows: p2 - s2 < p1 - s1 || s2 < s1 };
  }
  if (from.name === 'cidr' && to.name === 'inet') return { rewrites: false, narrows: false };
  const w1 = WIDTH[from.name];
  const w2 = WIDTH[to.name];
  const narrows = w1 !== undefined && w2 !== undefined && w2 < w1;
  return { rewrites: true, narrows };
};

const TIMESTAMPS = new Set(['timestamp', 'timestamptz']);

/**
 * What changing a column from `from` (unknown: undefined) to `to` does; `using` when a USING clause is given;
 * `utc` when the session TimeZone is known to be UTC (then timestamp ↔ timestamptz is free, PostgreSQL 12+).
 */
export const typeChange = (from: TypeInfo | undefined, to: TypeInfo, using: boolean, utc = false): TypeChange => {
  if (!from) return { rewrites: using || !MAYBE_FREE.has(to.name) || to.schema !== undefined ? true : undefined, narrows: false };
  if (from.array !== to.array) return { rewrites: true, narrows: false };
  if (TIMESTAMPS.has(from.name) && TIMESTAMPS.has(to.name) && from.name !== to.name && !using) {
    const ok = utc && wider(limit(from), limit(to));
    return { rewrites: !ok, narrows: false };
  }
  if (from.schema !== to.schema && from.name === to.name) return { rewrites: true, narrows: false };
  return sameElement(from, to);
};

/** `format_type` names → the parser's internal names. */
const INTERNAL: Readonly<Record<string, string>> = {
  smallint: 'int2',
  integer: 'int4',
  bigint: 'int8',
  real: 'float4',
  'double precision': 'float8',
  boolean: 'bool',
  character: 'bpchar',
  'character varying': 'varchar',
  'bit varying': 'varbit',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'time without time zone': 'time',
  'time with time zone': 'timetz',
};

/**
 * A type as `format_type` prints it (`character varying(40)`, `timestamp(3) with time zone`, `numeric(10,2)[]`,
 * `public.mood`) → its parts, as the parser would give them for the same type written in SQL.
 */
export const formatTypeInfo = (text: string): TypeInfo => {
  let t = text.trim();
  const array = /\[\]$/.test(t);
  t = t.replace(/(\s*\[\])+$/, '');
  const mods = [...t.matchAll(/\((\d+)(?:\s*,\s*(\d+))?\)/g)].flatMap((m) => (m[2] === undefined ? [Number(m[1])] : [Number(m[1]), Number(m[2])]));
  t = t.replace(/\s*\(\d+(?:\s*,\s*\d+)?\)/g, '').replace(/\s+/g, ' ');
  if (/^interval\b/.test(t)) t = 'interval';
  const dot = /^("(?:[^"]|"")+"|[^."]+)\.(.+)$/.exec(t);
  if (dot && !INTERNAL[t]) return { name: dot[2]!.replace(/^"|"$/g, ''), mods, array, schema: dot[1]!.replace(/^"|"$/g, '') };
  return { name: INTERNAL[t] ?? t, mods, array };
};
