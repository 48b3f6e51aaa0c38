/** Tables, assembled with their own columns and constraints. */
import type { Db } from '../db/types.js';
import { columnKey, constraintKey, tableKey } from '../model/keys.js';
import type { Column, Table } from '../model/schema.js';
import { runQuery, type Read } from './catalog.js';
import type { ReadColumn } from './columns.js';
import type { ReadConstraint } from './constraints.js';
import { bool, grants, int, intOrNull, jsonRows, text, textArray, textOrNull } from './decode.js';
import type { ObjectIds } from './object-ids.js';
import { sorted } from './order.js';

export interface ReadTable extends Read<Omit<Table, 'columns' | 'constraints'>> {
  /** The table's row type and its array type: both stand for the table in dependencies. */
  readonly typeOid: number;
  readonly arrayOid: number | null;
  readonly parentOid: number | null;
}

export const readTables = (db: Db, params: readonly unknown[]): Promise<ReadTable[]> =>
  runQuery(db, 'tables', params, (r) => {
    const parent = textOrNull(r, 'parent');
    return {
      oid: int(r, 'oid'),
      typeOid: int(r, 'type_oid'),
      arrayOid: intOrNull(r, 'array_oid'),
      parentOid: intOrNull(r, 'parent_oid'),
      object: {
        kind: 'table',
        schema: text(r, 'schema'),
        name: text(r, 'name'),
        unlogged: bool(r, 'unlogged'),
        partitionBy: textOrNull(r, 'partition_by'),
        partitionOf:
          parent === null ? null : { parentSchema: text(r, 'parent_schema'), parent, bound: text(r, 'bound') },
        inherits: jsonRows(r, 'inherits').map((p) => ({ schema: text(p, 'schema'), table: text(p, 'table') })),
        rowSecurity: bool(r, 'row_security'),
        forceRowSecurity: bool(r, 'force_row_security'),
        options: textArray(r, 'options'),
        comment: textOrNull(r, 'comment'),
        grants: grants(r, 'grants'),
      },
    };
  });

const groupBy = <T>(xs: readonly T[], k: (x: T) => number): Map<number, T[]> => {
  const m = new Map<number, T[]>();
  for (const x of xs) {
    const list = m.get(k(x));
    if (list) list.push(x);
    else m.set(k(x), [x]);
  }
  return m;
};

/**
 * A partition's columns all come from its parent; the model keeps only those whose own properties differ
 * (a default or NOT NULL set on the partition), which is also what `attislocal` cannot tell: PostgreSQL clears it
 * on ATTACH PARTITION and leaves it clear when a partition's default is changed. A child of plain inheritance
 * keeps the columns it declares itself.
 */
const ownColumns = (
  t: ReadTable,
  columns: readonly ReadColumn[],
  byTable: Map<number, ReadColumn[]>,
  parentsOf: (t: ReadTable) => readonly number[],
): ReadColumn[] => {
  if (t.object.partitionOf === null) {
    // An inherited column is the child's own only where it sets it differently; declared again the same (merged,
    // or kept local by ALTER TABLE … INHERIT) it is the parent's, as if not declared.
    const inherited = new Map<string, Column>();
    for (const p of parentsOf(t)) for (const c of byTable.get(p) ?? []) if (!inherited.has(c.column.name)) inherited.set(c.column.name, c.column);
    return columns.filter((c) => {
      const p = inherited.get(c.column.name);
      if (c.inheritedCount === 0 || p === undefined) return c.isLocal;
      return differs(c.column, p) || c.column.comment !== null || c.column.grants.length > 0;
    });
  }
  const parent = new Map((byTable.get(t.parentOid ?? 0) ?? []).map((c) => [c.column.name, c.column]));
  return columns.filter((c) => {
    const p = parent.get(c.column.name);
    return p === undefined || differs(c.column, p);
  });
};

const differs = (a: Column, b: Column) => a.default !== b.default || a.notNull !== b.notNull || a.generated !== b.generated;

/**
 * Tables with their columns (by position) and constraints (by name). Registers them, their columns, defaults,
 * constraints and the indexes backing constraints in `ids`, with the edges a part has to its whole.
 */
export const assembleTables = (
  tables: readonly ReadTable[],
  columns: readonly ReadColumn[],
  constraints: readonly ReadConstraint[],
  ids: ObjectIds,
): Table[] => {
  const columnsByTable = groupBy(columns, (c) => c.tableOid);
  const constraintsByTable = groupBy(constraints, (c) => c.tableOid);
  const oidOf = new Map(tables.map((t) => [JSON.stringify([t.object.schema, t.object.name]), t.oid]));
  const parentsOf = (t: ReadTable) => t.object.inherits.flatMap((p) => oidOf.get(JSON.stringify([p.schema, p.table])) ?? []);
  return tables.map((t) => {
    const { schema, name } = t.object;
    const all = (columnsByTable.get(t.oid) ?? []).sort((a, b) => a.column.position - b.column.position);
    const own = ownColumns(t, all, columnsByTable, parentsOf);
    const tn = ids.node(tableKey(schema, name));
    ids.add('pg_class', t.oid, tn);
    ids.add('pg_type', t.typeOid, tn);
    ids.add('pg_type', t.arrayOid, tn);
    ids.inSchema(tn, schema);
    if (t.object.partitionOf) {
      ids.edge(tn, tableKey(t.object.partitionOf.parentSchema, t.object.partitionOf.parent));
    }
    for (const p of t.object.inherits) ids.edge(tn, tableKey(p.schema, p.table));
    const ownNames = new Set(own.map((c) => c.column.name));
    for (const c of all) {
      let n = tn;
      if (ownNames.has(c.column.name)) {
        n = ids.node(columnKey(schema, name, c.column.name));
        ids.add('pg_class', t.oid, n, c.column.position);
        ids.edge(n, tn);
      }
      ids.add('pg_attrdef', c.defaultOid, n);
    }
    const attname = new Map(all.map((c) => [c.column.position, c.column.name]));
    const cons = sorted(constraintsByTable.get(t.oid) ?? [], (c) => [c.constraint.name]).map((c) => {
      const cn = ids.node(constraintKey(schema, name, c.constraint.name));
      ids.add('pg_constraint', c.oid, cn);
      ids.add('pg_class', c.backingIndexOid, cn);
      ids.edge(cn, tn);
      const { type, definition, validated, references, comment } = c.constraint;
      const names = c.keys.map((k) => attname.get(k) ?? '');
      return { name: c.constraint.name, type, definition, validated, columns: names, references, comment };
    });
    const o = t.object;
    return {
      kind: 'table',
      schema,
      name,
      unlogged: o.unlogged,
      partitionBy: o.partitionBy,
      partitionOf: o.partitionOf,
      inherits: o.inherits,
      columns: own.map((c) => c.column),
      constraints: cons,
      rowSecurity: o.rowSecurity,
      forceRowSecurity: o.forceRowSecurity,
      options: o.options,
      comment: o.comment,
      grants: o.grants,
    };
  });
};
