/**
 * Statements of the zero-downtime recipes: indexes built and dropped CONCURRENTLY, constraints added NOT VALID
 * and validated later, NOT NULL enforced through a validated CHECK, and a trigger that fills a new column for
 * writers that do not know it yet. Temporary objects carry the reserved prefix `_kk_`.
 */
import { createHash } from 'node:crypto';
import type { Column, Constraint, Index, Table } from '../model/schema.js';
import { commentStatements } from './comment.js';
import { indexBody } from './objects.js';
import { dollarQuoted, ident, qname } from './quote.js';
import { tableName } from './table.js';
import { renameNotNullSql } from './column.js';

export const TEMP_PREFIX = '_kk_';

/** A `_kk_` name within Postgres's 63 bytes, unique per table and column. */
export const tempName = (what: string, t: Table, column: string): string => {
  const full = `${TEMP_PREFIX}${what}_${t.name}_${column}`;
  if (Buffer.byteLength(full) <= 63) return full;
  return `${TEMP_PREFIX}${what}_${createHash('sha256').update(`${t.schema}.${t.name}.${column}`).digest('hex').slice(0, 16)}`;
};

export const createIndexConcurrentlySql = (i: Index): string[] => [
  `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${ident(i.name)} ON ${qname(i.schema, i.table)} ${indexBody(i)};`,
  ...commentStatements(`INDEX ${qname(i.schema, i.name)}`, null, i.comment),
];

export const dropIndexConcurrentlySql = (i: Index): string[] => [`DROP INDEX CONCURRENTLY ${qname(i.schema, i.name)};`];

const SQL_TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")*"|[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*|::|\s+|./gs;

/**
 * `sql` (an index's column list, as Postgres prints it) with every reference to column `from` made to `to`: an
 * identifier token naming it, quoted or not, that is not a function name (followed by `(`), a type (after `::`)
 * nor the index method (after USING).
 */
export const withColumnRenamed = (sql: string, from: string, to: string): string => {
  const tokens = sql.match(SQL_TOKEN) ?? [];
  const named = (t: string) => (t.startsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : /^[a-z_][a-z0-9_$]*$/.test(t) ? t : null);
  const next = (i: number) => tokens.slice(i + 1).find((t) => !/^\s+$/.test(t));
  const prev = (i: number) => tokens.slice(0, i).reverse().find((t) => !/^\s+$/.test(t));
  return tokens
    .map((t, i) => (!t.startsWith("'") && named(t) === from && next(i) !== '(' && !['::', '.', 'USING'].includes(prev(i) ?? '') ? ident(to) : t))
    .join('');
};

const KEY_DEF = /^(UNIQUE|PRIMARY KEY) (\(.*\))$/s;

/**
 * The index a plain `UNIQUE (…)` or `PRIMARY KEY (…)` constraint builds, as its own statement: the column list
 * is Postgres's printed text. Null for anything else (INCLUDE, NULLS NOT DISTINCT, DEFERRABLE, options).
 */
export const keyIndexSql = (t: Table, c: Constraint): string | null => {
  const m = KEY_DEF.exec(c.definition);
  if (!m || /\)\s/.test(m[2]!) || c.definition.includes(' DEFERRABLE')) return null;
  return `CREATE UNIQUE INDEX CONCURRENTLY ${ident(c.name)} ON ${tableName(t)} USING btree ${m[2]};`;
};

export const addKeyUsingIndexSql = (t: Table, c: Constraint): string[] => [
  `ALTER TABLE ${tableName(t)} ADD CONSTRAINT ${ident(c.name)} ${c.type === 'primary' ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX ${ident(c.name)};`,
  ...commentStatements(`CONSTRAINT ${ident(c.name)} ON ${tableName(t)}`, null, c.comment),
];

export const dropIndexIfExistsConcurrentlySql = (schema: string, name: string): string[] => [
  `DROP INDEX CONCURRENTLY IF EXISTS ${qname(schema, name)};`,
];

export const addNotValidSql = (t: Table, c: Constraint): string[] => [
  `ALTER TABLE ${tableName(t)} ADD CONSTRAINT ${ident(c.name)} ${c.definition} NOT VALID;`,
  ...commentStatements(`CONSTRAINT ${ident(c.name)} ON ${tableName(t)}`, null, c.comment),
];

export const validateSql = (t: Table, name: string): string[] => [`ALTER TABLE ${tableName(t)} VALIDATE CONSTRAINT ${ident(name)};`];

export const dropConstraintIfExistsSql = (t: Table, name: string): string[] => [
  `ALTER TABLE ${tableName(t)} DROP CONSTRAINT IF EXISTS ${ident(name)};`,
];

