/**
 * The steps of a plan with every dropped table and column archived first (DESIGN §9): the drop-table and
 * drop-column recipes of the phased strategy, applied in place, so a one-phase script (`keikaku diff`'s up.sql)
 * keeps the rows in keikaku_archive and its down puts them back, exactly as a generated migration does.
 * `id` names the archives (`<id>__<table>`).
 */
import type { Step } from '../model/plan.js';
import { isRefusal, type RecipeContext } from './recipes/context.js';
import { dropColumn } from './recipes/drop-column.js';
import { dropTable } from './recipes/drop-table.js';

const context = (id: string): RecipeContext => ({
  id,
  createdTables: new Set(),
  currentTable: () => undefined,
  columnHasDependents: () => true,
  columnIndexesOnly: () => null,
  backfills: new Map(),
  batchSize: 1000,
  pause: 0,
});

export const archiveDrops = (steps: readonly Step[], id: string): Step[] => {
  const ctx = context(id);
  return steps.map((s) => {
    const c = s.change;
    const parts = c.kind === 'drop_table' ? dropTable(s, c, ctx) : c.kind === 'drop_column' ? dropColumn(s, c, ctx) : null;
    if (parts === null || isRefusal(parts) || parts.length !== 1) return s;
    const [p] = parts;
    return { ...s, sql: p!.sql, reverse: p!.reverse, hazards: p!.hazards, lock: p!.lock, ...(p!.purpose && p!.purpose !== 'drop' ? { purpose: p!.purpose } : {}) };
  });
};
