import type { Column, Constraint, Sequence, Table } from '../model/schema.js';
import { commentStatements } from './comment.js';
import { grantStatements } from './grants.js';
import { optionClauses } from './options.js';
import { ident, qname } from './quote.js';
import { createSequenceSql } from './sequence.js';
import { notNullLabel } from '../model/not-null-name.js';

export const tableName = (t: { readonly schema: string; readonly name: string }) => qname(t.schema, t.name);

const identityClause = (c: Column): string => {
  const id = c.identity;
  if (!id) return '';
  const opts = [
    `SEQUENCE NAME ${qname(id.sequenceSchema, id.sequenceName)}`,
    `START WITH ${id.start}`,
    `INCREMENT BY ${id.increment}`,
    `MINVALUE ${id.min}`,
    `MAXVALUE ${id.max}`,
    `CACHE ${id.cache}`,
    id.cycle ? 'CYCLE' : 'NO CYCLE',
  ];
  return ` GENERATED ${id.always ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY (${opts.join(' ')})`;
};

/** A column definition as used by CREATE TABLE and ADD COLUMN. */
/** `table`: the table's name, against which a NOT NULL constraint name is the user's or PostgreSQL's own. */
export const columnDefinition = (c: Column, table: string): string => {
  let sql = `${ident(c.name)} ${c.type}`;
  if (c.collation) sql += ` COLLATE ${c.collation}`;
  if (c.generated !== null) sql += ` GENERATED ALWAYS AS (${c.generated}) ${c.virtual ? 'VIRTUAL' : 'STORED'}`;
  if (c.default !== null) sql += ` DEFAULT ${c.default}`;
  if (c.notNull) {
    const name = notNullLabel(table, c);
    sql += name === null ? ' NOT NULL' : ` CONSTRAINT ${ident(name)} NOT NULL`;
  }
  sql += identityClause(c);
  return sql;
};

/** Constraints created inside CREATE TABLE: everything but foreign keys and not-yet-validated constraints. */
export const isInlineConstraint = (c: Constraint) => c.type !== 'foreign' && c.validated;

export const optionsClause = (options: readonly string[]) => (options.length ? ` WITH (${options.join(', ')})` : '');

export const columnCommentTarget = (t: Table, column: string) => `COLUMN ${tableName(t)}.${ident(column)}`;
export const constraintCommentTarget = (t: Table, name: string) => `CONSTRAINT ${ident(name)} ON ${tableName(t)}`;

/**
 * CREATE TABLE with columns and inline constraints, then the table's comments, row security and grants.
 * Foreign keys and NOT VALID constraints are separate changes (they may reference tables created later).
 */
export const createTableSql = (t: Table): string[] => {
  const name = tableName(t);
  const inline = t.constraints.filter(isInlineConstraint);
  const out: string[] = [];
  if (t.partitionOf) {
    const parts = inline.map((c) => `CONSTRAINT ${ident(c.name)} ${c.definition}`);
    const body = parts.length ? ` (${parts.join(', ')})` : '';
    out.push(
      `CREATE ${t.unlogged ? 'UNLOGGED ' : ''}TABLE ${name} PARTITION OF ${qname(t.partitionOf.parentSchema, t.partitionOf.parent)}${body} ${t.partitionOf.bound}${t.partitionBy ? ` PARTITION BY ${t.partitionBy}` : ''}${optionsClause(t.options)};`,
    );
    // A partition's own column properties (defaults, NOT NULL) that differ from the parent are set afterwards.
    for (const c of t.columns) {
      if (c.default !== null) out.push(`ALTER TABLE ${name} ALTER COLUMN ${ident(c.name)} SET DEFAULT ${c.default};`);
      if (c.notNull) out.push(`ALTER TABLE ${name} ALTER COLUMN ${ident(c.name)} SET NOT NULL;`);
    }
  } else {
    const cols = [...t.columns].sort((a, b) => a.position - b.position).map((c) => columnDefinition(c, t.name));
    const parts = [...cols, ...inline.map((c) => `CONSTRAINT ${ident(c.name)} ${c.definition}`)];
    out.push(
      `CREATE ${t.unlogged ? 'UNLOGGED ' : ''}TABLE ${name} (${parts.length ? '\n  ' + parts.join(',\n  ') + '\n' : ''})${inheritsClause(t)}${t.partitionBy ? ` PARTITION BY ${t.partitionBy}` : ''}${optionsClause(t.options)};`,
    );
  }
  out.push(...tableExtrasSql(t, inline));
  return out;
};

const inheritsClause = (t: Table): string =>
  t.inherits.length ? ` INHERITS (${t.inherits.map((p) => qname(p.schema, p.table)).join(', ')})` : '';

/** Comments, row security and grants of a freshly created table. */
const tableExtrasSql = (t: Table, inline: readonly Constraint[]): string[] => {
  const name = tableName(t);
  const out: string[] = [];
  out.push(...commentStatements(`TABLE ${name}`, null, t.comment));
  for (const c of t.columns) {
    out.push(...commentStatements(columnCommentTarget(t, c.name), null, c.comment));
    out.push(...grantStatements(`TABLE ${name}`, [], c.grants, c.name));
  }
  for (const c of inline) out.push(...commentStatements(constraintCommentTarget(t, c.name), null, c.comment));
  if (t.rowSecurity) out.push(`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY;`);
  if (t.forceRowSecurity) out.push(`ALTER TABLE ${name} FORCE ROW LEVEL SECURITY;`);
  out.push(...grantStatements(`TABLE ${name}`, [], t.grants));
  return out;
};

/**
 * A partition is detached before it is dropped: foreign keys into a partitioned table are held per partition,
 * and DROP TABLE refuses a partition they reference while DETACH checks no row of it is referenced.
 */
export const dropTableSql = (t: Table): string[] => [
  ...(t.partitionOf
    ? [`ALTER TABLE ${qname(t.partitionOf.parentSchema, t.partitionOf.parent)} DETACH PARTITION ${tableName(t)};`]
    : []),
  `DROP TABLE ${tableName(t)};`,
];

/** Recreates sequences a table or column owned (they go with it), then the table or column, then ownership. */
export const withOwnedSequences = (owned: readonly Sequence[], create: readonly string[]): string[] => [
  ...owned.flatMap((s) => createSequenceSql({ ...s, ownedBy: null })),
  ...create,
  ...owned.map(
    (s) =>
      `ALTER SEQUENCE ${qname(s.schema, s.name)} OWNED BY ${qname(s.ownedBy!.schema, s.ownedBy!.table)}.${ident(s.ownedBy!.column)};`,
  ),
];

/** Table-level property changes: persistence, row security, options, comment, grants. */
export const alterTableSql = (from: Table, to: Table): string[] => {
  const name = tableName(to);
  const out: string[] = [];
  if (from.unlogged !== to.unlogged) out.push(`ALTER TABLE ${name} SET ${to.unlogged ? 'UNLOGGED' : 'LOGGED'};`);
  if (from.rowSecurity !== to.rowSecurity)
    out.push(`ALTER TABLE ${name} ${to.rowSecurity ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY;`);
  if (from.forceRowSecurity !== to.forceRowSecurity)
    out.push(`ALTER TABLE ${name} ${to.forceRowSecurity ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY;`);
  for (const clause of optionClauses(from.options, to.options)) out.push(`ALTER TABLE ${name} ${clause};`);
  out.push(...commentStatements(`TABLE ${name}`, from.comment, to.comment));
  out.push(...grantStatements(`TABLE ${name}`, from.grants, to.grants));
  return out;
};

