/** The object keys a change creates, drops, requires and releases: the facts the ordering works from. */
import type { Change } from '../model/change.js';
import { assertNever } from '../model/change.js';
import * as K from '../model/keys.js';
import type { Constraint, Table } from '../model/schema.js';
import type { UserType } from '../model/change.js';
import { isInlineConstraint } from '../render/table.js';
import { typeChanged } from '../render/column.js';
import type { DepGraph } from '../diff/graph.js';

export interface StepKeys {
  readonly creates: readonly string[];
  readonly drops: readonly string[];
  readonly requires: readonly string[];
  readonly releases: readonly string[];
}

/** A table, its columns and the constraints created (and dropped) with it. */
const tableKeys = (t: Table): string[] => [
  K.tableKey(t.schema, t.name),
  ...t.columns.map((c) => K.columnKey(t.schema, t.name, c.name)),
  ...t.constraints.filter(isInlineConstraint).map((c) => K.constraintKey(t.schema, t.name, c.name)),
];

const depsOf = (g: DepGraph, keys: readonly string[]) => {
  const own = new Set(keys);
  const out = new Set<string>();
  for (const k of keys) for (const d of g.depsOf(k)) if (!own.has(d)) out.add(d);
  return [...out];
};

const none: StepKeys = { creates: [], drops: [], requires: [], releases: [] };

export const stepKeys = (c: Change, current: DepGraph, desired: DepGraph): StepKeys => {
  const keys = objectKeys(c, current, desired);
  const names = nameKeys(c);
  if (!names.takes.length && !names.frees.length) return keys;
  return { ...keys, creates: [...keys.creates, ...names.takes], drops: [...keys.drops, ...names.frees] };
};

const objectKeys = (c: Change, current: DepGraph, desired: DepGraph): StepKeys => {
  const create = (...keys: string[]): StepKeys => ({ ...none, creates: keys, requires: depsOf(desired, keys) });
  const drop = (...keys: string[]): StepKeys => ({ ...none, drops: keys, releases: depsOf(current, keys) });
  switch (c.kind) {
    case 'create_schema':
      return create(K.schemaKey(c.to.name));
    case 'drop_schema':
      return drop(K.schemaKey(c.from.name));
    case 'create_extension':
      return create(K.extensionKey(c.to.name));
    case 'drop_extension':
      return drop(K.extensionKey(c.from.name));
    case 'create_type':
      return create(K.typeKey(c.to.schema, c.to.name));
    case 'drop_type':
      return drop(K.typeKey(c.from.schema, c.from.name));
    case 'alter_enum': {
      // Adding a value is in place, but its undo rebuilds the type: dependents move out of the way as for a rebuild.
      if (c.to.labels.length === c.from.labels.length) return { ...none, creates: [K.typeKey(c.to.schema, c.to.name)] };
      const keys = [
        K.typeKey(c.to.schema, c.to.name),
        ...c.columns.map((x) => K.columnKey(x.table.schema, x.table.name, x.to.name)),
      ];
      return { creates: keys, drops: keys, requires: depsOf(desired, keys), releases: depsOf(current, keys) };
    }
    case 'alter_domain':
    case 'alter_composite':
      return create(K.typeKey(c.to.schema, c.to.name));
    case 'recreate_enum': {
      const keys = [
        K.typeKey(c.to.schema, c.to.name),
        ...c.columns.map((x) => K.columnKey(x.table.schema, x.table.name, x.to.name)),
      ];
      return { creates: keys, drops: keys, requires: depsOf(desired, keys), releases: depsOf(current, keys) };
    }
    case 'create_sequence':
      return create(K.sequenceKey(c.to.schema, c.to.name));
    case 'drop_sequence':
      return drop(K.sequenceKey(c.from.schema, c.from.name));
    case 'set_sequence_owner': {
      const col = (o: typeof c.to.ownedBy) => (o ? [K.columnKey(o.schema, o.table, o.column)] : []);
      return {
        ...none,
        requires: [K.sequenceKey(c.to.schema, c.to.name), ...col(c.to.ownedBy)],
        releases: col(c.from.ownedBy),
      };
    }
    case 'create_table':
      return create(...tableKeys(c.to));
    case 'drop_table': {
      // Foreign keys and NOT VALID constraints are dropped by steps of their own (`dropTable`), before.
      const keys = [...tableKeys(c.from), ...c.ownedSequences.map((s) => K.sequenceKey(s.schema, s.name))];
      return drop(...keys);
    }
    case 'add_column':
      return create(K.columnKey(c.table.schema, c.table.name, c.to.name));
    case 'drop_column':
      return drop(
        K.columnKey(c.table.schema, c.table.name, c.from.name),
        ...c.ownedSequences.map((s) => K.sequenceKey(s.schema, s.name)),
      );
    case 'alter_column': {
      const k = K.columnKey(c.table.schema, c.table.name, c.to.name);
      const retype = typeChanged(c.from, c.to);
      const defaultChanged = c.from.default !== c.to.default;
      const notNull = K.notNullKey(c.table.schema, c.table.name, c.to.name);
      const needs = retype || (defaultChanged && c.to.default !== null) || (c.to.identity !== null && c.from.identity === null);
      const frees = retype || (defaultChanged && c.from.default !== null);
      return {
        creates: [...(retype ? [k] : []), ...(c.to.notNull && !c.from.notNull ? [notNull] : [])],
        drops: [...(retype ? [k] : []), ...(c.from.notNull && !c.to.notNull ? [notNull] : [])],
        requires: needs ? depsOf(desired, [k]) : [],
        releases: frees ? depsOf(current, [k]) : [],
      };
    }
    case 'add_constraint':
      return create(K.constraintKey(c.table.schema, c.table.name, c.to.name));
    case 'drop_constraint':
      return drop(K.constraintKey(c.table.schema, c.table.name, c.from.name));
    case 'create_index':
      return create(K.indexKey(c.to.schema, c.to.name));
    case 'drop_index':
      return drop(K.indexKey(c.from.schema, c.from.name));
    case 'create_view':
      return create(K.viewKey(c.to.schema, c.to.name));
    case 'drop_view':
      return drop(K.viewKey(c.from.schema, c.from.name));
    case 'create_function':
      return create(K.functionKey(c.to.schema, c.to.name, c.to.identityArgs));
    case 'drop_function':
      return drop(K.functionKey(c.from.schema, c.from.name, c.from.identityArgs));
    case 'replace_function': {
      const k = K.functionKey(c.to.schema, c.to.name, c.to.identityArgs);
      return { ...none, requires: depsOf(desired, [k]), releases: depsOf(current, [k]) };
    }
    case 'create_trigger':
      return create(K.triggerKey(c.to.schema, c.to.table, c.to.name));
    case 'drop_trigger':
      return drop(K.triggerKey(c.from.schema, c.from.table, c.from.name));
    case 'create_policy':
      return create(K.policyKey(c.to.schema, c.to.table, c.to.name));
    case 'drop_policy':
      return drop(K.policyKey(c.from.schema, c.from.table, c.from.name));
    case 'alter_schema':
    case 'alter_extension':
    case 'rename_type':
    case 'rename_sequence':
    case 'alter_sequence':
    case 'rename_table':
    case 'alter_table':
    case 'rename_column':
    case 'rename_constraint':
    case 'alter_constraint':
    case 'rename_index':
    case 'alter_index':
    case 'rename_view':
    case 'alter_view':
    case 'alter_function':
    case 'alter_trigger':
    case 'alter_policy':
      return none;
    default:
      return assertNever(c);
  }
};

