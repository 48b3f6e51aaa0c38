import type { Change } from '../model/change.js';
import type { Column, Constraint, Sequence, Table } from '../model/schema.js';
import { isInlineConstraint } from '../render/table.js';
import { pairBy, type DiffContext } from './index.js';
import { sameGrants } from './compare.js';
import { printedIdent } from './renames.js';
import { notNullLabel } from '../model/not-null-name.js';

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

/** Partitioning and inheritance parents are not changed in place: such a table is rebuilt. */
export const sameShape = (a: Table, b: Table) =>
  a.partitionBy === b.partitionBy &&
  JSON.stringify(a.partitionOf) === JSON.stringify(b.partitionOf) &&
  JSON.stringify(a.inherits) === JSON.stringify(b.inherits);

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
  a.virtual === b.virtual &&
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
    if (sameColumn(x, y) && notNullLabel(b.name, x) === notNullLabel(b.name, y)) continue;
    // A generated expression cannot be changed in place before PostgreSQL 17, nor added to a plain column; and
    // while DROP EXPRESSION turns a generated column into a plain one, its undo could not turn it back. Stored
    // and virtual (PostgreSQL 18) cannot be switched in place either.
    if (x.generated !== y.generated || x.virtual !== y.virtual) {
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

/** Where a table gets column `name` from by inheritance: the nearest parent declaring it, and its column. */
const inheritedColumn = (tables: readonly Table[], t: Table, name: string, seen = new Set<Table>()): { parent: Table; column: Column } | undefined => {
  for (const ref of t.inherits) {
    const p = tables.find((x) => x.schema === ref.schema && x.name === ref.table);
    if (!p || seen.has(p)) continue;
    seen.add(p);
    const own = p.columns.find((c) => c.name === name);
    if (own) return { parent: p, column: own };
    const up = inheritedColumn(tables, p, name, seen);
    if (up) return up;
  }
  return undefined;
};

const sameTableId = (a: { schema: string; name: string }, b: { schema: string; name: string }) => a.schema === b.schema && a.name === b.name;

/**
 * A column that moves between an inheritance parent and its child is neither dropped nor added on the child:
 * - parent → child: the parent drops it ONLY (children keep their copy, now their own); the child's "add" becomes
 *   a change of that copy, if any; other children that should not have it drop theirs;
 * - child → parent: the parent's ADD COLUMN merges into the child's column; the child's "drop" goes (or becomes a
 *   change to the parent's definition).
 * Each undo then runs the other way round on its own (ADD COLUMN on the parent merges; DROP on it spares a child's
 * own column).
 */
export const foldInheritedMoves = (ctx: DiffContext, changes: readonly Change[]): Change[] => {
  if (!ctx.from.tables.some((t) => t.inherits.length) && !ctx.to.tables.some((t) => t.inherits.length)) return [...changes];
  const out = [...changes];
  const find = (kind: 'add_column' | 'drop_column', t: Table, column: string) =>
    out.findIndex((c) => c.kind === kind && sameTableId(c.table, t) && (c.kind === 'add_column' ? c.to.name : c.kind === 'drop_column' ? c.from.name : '') === column);
  for (let i = 0; i < out.length; i++) {
    const c = out[i]!;
    if (c.kind === 'add_column') {
      const current = ctx.from.tables.find((t) => sameTableId(t, c.table));
      const inh = current && inheritedColumn(ctx.from.tables, current, c.to.name);
      const drop = inh ? find('drop_column', inh.parent, c.to.name) : -1;
      if (!inh || drop < 0) continue;
      out[drop] = { ...(out[drop] as Extract<Change, { kind: 'drop_column' }>), only: true };
      const from: Column = { ...inh.column, position: c.to.position };
      out.splice(i, 1, ...(sameColumn(from, c.to) ? [] : [{ kind: 'alter_column' as const, table: c.table, from, to: c.to, viaText: false }]));
      // Other children of that parent that had the column only from it, and should not keep it, drop their copy.
      for (const child of ctx.from.tables) {
        if (sameTableId(child, c.table) || !child.inherits.some((r) => r.schema === inh.parent.schema && r.table === inh.parent.name)) continue;
        if (child.columns.some((x) => x.name === c.to.name)) continue;
        const desired = ctx.to.tables.find((t) => sameTableId(t, child));
        if (!desired || desired.columns.some((x) => x.name === c.to.name) || inheritedColumn(ctx.to.tables, desired, c.to.name)) continue;
        out.push({ kind: 'drop_column', table: desired, from: inh.column, ownedSequences: [] });
      }
      i = -1; // indexes moved: look again
    } else if (c.kind === 'drop_column' && !c.only) {
      const desired = ctx.to.tables.find((t) => sameTableId(t, c.table));
      const inh = desired && inheritedColumn(ctx.to.tables, desired, c.from.name);
      if (!inh || find('add_column', inh.parent, c.from.name) < 0) continue;
      const to: Column = { ...inh.column, position: c.from.position };
      out.splice(i, 1, ...(sameColumn(c.from, to) ? [] : [{ kind: 'alter_column' as const, table: desired, from: c.from, to, viaText: false }]));
      i = -1;
    }
  }
  return out;
};
