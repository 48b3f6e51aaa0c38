/**
 * Views, triggers, policies, constraints and indexes keep their definitions as text, and that text names the
 * objects they use. When such an object is dropped in a migration that also renames, its drop runs *before*
 * the renames, under the names it had then, so that its undo (the old text) runs after the renames are undone
 * in the downgrade, where those names are valid again.
 */
import type { Change } from '../model/change.js';
import type { Rename } from '../diff/index.js';
import type { Schema } from '../model/schema.js';

export const DROPPED_BEFORE_RENAMES = new Set<Change['kind']>([
  'drop_view',
  'drop_trigger',
  'drop_policy',
  'drop_constraint',
  'drop_index',
]);

/**
 * The change as it must run before the renames: names mapped back, and the object itself taken from the schema
 * as it was (`original`), whose texts still use the old names, so its undo recreates it exactly.
 */
export const namesBeforeRenames = (renames: readonly Rename[], original: Schema) => {
  const back = (kinds: readonly Rename['kind'][], schema: string, name: string) => {
    for (const r of [...renames].reverse())
      if (kinds.includes(r.kind) && r.schema === schema && r.to === name) name = r.from;
    return name;
  };
  const relation = (schema: string, name: string) => back(['table', 'view'], schema, name);
  const constraintName = (schema: string, table: string, name: string) => {
    for (const r of [...renames].reverse())
      if (r.kind === 'constraint' && r.schema === schema && r.table === table && r.to === name) name = r.from;
    return name;
  };
  return (c: Change): Change => {
    switch (c.kind) {
      case 'drop_view': {
        const name = back(['view'], c.from.schema, c.from.name);
        const was = original.views.find((v) => v.schema === c.from.schema && v.name === name);
        return { ...c, from: was ?? { ...c.from, name } };
      }
      case 'drop_trigger': {
        const table = relation(c.from.schema, c.from.table);
        const was = original.triggers.find((t) => t.schema === c.from.schema && t.table === table && t.name === c.from.name);
        return { ...c, from: was ?? { ...c.from, table } };
      }
      case 'drop_policy': {
        const table = relation(c.from.schema, c.from.table);
        const was = original.policies.find((p) => p.schema === c.from.schema && p.table === table && p.name === c.from.name);
        return { ...c, from: was ?? { ...c.from, table } };
      }
      case 'drop_constraint': {
        const name = relation(c.table.schema, c.table.name);
        const table = original.tables.find((t) => t.schema === c.table.schema && t.name === name);
        const was = table?.constraints.find((k) => k.name === constraintName(c.table.schema, c.table.name, c.from.name));
        return table && was ? { ...c, table, from: was } : { ...c, table: { ...c.table, name } };
      }
      case 'drop_index': {
        const name = back(['index'], c.from.schema, c.from.name);
        const was = original.indexes.find((i) => i.schema === c.from.schema && i.name === name);
        return { ...c, from: was ?? { ...c.from, name, table: relation(c.from.schema, c.from.table) } };
      }
      default:
        return c;
    }
  };
};
