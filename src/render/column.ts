import { hasCast } from './casts.js';
import type { Column, Table } from '../model/schema.js';
import { commentStatements } from './comment.js';
import { grantStatements } from './grants.js';
import { dollarQuoted, ident, literal, qname } from './quote.js';
import { narrows } from './sequence.js';
import { defaultNotNullName, notNullLabel } from '../model/not-null-name.js';
import { columnCommentTarget, columnDefinition, tableName } from './table.js';

export const addColumnSql = (t: Table, c: Column): string[] => [
  `ALTER TABLE ${tableName(t)} ADD COLUMN ${columnDefinition(c, t.name)};`,
  ...commentStatements(columnCommentTarget(t, c.name), null, c.comment),
  ...grantStatements(`TABLE ${tableName(t)}`, [], c.grants, c.name),
];

/** `only`: from this table alone; inheritance children keep the column as their own. */
export const dropColumnSql = (t: Table, c: Column, only = false): string[] => [
  `ALTER TABLE ${only ? 'ONLY ' : ''}${tableName(t)} DROP COLUMN ${ident(c.name)};`,
];

export const renameColumnSql = (t: Table, from: Column, to: Column): string[] => [
  `ALTER TABLE ${tableName(t)} RENAME COLUMN ${ident(from.name)} TO ${ident(to.name)};`,
  ...followNotNullNamesSql(t, [from], [to]),
];

/**
 * PostgreSQL 18 keeps NOT NULL constraint names through RENAME: the names it chose after the old table or column
 * (`from`, by position) are renamed to the ones it would choose now (`to`, from `followNotNullName`), as a fresh
 * CREATE TABLE names them. Nothing before 18 (no names) or for names the user chose (they stay).
 */
export const followNotNullNamesSql = (t: Table, from: readonly Column[], to: readonly Column[]): string[] =>
  from.flatMap((f, i) => {
    const x = to[i];
    return f.notNull && x && f.notNullName !== null && x.notNullName !== null && f.notNullName !== x.notNullName
      ? [renameNotNullConstraintSql(t, f.notNullName, x.notNullName)]
      : [];
  });

/**
 * RENAME CONSTRAINT of a NOT NULL constraint, only where it exists: a migration made in a PostgreSQL 18 shadow
 * (PGlite) may run on 13–17, which have no NOT NULL constraints.
 */
export const renameNotNullConstraintSql = (t: Table, from: string, to: string): string =>
  `DO ${dollarQuoted(` BEGIN IF EXISTS (SELECT FROM pg_catalog.pg_constraint WHERE conrelid = ${literal(tableName(t))}::pg_catalog.regclass AND conname = ${literal(from)} AND contype = 'n') THEN ALTER TABLE ${tableName(t)} RENAME CONSTRAINT ${ident(from)} TO ${ident(to)}; END IF; END `)};`;

const sameIdentitySequence = (a: Column, b: Column) =>
  a.identity !== null &&
  b.identity !== null &&
  a.identity.sequenceSchema === b.identity.sequenceSchema &&
  a.identity.sequenceName === b.identity.sequenceName;

/** True when the column's type or collation differs: the column is rewritten and dependents must be rebuilt. */
export const typeChanged = (from: Column, to: Column) => from.type !== to.type || from.collation !== to.collation;

/**
 * Alters one column in place from `from` to `to`. Generated-expression changes never reach here (the differ
 * drops and adds such columns). Order: identity off, default off, type, default on, NOT NULL, identity on.
 */
export const alterColumnSql = (t: Table, from: Column, to: Column, viaText = false): string[] => {
  const table = tableName(t);
  const col = `ALTER TABLE ${table} ALTER COLUMN ${ident(to.name)}`;
  const out: string[] = [];
  const retype = typeChanged(from, to);
  const identityRebuilt = from.identity !== null && (to.identity === null || !sameIdentitySequence(from, to));
  if (identityRebuilt) out.push(`${col} DROP IDENTITY;`);
  const defaultChanged = from.default !== to.default;
  if (from.default !== null && (defaultChanged || retype)) out.push(`${col} DROP DEFAULT;`);
  if (retype) {
    const collate = to.collation ? ` COLLATE ${to.collation}` : '';
    const text = viaText || !hasCast(from.type, to.type);
    const dims = text ? (to.type.match(/(\[\])+$/) ?? [''])[0] : '';
    const through = text ? `::text${dims}` : '';
    out.push(`${col} TYPE ${to.type}${collate} USING ${ident(to.name)}${through}::${to.type};`);
  }
  if (to.default !== null && (defaultChanged || retype)) out.push(`${col} SET DEFAULT ${to.default};`);
  if (from.notNull !== to.notNull && !(to.identity && !from.notNull)) {
    out.push(`${col} ${to.notNull ? 'SET' : 'DROP'} NOT NULL;`);
    if (to.notNull) out.push(...renameNotNullSql(t, null, to));
  }
  if (to.identity) {
    const id = to.identity;
    const opts = `START WITH ${id.start} INCREMENT BY ${id.increment} MINVALUE ${id.min} MAXVALUE ${id.max} CACHE ${id.cache} ${id.cycle ? 'CYCLE' : 'NO CYCLE'}`;
    if (identityRebuilt || from.identity === null) {
      if (!from.notNull) out.push(`${col} SET NOT NULL;`);
      out.push(
        `${col} ADD GENERATED ${id.always ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY (SEQUENCE NAME ${qname(id.sequenceSchema, id.sequenceName)} ${opts});`,
      );
    } else {
      const f = from.identity!;
      const parts: string[] = [];
      if (f.always !== id.always) parts.push(`SET GENERATED ${id.always ? 'ALWAYS' : 'BY DEFAULT'}`);
      if (f.start !== id.start) parts.push(`SET START WITH ${id.start}`);
      if (f.increment !== id.increment) parts.push(`SET INCREMENT BY ${id.increment}`);
      if (f.min !== id.min) parts.push(`SET MINVALUE ${id.min}`);
      if (f.max !== id.max) parts.push(`SET MAXVALUE ${id.max}`);
      if (f.cache !== id.cache) parts.push(`SET CACHE ${id.cache}`);
      if (f.cycle !== id.cycle) parts.push(`SET ${id.cycle ? 'CYCLE' : 'NO CYCLE'}`);
      if (narrows(f, id)) parts.push(`RESTART WITH ${id.start}`);
      if (parts.length) out.push(`${col} ${parts.join(' ')};`);
    }
  }
  if (from.notNull && to.notNull) out.push(...renameNotNullSql(t, from, to));
  out.push(...commentStatements(columnCommentTarget(t, to.name), from.comment, to.comment));
  out.push(...grantStatements(`TABLE ${table}`, from.grants, to.grants, to.name));
  return out;
};

/**
 * PostgreSQL 18: renames the column's NOT NULL constraint (it exists as `from`, or with PostgreSQL's own name
 * when `from` is null: just set) when the name the user chose differs. Nothing before 18, where neither side has
 * a name.
 */
export const renameNotNullSql = (t: Table, from: Column | null, to: Column): string[] => {
  const wanted = notNullLabel(t.name, to);
  const current = from === null ? null : notNullLabel(t.name, from);
  if (wanted === current) return [];
  const name = from === null ? (to.notNullName === null ? null : defaultNotNullName(t.name, to.name)) : from.notNullName;
  const target = wanted ?? to.notNullName ?? (name === null ? null : defaultNotNullName(t.name, to.name));
  if (name === null || target === null || name === target) return [];
  return [renameNotNullConstraintSql(t, name, target)];
};