/** NOT NULL in three transactions: a NOT VALID check (brief lock), its validation (no write lock), then SET NOT NULL. */
export const notNullCheckSql = (t: Table, c: Column): string[] => [
  `ALTER TABLE ${tableName(t)} ADD CONSTRAINT ${ident(tempName('nn', t, c.name))} CHECK (${ident(c.name)} IS NOT NULL) NOT VALID;`,
];
export const validateNotNullSql = (t: Table, c: Column): string[] => validateSql(t, tempName('nn', t, c.name));
/** SET NOT NULL finds the validated check and skips its own scan (PostgreSQL 12+); then the check goes. */
export const setNotNullSql = (t: Table, c: Column): string[] => [
  `ALTER TABLE ${tableName(t)} ALTER COLUMN ${ident(c.name)} SET NOT NULL;`,
  ...renameNotNullSql(t, null, c),
  `ALTER TABLE ${tableName(t)} DROP CONSTRAINT ${ident(tempName('nn', t, c.name))};`,
];
export const dropNotNullSql = (t: Table, c: Column): string[] => [`ALTER TABLE ${tableName(t)} ALTER COLUMN ${ident(c.name)} DROP NOT NULL;`];
export const dropNotNullCheckSql = (t: Table, c: Column): string[] => dropConstraintIfExistsSql(t, tempName('nn', t, c.name));

/**
 * Between expand and contract, writers that do not know the new column leave it NULL: a trigger fills it from
 * the backfill expression, evaluated over the written row (`SELECT expr FROM (SELECT NEW.*)`), so the
 * expression is written as in `UPDATE … SET c = expr`.
 */
export const fillTriggerSql = (t: Table, c: Column, expression: string): string[] => {
  const fn = qname(t.schema, tempName('fill', t, c.name));
  const col = ident(c.name);
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS ${dollarQuoted(`\nBEGIN\n  IF NEW.${col} IS NULL THEN\n    NEW.${col} := (SELECT ${expression} FROM (SELECT NEW.*) AS ${ident(t.name)});\n  END IF;\n  RETURN NEW;\nEND\n`)};`,
    `CREATE TRIGGER ${ident(tempName('fill', t, c.name))} BEFORE INSERT OR UPDATE ON ${tableName(t)} FOR EACH ROW EXECUTE FUNCTION ${fn}();`,
  ];
};

export const dropFillTriggerSql = (t: Table, c: Column): string[] => [
  `DROP TRIGGER IF EXISTS ${ident(tempName('fill', t, c.name))} ON ${tableName(t)};`,
  `DROP FUNCTION IF EXISTS ${qname(t.schema, tempName('fill', t, c.name))}();`,
];


/**
 * Keeps two columns in step while old code writes `a` and new code writes `b` (a rename between expand and
 * contract). An INSERT that leaves `b` NULL came from old code: `b` takes `a`; otherwise `a` takes `b`. An UPDATE
 * copies whichever side it changed (`b` when both). NOT NULL and CHECKs run after BEFORE triggers, so a writer
 * that leaves out the other column still passes them. `toB`/`toA` convert between the columns' types.
 */
export const syncTriggerSql = (t: Table, a: Column, b: Column, toB: (x: string) => string, toA: (x: string) => string): string[] => {
  const fn = qname(t.schema, tempName('sync', t, b.name));
  const [A, B] = [ident(a.name), ident(b.name)];
  const body = [
    'BEGIN',
    "  IF TG_OP = 'INSERT' THEN",
    `    IF NEW.${B} IS NULL THEN NEW.${B} := ${toB(`NEW.${A}`)}; ELSE NEW.${A} := ${toA(`NEW.${B}`)}; END IF;`,
    `  ELSIF NEW.${B} IS DISTINCT FROM OLD.${B} THEN`,
    `    NEW.${A} := ${toA(`NEW.${B}`)};`,
    `  ELSIF NEW.${A} IS DISTINCT FROM OLD.${A} THEN`,
    `    NEW.${B} := ${toB(`NEW.${A}`)};`,
    '  END IF;',
    '  RETURN NEW;',
    'END',
  ].join('\n');
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS ${dollarQuoted(`\n${body}\n`)};`,
    `CREATE TRIGGER ${ident(tempName('sync', t, b.name))} BEFORE INSERT OR UPDATE ON ${tableName(t)} FOR EACH ROW EXECUTE FUNCTION ${fn}();`,
  ];
};

export const dropSyncTriggerSql = (t: Table, b: Column): string[] => [
  `DROP TRIGGER IF EXISTS ${ident(tempName('sync', t, b.name))} ON ${tableName(t)};`,
  `DROP FUNCTION IF EXISTS ${qname(t.schema, tempName('sync', t, b.name))}();`,
];

/** One way: every write of `a` is converted into `b` (a type change: only `a` is written by any code). */
export const copyTriggerSql = (t: Table, a: Column, b: string, convert: (x: string) => string): string[] => {
  const fn = qname(t.schema, tempName('copy', t, a.name));
  return [
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS ${dollarQuoted(`\nBEGIN\n  NEW.${ident(b)} := ${convert(`NEW.${ident(a.name)}`)};\n  RETURN NEW;\nEND\n`)};`,
    `CREATE TRIGGER ${ident(tempName('copy', t, a.name))} BEFORE INSERT OR UPDATE ON ${tableName(t)} FOR EACH ROW EXECUTE FUNCTION ${fn}();`,
  ];
};

export const dropCopyTriggerSql = (t: Table, a: Column): string[] => [
  `DROP TRIGGER IF EXISTS ${ident(tempName('copy', t, a.name))} ON ${tableName(t)};`,
  `DROP FUNCTION IF EXISTS ${qname(t.schema, tempName('copy', t, a.name))}();`,
];
