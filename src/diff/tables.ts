import type { Change } from '../model/change.js';
import type { Column, Constraint, Sequence, Table } from '../model/schema.js';
import { isInlineConstraint } from '../render/table.js';
import { pairBy, type DiffContext } from './index.js';
import { sameGrants } from './compare.js';
import { printedIdent } from './renames.js';

/** Whether a printed column type (`s.t`, `s.t[]`) is an enum of either schema: enums cast to others only via text. */
const enumTypeTest = (ctx: DiffContext) => {
  const names = new Set(
    [...ctx.from.enums, ...ctx.to.enums].map((e) => `${printedIdent(e.schema)}.${printedIdent(e.name)}`),
  );
  return (type: string) => names.has(type.replace(/(\[\])+$/, ''));
};

const tableId = (t: { schema: string; name: string }) => JSON.stringify([t.schema, t.name]);

/** Tables, their columns and their constraints. */
export const diffTables = (ctx: DiffContext): Change[] => {
  const out: Change[] = [];
  const { removed, both, added } = pairBy(ctx.from.tables, ctx.to.tables, tableId);
  for (const t of removed) out.push(...dropTable(ctx, t));
  for (const t of added) out.push(...createTable(t));
  for (const [a, b] of both) {
    if (!sameShape(a, b)) {
      out.push(...dropTable(ctx, a), ...createTable(b), ...reownSequences(ctx, a));
      continue;
    }
    if (!sameTableProps(a, b)) out.push({ kind: 'alter_table', from: a, to: b });
    out.push(...diffColumns(ctx, a, b), ...diffConstraints(a, b));
  }
  return out;
};

/** A table's FKs and NOT VALID constraints are their own changes; the rest is created with the table. */
export const createTable = (t: Table): Change[] => [
  { kind: 'create_table', to: t },
  ...t.constraints.filter((c) => !isInlineConstraint(c)).map((c): Change => ({ kind: 'add_constraint', table: t, to: c })),
];

export const dropTable = (ctx: DiffContext, t: Table): Change[] => [
  ...t.constraints.filter((c) => !isInlineConstraint(c)).map((c): Change => ({ kind: 'drop_constraint', table: t, from: c })),
  { kind: 'drop_table', from: t, ownedSequences: goneWith(ctx, t) },
];

/**
 * Sequences owned by a table (or one column of it) that the desired schema no longer has: Postgres drops them
 * with their owner, so they belong to that drop and its undo.
 */
export const ownedSequenceIndex = (ctx: Pick<DiffContext, 'from' | 'to'>): ReadonlyMap<string, readonly Sequence[]> => {
  const kept = new Set(ctx.to.sequences.map((s) => tableId(s)));
  const byTable = new Map<string, readonly Sequence[]>();
  for (const s of ctx.from.sequences) {
    if (!s.ownedBy || kept.has(tableId(s))) continue;
    const k = tableId({ schema: s.ownedBy.schema, name: s.ownedBy.table });
    byTable.set(k, [...(byTable.get(k) ?? []), s]);
  }
  return byTable;
};

/**
 * A sequence owned by a rebuilt table but kept by the desired schema would go with the old table: it is released
 * before the drop and owned again by the new table's column (a changed owner is the sequence differ's change).
 */
export const reownSequences = (ctx: DiffContext, t: Table): Change[] =>
  ctx.from.sequences.flatMap((s): Change[] => {
    if (!s.ownedBy || s.ownedBy.schema !== t.schema || s.ownedBy.table !== t.name) return [];
    const kept = ctx.to.sequences.find((x) => x.schema === s.schema && x.name === s.name);
    if (!kept || JSON.stringify(kept.ownedBy) !== JSON.stringify(s.ownedBy)) return [];
    return [
      { kind: 'set_sequence_owner', from: s, to: { ...s, ownedBy: null } },
      { kind: 'set_sequence_owner', from: { ...kept, ownedBy: null }, to: kept },
    ];
  });

const goneWith = (ctx: DiffContext, t: Table, column?: string): Sequence[] =>
  (ctx.ownedSequences.get(tableId(t)) ?? []).filter((s) => column === undefined || s.ownedBy!.column === column);

/** Partitioning cannot change in place: such a table is rebuilt. */
const sameShape = (a: Table, b: Table) =>
  a.partitionBy === b.partitionBy &&
  JSON.stringify(a.partitionOf) === JSON.stringify(b.partitionOf);

