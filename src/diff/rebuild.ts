/**
 * Objects Postgres will not let us change underneath their dependents: a view over a column whose type changes,
 * a trigger on a function that is dropped and created again, a default calling such a function, an index over a
 * rebuilt enum. Every dependent that survives is dropped before and created after, transitively.
 */
import type { Change } from '../model/change.js';
import * as K from '../model/keys.js';
import type { Column, Table } from '../model/schema.js';
import { typeChanged } from '../render/column.js';
import type { DiffContext } from './index.js';
import { createTable, dropTable, reownSequences, sameColumn } from './tables.js';

/** A table with its columns and constraints: a table dropped or created takes all of them with it. */
const wholeTable = (t: Table): string[] => [
  K.tableKey(t.schema, t.name),
  ...t.columns.map((c) => K.columnKey(t.schema, t.name, c.name)),
  ...t.constraints.map((c) => K.constraintKey(t.schema, t.name, c.name)),
];

/** The keys of the objects a change drops or creates. */
export const changedKeys = (c: Change): { dropped: readonly string[]; created: readonly string[] } => {
  const one = changedKey(c);
  if (c.kind === 'drop_table') return { dropped: wholeTable(c.from), created: [] };
  if (c.kind === 'create_table') return { dropped: [], created: wholeTable(c.to) };
  return { dropped: one.dropped ? [one.dropped] : [], created: one.created ? [one.created] : [] };
};

/** The key of the object a change drops or creates (tables: the table). */
export const changedKey = (c: Change): { dropped?: string; created?: string } => {
  switch (c.kind) {
    case 'drop_table':
      return { dropped: K.tableKey(c.from.schema, c.from.name) };
    case 'create_table':
      return { created: K.tableKey(c.to.schema, c.to.name) };
    case 'drop_column':
      return { dropped: K.columnKey(c.table.schema, c.table.name, c.from.name) };
    case 'add_column':
      return { created: K.columnKey(c.table.schema, c.table.name, c.to.name) };
    case 'drop_constraint':
      return { dropped: K.constraintKey(c.table.schema, c.table.name, c.from.name) };
    case 'add_constraint':
      return { created: K.constraintKey(c.table.schema, c.table.name, c.to.name) };
    case 'drop_index':
      return { dropped: K.indexKey(c.from.schema, c.from.name) };
    case 'create_index':
      return { created: K.indexKey(c.to.schema, c.to.name) };
    case 'drop_view':
      return { dropped: K.viewKey(c.from.schema, c.from.name) };
    case 'create_view':
      return { created: K.viewKey(c.to.schema, c.to.name) };
    case 'drop_function':
      return { dropped: K.functionKey(c.from.schema, c.from.name, c.from.identityArgs) };
    case 'create_function':
      return { created: K.functionKey(c.to.schema, c.to.name, c.to.identityArgs) };
    case 'drop_trigger':
      return { dropped: K.triggerKey(c.from.schema, c.from.table, c.from.name) };
    case 'create_trigger':
      return { created: K.triggerKey(c.to.schema, c.to.table, c.to.name) };
    case 'drop_policy':
      return { dropped: K.policyKey(c.from.schema, c.from.table, c.from.name) };
    case 'create_policy':
      return { created: K.policyKey(c.to.schema, c.to.table, c.to.name) };
    case 'drop_type':
      return { dropped: K.typeKey(c.from.schema, c.from.name) };
    case 'create_type':
      return { created: K.typeKey(c.to.schema, c.to.name) };
    case 'drop_sequence':
      return { dropped: K.sequenceKey(c.from.schema, c.from.name) };
    case 'create_sequence':
      return { created: K.sequenceKey(c.to.schema, c.to.name) };
    default:
      return {};
  }
};

type Why = 'replaced' | 'retyped';

