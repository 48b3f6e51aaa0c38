/**
 * Views, triggers, policies, constraints and indexes keep their definitions as text, and that text names the
 * objects they use. When such an object is dropped in a migration that also renames, its drop runs *before*
 * the renames, under the names it had then, so that its undo (the old text) runs after the renames are undone
 * in the downgrade, where those names are valid again.
 */
import type { Change } from '../model/change.js';
import type { Rename } from '../diff/index.js';

export const DROPPED_BEFORE_RENAMES = new Set<Change['kind']>([
  'drop_view',
  'drop_trigger',
  'drop_policy',
  'drop_constraint',
  'drop_index',
]);

export const namesBeforeRenames = (renames: readonly Rename[]) => {
  const back = (kinds: readonly Rename['kind'][], schema: string, name: string) => {
    for (const r of [...renames].reverse())
      if (kinds.includes(r.kind) && r.schema === schema && r.to === name) name = r.from;
    return name;
  };
  const relation = (schema: string, name: string) => back(['table', 'view'], schema, name);
  return (c: Change): Change => {
    switch (c.kind) {
      case 'drop_view':
        return { ...c, from: { ...c.from, name: back(['view'], c.from.schema, c.from.name) } };
      case 'drop_trigger':
        return { ...c, from: { ...c.from, table: relation(c.from.schema, c.from.table) } };
      case 'drop_policy':
        return { ...c, from: { ...c.from, table: relation(c.from.schema, c.from.table) } };
      case 'drop_constraint':
        return { ...c, table: { ...c.table, name: relation(c.table.schema, c.table.name) } };
      case 'drop_index':
        return {
          ...c,
          from: { ...c.from, name: back(['index'], c.from.schema, c.from.name), table: relation(c.from.schema, c.from.table) },
        };
      default:
        return c;
    }
  };
};