const sameTableProps = (a: Table, b: Table) =>
  a.unlogged === b.unlogged &&
  a.rowSecurity === b.rowSecurity &&
  a.forceRowSecurity === b.forceRowSecurity &&
  JSON.stringify(a.options) === JSON.stringify(b.options) &&
  a.comment === b.comment &&
  sameGrants(a.grants, b.grants);

export const sameColumn = (a: Column, b: Column) =>
  a.type === b.type &&
  a.notNull === b.notNull &&
  a.default === b.default &&
  a.generated === b.generated &&
  JSON.stringify(a.identity) === JSON.stringify(b.identity) &&
  a.collation === b.collation &&
  a.comment === b.comment &&
  sameGrants(a.grants, b.grants);

/** The table a partition belongs to, in one schema. */
const parentOf = (tables: readonly Table[], t: Table) =>
  t.partitionOf
    ? tables.find((p) => p.schema === t.partitionOf!.parentSchema && p.name === t.partitionOf!.parent)
    : undefined;

/**
 * A partition's columns are its parent's; the model lists one only where the partition sets its own default or
 * NOT NULL, and only those can change on the partition (type, collation, identity and generation follow the
 * parent). A column listed on one side only is the parent's column on the other.
 */
const diffPartitionColumns = (ctx: DiffContext, a: Table, b: Table): Change[] => {
  const fromParent = parentOf(ctx.from.tables, a);
  const toParent = parentOf(ctx.to.tables, b);
  const names = [...new Set([...a.columns, ...b.columns].map((c) => c.name))];
  const out: Change[] = [];
  for (const name of names) {
    const x = a.columns.find((c) => c.name === name) ?? fromParent?.columns.find((c) => c.name === name);
    const y = b.columns.find((c) => c.name === name) ?? toParent?.columns.find((c) => c.name === name);
    if (!x || !y) continue;
    const from: Column = { ...x, type: y.type, collation: y.collation, identity: y.identity, generated: y.generated };
    if (!sameColumn(from, y)) out.push({ kind: 'alter_column', table: b, from, to: y, viaText: false });
  }
  return out;
};

const diffColumns = (ctx: DiffContext, a: Table, b: Table): Change[] => {
  if (a.partitionOf && b.partitionOf) return diffPartitionColumns(ctx, a, b);
  const out: Change[] = [];
  const isEnum = enumTypeTest(ctx);
  const cols = pairBy(a.columns, b.columns, (c) => c.name);
  const ownedBy = (c: Column) => goneWith(ctx, a, c.name);
  for (const c of cols.removed) out.push({ kind: 'drop_column', table: b, from: c, ownedSequences: ownedBy(c) });
  for (const c of cols.added) out.push({ kind: 'add_column', table: b, to: c });
  for (const [x, y] of cols.both) {
    if (sameColumn(x, y)) continue;
    // A generated expression cannot be changed in place before PostgreSQL 17, nor added to a plain column; and
    // while DROP EXPRESSION turns a generated column into a plain one, its undo could not turn it back.
    if (x.generated !== y.generated) {
      out.push({ kind: 'drop_column', table: b, from: x, ownedSequences: ownedBy(x) }, { kind: 'add_column', table: b, to: y });
    } else out.push({ kind: 'alter_column', table: b, from: x, to: y, viaText: isEnum(x.type) || isEnum(y.type) });
  }
  return out;
};

/** `pg_get_constraintdef` appends NOT VALID; validation is compared on its own. */
const coreDefinition = (c: Constraint) => c.definition.replace(/ NOT VALID$/, '');

const diffConstraints = (a: Table, b: Table): Change[] => {
  const out: Change[] = [];
  const cons = pairBy(a.constraints, b.constraints, (c) => c.name);
  for (const c of cons.removed) out.push({ kind: 'drop_constraint', table: b, from: c });
  for (const c of cons.added) out.push({ kind: 'add_constraint', table: b, to: c });
  for (const [x, y] of cons.both) {
    if (x.type !== y.type || coreDefinition(x) !== coreDefinition(y) || (x.validated && !y.validated)) {
      out.push({ kind: 'drop_constraint', table: b, from: x }, { kind: 'add_constraint', table: b, to: y });
    } else if (x.validated !== y.validated || x.comment !== y.comment) {
      out.push({ kind: 'alter_constraint', table: b, from: x, to: y });
    }
  }
  return out;
};
