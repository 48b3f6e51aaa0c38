/**
 * The one place identifiers and literals become SQL text. Every name that reaches SQL goes through `ident`,
 * every string value through `literal`, so names with quotes, spaces, capitals, unicode or reserved words survive.
 */

/** Always quotes: `"User Table"`, `"a""b"`. Quoting every identifier makes reserved words and case safe. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** `"schema"."name"`. */
export const qname = (schema: string, name: string): string => `${ident(schema)}.${ident(name)}`;

/**
 * A string literal. Backslashes are literal in standard strings (standard_conforming_strings is on in every
 * supported version); an E'' string is used only when the value has a backslash, so output reads naturally.
 */
export const literal = (value: string): string => {
  if (value.includes('\\')) return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  return `'${value.replace(/'/g, "''")}'`;
};

/** A nullable literal: `NULL` for null (used by COMMENT ... IS NULL). */
export const literalOrNull = (value: string | null): string => (value === null ? 'NULL' : literal(value));

/**
 * Keywords `quote_ident` quotes: every category but unreserved (reserved, type/function-name and column-name
 * keywords, `pg_get_keywords()` catcode R, T, C) as PostgreSQL 15 lists them, and those added since with the
 * version that made them keywords. Tested against `pg_get_keywords()` and `quote_ident` on each backend.
 */
const QUOTED_KEYWORDS: ReadonlyMap<string, number> = new Map([
  ...(
    'all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean ' +
    'both case cast char character check coalesce collate collation column concurrently constraint ' +
    'create cross current_catalog current_date current_role current_schema current_time ' +
    'current_timestamp current_user dec decimal default deferrable desc distinct do else end except ' +
    'exists extract false fetch float for foreign freeze from full grant greatest group grouping having ' +
    'ilike in initially inner inout int integer intersect interval into is isnull join lateral leading ' +
    'least left like limit localtime localtimestamp national natural nchar none normalize not notnull ' +
    'null nullif numeric offset on only or order out outer overlaps overlay placing position precision ' +
    'primary real references returning right row select session_user setof similar smallint some ' +
    'substring symmetric table tablesample then time timestamp to trailing treat trim true union unique ' +
    'user using values varchar variadic verbose when where window with xmlattributes xmlconcat ' +
    'xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable'
  )
    .split(' ')
    .map((w) => [w, 0] as const),
  ...['json', 'json_array', 'json_arrayagg', 'json_exists', 'json_object', 'json_objectagg', 'json_query', 'json_scalar', 'json_serialize', 'json_table', 'json_value', 'system_user'].map((w) => [w, 160_000] as const),
  ['merge_action', 170_000],
]);

/**
 * An identifier as PostgreSQL prints it (`quote_ident`, and so `pg_get_expr`, `pg_get_indexdef`, `format_type`,
 * `::regclass` output): bare when it is lower-case letters, digits and `_` (not starting with a digit) and not a
 * keyword of `serverVersion` that needs quoting; else double-quoted. For finding names in text Postgres printed;
 * SQL that keikaku writes uses `ident`.
 */
export const printedIdent = (name: string, serverVersion = Number.MAX_SAFE_INTEGER): string => {
  const since = QUOTED_KEYWORDS.get(name);
  return /^[a-z_][a-z0-9_]*$/.test(name) && (since === undefined || since > serverVersion) ? name : ident(name);
};

/**
 * `body` as a dollar-quoted string whose tag (`first`, else `$kk1$`, `$kk2$`, …) the body cannot end early: a name,
 * a literal or an expression inside a function body or a DO block never closes the quote and runs as SQL.
 */
export const dollarQuoted = (body: string, first = '$kk$'): string => {
  // The body followed by the tag must show the tag only at its end (a body ending in `$kk` would close `$kk$` early).
  const fits = (tag: string) => (body + tag).indexOf(tag) === body.length;
  let tag = first;
  for (let i = 0; !fits(tag); i++) tag = `$kk${i === 0 ? '' : i}$`;
  return `${tag}${body}${tag}`;
};
