/** With a live database: every hazard of a step names the size of the table the step works on. */
import type { Change } from '../model/change.js';
import type { TableSize } from '../model/hazard.js';
import * as K from '../model/keys.js';
import type { Phase } from '../model/plan.js';

/** The table a change works on, if it works on one. */
export const changeTable = (c: Change): { schema: string; name: string } | null => {
  switch (c.kind) {
    case 'add_column':
    case 'drop_column':
    case 'rename_column':
    case 'alter_column':
    case 'add_constraint':
    case 'drop_constraint':
    case 'alter_constraint':
    case 'rename_constraint':
      return c.table;
    case 'drop_table':
    case 'alter_table':
      return c.from;
    case 'rename_table':
      return c.from;
    case 'create_index':
      return { schema: c.to.schema, name: c.to.table };
    case 'drop_index':
      return { schema: c.from.schema, name: c.from.table };
    case 'recreate_enum':
    case 'alter_enum':
      return c.columns[0]?.table ?? null;
    default:
      return null;
  }
};

const human = (bytes: number) =>
  bytes >= 1 << 30 ? `${(bytes / (1 << 30)).toFixed(1)} GB` : bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;

export const describeSize = (s: TableSize) => `${s.table}: ~${Math.round(s.rows).toLocaleString('en-US')} rows, ${human(s.bytes)}`;

/** `sizes` by table key, read from the live database (keys under the current names). */
export const withSizes = (phases: readonly Phase[], sizes: ReadonlyMap<string, TableSize>): Phase[] =>
  phases.map((p) => ({
    ...p,
    steps: p.steps.map((s) => {
      const t = changeTable(s.change);
      const size = t && sizes.get(K.tableKey(t.schema, t.name));
      return size ? { ...s, hazards: s.hazards.map((h) => ({ ...h, size })) } : s;
    }),
  }));
