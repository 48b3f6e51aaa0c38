import { DSL } from './brand.js';

/**
 * A piece of SQL text written in a schema file (`sql\`length(name) > 0\``). Interpolated values are kept as they
 * are and turned into SQL only when the script is rendered, because a referenced object's final name (schema,
 * snake_case column name) is known only then:
 * - a column (`${staffs.name}`) → its quoted name; a table, view, type, sequence or function → its qualified name;
 * - another `sql` fragment → inlined; `sql.raw(text)` → the text as is; `sql.ident(name)` → a quoted identifier;
 * - a string → a quoted literal; a number, bigint or boolean → its text; null → NULL.
 */
export interface SqlFragment {
  readonly [DSL]: SqlData;
}

export interface SqlData {
  readonly kind: 'sql';
  /** Literal text and interpolated values, alternating as in a template: `texts.length === values.length + 1`. */
  readonly texts: readonly string[];
  readonly values: readonly unknown[];
}

export interface RawSql {
  readonly [DSL]: { readonly kind: 'raw-sql'; readonly text: string };
}
export interface SqlIdent {
  readonly [DSL]: { readonly kind: 'sql-ident'; readonly name: string };
}

const fragment = (texts: readonly string[], values: readonly unknown[]): SqlFragment =>
  Object.freeze({ [DSL]: Object.freeze({ kind: 'sql' as const, texts: Object.freeze([...texts]), values: Object.freeze([...values]) }) });

/** Tagged template for SQL expressions, bodies and bounds. */
export const sql = Object.assign(
  (strings: TemplateStringsArray, ...values: unknown[]): SqlFragment => fragment(strings, values),
  {
    /** Text spliced in unquoted (an operator, a keyword, a whole statement body). */
    raw: (text: string): RawSql => Object.freeze({ [DSL]: Object.freeze({ kind: 'raw-sql' as const, text }) }),
    /** A name spliced in as a quoted identifier. */
    ident: (name: string): SqlIdent => Object.freeze({ [DSL]: Object.freeze({ kind: 'sql-ident' as const, name }) }),
  },
);

/** A fragment of plain text, for options given as strings where SQL is expected. */
export const sqlText = (text: string): SqlFragment => fragment([text], []);

export const isSqlFragment = (value: unknown): value is SqlFragment =>
  typeof value === 'object' && value !== null && (value as { [DSL]?: { kind?: unknown } })[DSL]?.kind === 'sql';

/** SQL given either as a `sql` fragment or as plain text. */
export type SqlSource = SqlFragment | string;

export const toFragment = (s: SqlSource): SqlFragment => (typeof s === 'string' ? sqlText(s) : s);