export const rebuildDependents = (ctx: DiffContext, changes: readonly Change[]): Change[] => {
  const out = [...changes];
  const dropped = new Set<string>();
  // Only what is dropped matters here (a created table's keys would be thousands of strings for nothing).
  for (const c of changes) if (c.kind !== 'create_table') for (const d of changedKeys(c).dropped) dropped.add(d);
  const queue: [string, Why][] = [];
  // Whatever survives of a dropped object's dependents must be taken apart and put back, whether the object comes
  // back under the same key or not (a table replaced by a view of its name, a unique key by an index).
  for (const k of dropped) queue.push([k, 'replaced']);
  for (const c of changes) {
    if (c.kind === 'alter_column' && typeChanged(c.from, c.to))
      queue.push([K.columnKey(c.table.schema, c.table.name, c.to.name), 'retyped']);
    // Adding a value is in place, but its undo rebuilds the type: what must move for a rebuild moves for both.
    if (c.kind === 'recreate_enum' || (c.kind === 'alter_enum' && c.to.labels.length > c.from.labels.length)) {
      queue.push([K.typeKey(c.from.schema, c.from.name), 'replaced']);
      for (const col of c.columns) queue.push([K.columnKey(col.table.schema, col.table.name, col.to.name), 'retyped']);
    }
  }
  const rebuilt = new Set<string>();
  // A rebuilt enum's own columns get their defaults dropped and set again inside the rebuild, each direction its
  // own (recreateEnumSql): a separate default change of theirs would run, when undone, before the old type is back.
  const enumColumns = new Set(
    changes.flatMap((c) => (c.kind === 'recreate_enum' ? c.columns.map((p) => K.columnKey(p.table.schema, p.table.name, p.to.name)) : [])),
  );
  const defaultsRebuilt = new Set<string>(enumColumns);
  while (queue.length) {
    const [k, why] = queue.shift()!;
    for (const dep of ctx.currentGraph.dependentsOf(k)) {
      if (dropped.has(dep) || rebuilt.has(dep)) continue;
      const { kind } = K.parseKey(dep);
      if (why === 'retyped' && !(kind === 'view' || kind === 'trigger' || kind === 'policy' || kind === 'constraint' || kind === 'column'))
        continue;
      const pair = rebuild(ctx, dep, K.parseKey(k).kind, why);
      if (!pair) continue;
      if (pair === 'default') {
        if (!defaultsRebuilt.has(dep)) {
          defaultsRebuilt.add(dep);
          rebuildDefault(ctx, dep, out);
        }
        continue;
      }
      rebuilt.add(dep);
      const parts = pair.flatMap((c) => changedKeys(c).dropped).filter((p) => p !== dep && !dropped.has(p));
      dropped.add(dep);
      for (const p of parts) dropped.add(p);
      // A rebuilt object replaces any in-place change to it (a rebuilt table: to its columns and constraints).
      for (let i = out.length - 1; i >= 0; i--) if (inPlaceKey(out[i]!) === dep || onTable(out[i]!) === dep) out.splice(i, 1);
      out.push(...pair);
      queue.push([dep, 'replaced']);
      for (const p of parts) queue.push([p, 'replaced']);
    }
  }
  return enumColumns.size ? withoutEnumDefaults(out, enumColumns) : out;
};

/** Default changes of a rebuilt enum's own columns left to the rebuild; a change with nothing else goes. */
const withoutEnumDefaults = (changes: readonly Change[], columns: ReadonlySet<string>): Change[] =>
  changes.flatMap((c) => {
    if (c.kind !== 'alter_column' || !columns.has(K.columnKey(c.table.schema, c.table.name, c.to.name))) return [c];
    const to = { ...c.to, default: c.from.default };
    return sameColumn(c.from, to) ? [] : [{ ...c, to }];
  });

/** The table whose columns, constraints or properties a change alters in place. */
const onTable = (c: Change): string | null => {
  switch (c.kind) {
    case 'alter_table':
      return K.tableKey(c.to.schema, c.to.name);
    case 'add_column':
    case 'drop_column':
    case 'alter_column':
    case 'add_constraint':
    case 'drop_constraint':
    case 'alter_constraint':
      return K.tableKey(c.table.schema, c.table.name);
    default:
      return null;
  }
};

/** The key of an object an in-place (alter) change touches. */
const inPlaceKey = (c: Change): string | null => {
  switch (c.kind) {
    case 'alter_view':
      return K.viewKey(c.to.schema, c.to.name);
    case 'alter_index':
      return K.indexKey(c.to.schema, c.to.name);
    case 'alter_trigger':
      return K.triggerKey(c.to.schema, c.to.table, c.to.name);
    case 'alter_policy':
      return K.policyKey(c.to.schema, c.to.table, c.to.name);
    case 'alter_constraint':
      return K.constraintKey(c.table.schema, c.table.name, c.to.name);
    case 'alter_function':
    case 'replace_function':
      return K.functionKey(c.to.schema, c.to.name, c.to.identityArgs);
    default:
      return null;
  }
};

/** Each schema's tables by schema and name (the first of a name, as `find` would), made once per list. */
const tableIndexes = new WeakMap<readonly Table[], Map<string, Map<string, Table>>>();

const findTable = (tables: readonly Table[], schema: string, name: string): Table | undefined => {
  let index = tableIndexes.get(tables);
  if (!index) {
    index = new Map();
    for (const t of tables) {
      let bySchema = index.get(t.schema);
      if (!bySchema) index.set(t.schema, (bySchema = new Map()));
      if (!bySchema.has(t.name)) bySchema.set(t.name, t);
    }
    tableIndexes.set(tables, index);
  }
  return index.get(schema)?.get(name);
};