const indexBacked = (c: Constraint) => c.type === 'primary' || c.type === 'unique' || c.type === 'exclusion';

/** Relation names a table takes: its own and its inline constraints' indexes. */
const tableNames = (t: Table): string[] => [
  K.relationNameKey(t.schema, t.name),
  K.typeNameKey(t.schema, t.name),
  ...t.constraints.filter((c) => isInlineConstraint(c) && indexBacked(c)).map((c) => K.relationNameKey(t.schema, c.name)),
];

const typeNames = (t: UserType): string[] =>
  t.kind === 'composite'
    ? [K.relationNameKey(t.schema, t.name), K.typeNameKey(t.schema, t.name)]
    : [K.typeNameKey(t.schema, t.name)];

/** The names in a schema's relation and type namespaces a change takes and gives up (see `relationNameKey`). */
const nameKeys = (c: Change): { takes: readonly string[]; frees: readonly string[] } => {
  const take = (...takes: string[]) => ({ takes, frees: [] });
  const free = (...frees: string[]) => ({ takes: [], frees });
  const rel = (o: { schema: string; name: string }) => K.relationNameKey(o.schema, o.name);
  const relType = (o: { schema: string; name: string }) => [rel(o), K.typeNameKey(o.schema, o.name)];
  switch (c.kind) {
    case 'create_table':
      return take(...tableNames(c.to));
    case 'drop_table':
      return free(...tableNames(c.from), ...c.ownedSequences.map(rel));
    case 'rename_table':
    case 'rename_view':
      return { takes: relType(c.to), frees: relType(c.from) };
    case 'create_view':
      return take(...relType(c.to));
    case 'drop_view':
      return free(...relType(c.from));
    case 'create_index':
      return take(rel(c.to));
    case 'drop_index':
      return free(rel(c.from));
    case 'rename_index':
    case 'rename_sequence':
      return { takes: [rel(c.to)], frees: [rel(c.from)] };
    case 'create_sequence':
      return take(rel(c.to));
    case 'drop_sequence':
      return free(rel(c.from));
    case 'create_type':
      return take(...typeNames(c.to));
    case 'drop_type':
      return free(...typeNames(c.from));
    case 'rename_type':
      return { takes: typeNames(c.to), frees: typeNames(c.from) };
    case 'add_constraint':
      return indexBacked(c.to) ? take(K.relationNameKey(c.table.schema, c.to.name)) : take();
    case 'drop_constraint':
      return indexBacked(c.from) ? free(K.relationNameKey(c.table.schema, c.from.name)) : free();
    case 'rename_constraint':
      return indexBacked(c.to)
        ? { takes: [K.relationNameKey(c.table.schema, c.to.name)], frees: [K.relationNameKey(c.table.schema, c.from.name)] }
        : take();
    default:
      return take();
  }
};
