/** The object keys a change creates, drops, requires and releases: the facts the ordering works from. */
import type { Change } from '../model/change.js';
import { assertNever } from '../model/change.js';
import * as K from '../model/keys.js';
import type { Table } from '../model/schema.js';
import { isInlineConstraint } from '../render/table.js';
import { typeChanged } from '../render/column.js';
import type { DepGraph } from '../diff/graph.js';

export interface StepKeys {
  readonly creates: readonly string[];
  readonly drops: readonly string[];
  readonly requires: readonly string[];
  readonly releases: readonly string[];
}

const tableKeys = (t: Table, constraints: 'inline' | 'all'): string[] => [
  K.tableKey(t.schema, t.name),
  ...t.columns.map((c) => K.columnKey(t.schema, t.name, c.name)),
  ...t.constraints
    .filter((c) => constraints === 'all' || isInlineConstraint(c))
    .map((c) => K.constraintKey(t.schema, t.name, c.name)),
];

const depsOf = (g: DepGraph, keys: readonly string[]) => {
  const own = new Set(keys);
  const out = new Set<string>();
  for (const k of keys) for (const d of g.deps.get(k) ?? []) if (!own.has(d)) out.add(d);
  return [...out];
};

const none: StepKeys = { creates: [], drops: [], requires: [], releases: [] };

export const stepKeys = (c: Change, current: DepGraph, desired: DepGraph): StepKeys => {
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
    case 'alter_enum':
      return { ...none, creates: [K.typeKey(c.to.schema, c.to.name)] };
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
      return create(...tableKeys(c.to, 'inline'));
    case 'drop_table': {
      const keys = [...tableKeys(c.from, 'all'), ...c.ownedSequences.map((s) => K.sequenceKey(s.schema, s.name))];
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
      const needs = retype || (defaultChanged && c.to.default !== null) || (c.to.identity !== null && c.from.identity === null);
      const frees = retype || (defaultChanged && c.from.default !== null);
      return {
        creates: retype ? [k] : [],
        drops: retype ? [k] : [],
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
