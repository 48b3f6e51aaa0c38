/**
 * Whether a default, as Postgres prints it (`pg_get_expr`), is safe to add with its column in one step: a
 * literal with optional casts (`'x'::text`, `0`, `'{}'::jsonb`, `NULL::integer`), or one of the stable
 * built-ins of the transaction's time and user (`now()`, `CURRENT_TIMESTAMP`, `CURRENT_USER`, …). Such a default is
 * evaluated once and stored without rewriting the table (PostgreSQL 11+). Anything else (another function call,
 * an operator) is treated as possibly volatile: the recipe fills existing rows by backfill instead of trusting
 * ADD COLUMN not to rewrite the table. Erring this way costs a longer plan, never a rewrite under an exclusive lock.
 */
const LITERAL = String.raw`(?:'(?:[^']|'')*'|-?\d+(?:\.\d+)?(?:e[-+]?\d+)?|true|false|NULL)`;
const STABLE = String.raw`(?:now\(\)|transaction_timestamp\(\)|statement_timestamp\(\)|CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME|LOCALTIMESTAMP|LOCALTIME|CURRENT_USER|CURRENT_ROLE|SESSION_USER)`;
const CAST = String.raw`(?:::(?:"(?:[^"]|"")*"|[a-z_][a-z0-9_ ]*)(?:\.(?:"(?:[^"]|"")*"|[a-z_][a-z0-9_]*))?(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*)`;
const CONSTANT = new RegExp(String.raw`^\(?(?:${LITERAL}|${STABLE})\)?${CAST}*$`, 'i');

export const isConstantExpression = (expression: string): boolean => CONSTANT.test(expression.trim());