/** Drop + create of one dependent, `'default'` when only a column default must be taken off and put back. */
const rebuild = (ctx: DiffContext, dep: string, causeKind: K.KeyKind, why: Why): Change[] | 'default' | null => {
  const { kind, parts } = K.parseKey(dep);
  const [schema, a, b] = parts as [string, string, string];
  switch (kind) {
    case 'table': {
      // Only a partition depends on a table, and dropping the partitioned table drops it.
      const from = findTable(ctx.from.tables, schema, a);
      const to = findTable(ctx.to.tables, schema, a);
      return from && to ? [...dropTable(ctx, from), ...createTable(to), ...reownSequences(ctx, from)] : null;
    }
    case 'view': {
      const from = ctx.from.views.find((v) => v.schema === schema && v.name === a);
      const to = ctx.to.views.find((v) => v.schema === schema && v.name === a);
      return from && to ? [{ kind: 'drop_view', from }, { kind: 'create_view', to }] : null;
    }
    case 'index': {
      const from = ctx.from.indexes.find((i) => i.schema === schema && i.name === a);
      const to = ctx.to.indexes.find((i) => i.schema === schema && i.name === a);
      return from && to ? [{ kind: 'drop_index', from }, { kind: 'create_index', to }] : null;
    }
    case 'trigger': {
      const from = ctx.from.triggers.find((t) => t.schema === schema && t.table === a && t.name === b);
      const to = ctx.to.triggers.find((t) => t.schema === schema && t.table === a && t.name === b);
      return from && to ? [{ kind: 'drop_trigger', from }, { kind: 'create_trigger', to }] : null;
    }
    case 'policy': {
      const from = ctx.from.policies.find((p) => p.schema === schema && p.table === a && p.name === b);
      const to = ctx.to.policies.find((p) => p.schema === schema && p.table === a && p.name === b);
      return from && to ? [{ kind: 'drop_policy', from }, { kind: 'create_policy', to }] : null;
    }
    case 'function': {
      const from = ctx.from.functions.find((f) => f.schema === schema && f.name === a && f.identityArgs === b);
      const to = ctx.to.functions.find((f) => f.schema === schema && f.name === a && f.identityArgs === b);
      return from && to ? [{ kind: 'drop_function', from }, { kind: 'create_function', to }] : null;
    }
    case 'constraint': {
      const ta = findTable(ctx.from.tables, schema, a);
      const tb = findTable(ctx.to.tables, schema, a);
      const from = ta?.constraints.find((c) => c.name === b);
      const to = tb?.constraints.find((c) => c.name === b);
      if (!from || !to || !tb) return null;
      // A column's new type rebuilds its indexes and checks itself; only foreign keys must be taken apart.
      if (why === 'retyped' && from.type !== 'foreign') return null;
      return [
        { kind: 'drop_constraint', table: tb, from },
        { kind: 'add_constraint', table: tb, to },
      ];
    }
    case 'column': {
      const ta = findTable(ctx.from.tables, schema, a);
      const tb = findTable(ctx.to.tables, schema, a);
      const from = ta?.columns.find((c) => c.name === b);
      const to = tb?.columns.find((c) => c.name === b);
      if (!from || !to || !tb) return null;
      if (from.generated !== null && to.generated !== null)
        return [
          { kind: 'drop_column', table: tb, from, ownedSequences: [] },
          { kind: 'add_column', table: tb, to },
        ];
      if (why === 'replaced' && causeKind !== 'type' && (from.default !== null || to.default !== null)) return 'default';
      return null;
    }
    default:
      return null;
  }
};

/**
 * A default that calls a rebuilt function or sequence: taken off before, put back after. An in-place change
 * of the same column is folded into the second half, so no single step both needs and releases the object.
 */
const rebuildDefault = (ctx: DiffContext, dep: string, out: Change[]) => {
  const [schema, table, column] = K.parseKey(dep).parts as [string, string, string];
  const existing = out.findIndex(
    (c) => c.kind === 'alter_column' && c.table.schema === schema && c.table.name === table && c.to.name === column,
  );
  let from: Column;
  let to: Column;
  let tb: Table;
  let viaText = false;
  if (existing >= 0) {
    const c = out[existing] as Extract<Change, { kind: 'alter_column' }>;
    [from, to, tb, viaText] = [c.from, c.to, c.table, c.viaText];
    out.splice(existing, 1);
  } else {
    tb = findTable(ctx.to.tables, schema, table)!;
    from = findTable(ctx.from.tables, schema, table)!.columns.find((c) => c.name === column)!;
    to = tb.columns.find((c) => c.name === column)!;
  }
  const bare: Column = { ...from, default: null };
  out.push(
    { kind: 'alter_column', table: tb, from, to: bare, viaText: false },
    { kind: 'alter_column', table: tb, from: bare, to, viaText },
  );
};
