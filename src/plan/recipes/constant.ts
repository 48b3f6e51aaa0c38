/**
 * Whether a default, as Postgres prints it (`pg_get_expr`), is a constant: a literal with optional casts
 * (`'x'::text`, `0`, `'{}'::jsonb`, `NULL::integer`). Such a default is stored once when a column is added
 * (PostgreSQL 11+). Anything else (a function call, an operator) is treated as possibly volatile: the recipe
 * then fills existing rows by backfill instead of trusting ADD COLUMN not to rewrite the table. Erring this
 * way costs a longer plan, never a rewrite under an exclusive lock.
 */
const LITERAL = String.raw`(?:'(?:[^']|'')*'|-?\d+(?:\.\d+)?(?:e[-+]?\d+)?|true|false|NULL)`;
const CAST = String.raw`(?:::(?:"(?:[^"]|"")*"|[a-z_][a-z0-9_ ]*)(?:\.(?:"(?:[^"]|"")*"|[a-z_][a-z0-9_]*))?(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*)`;
const CONSTANT = new RegExp(String.raw`^\(?${LITERAL}\)?${CAST}*$`, 'i');

export const isConstantExpression = (expression: string): boolean => CONSTANT.test(expression.trim());
