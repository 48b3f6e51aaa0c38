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
