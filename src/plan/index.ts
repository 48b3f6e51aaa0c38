/** The planner: changes → ordered steps, each with its SQL, reverse, hazards and lock. */
import type { DiffResult } from '../diff/index.js';
import type { Plan, Step } from '../model/plan.js';
import type { Change } from '../model/change.js';
import * as K from '../model/keys.js';
import { changeRisk } from './hazards.js';
import { stepKeys } from './keys.js';
import { orderSteps } from './order.js';
import { changeSql } from './sql.js';
import { DROPPED_BEFORE_RENAMES, namesBeforeRenames } from './before-renames.js';

export const plan = (d: DiffResult): Plan => {
  const steps: Step[] = [];
  const beforeRenames = namesBeforeRenames(d.renames, d.original);
  for (const change of d.changes) {
    const { sql, reverse } = changeSql(DROPPED_BEFORE_RENAMES.has(change.kind) ? beforeRenames(change) : change);
    if (sql.length === 0) continue;
    steps.push({ change, sql, reverse, ...changeRisk(change), ...stepKeys(change, d.currentGraph, d.desiredGraph) });
  }
  return { steps: orderSteps(withoutNewTableHazards(steps)) };
};

/** Hazards about scanning, locking or rewriting a table's rows mean nothing for a table this plan creates. */
const ROW_HAZARDS = new Set(['VALIDATION_SCAN', 'INDEX_BUILD', 'BLOCKS_WRITES', 'TABLE_REWRITE', 'BACKFILL', 'ACCESS_EXCLUSIVE_LOCK']);

const withoutNewTableHazards = (steps: readonly Step[]): Step[] => {
  const created = new Set(steps.filter((s) => s.change.kind === 'create_table').flatMap((s) => s.creates));
  return steps.map((s) => {
    if (s.change.kind === 'create_table' || !s.hazards.some((h) => ROW_HAZARDS.has(h.code))) return s;
    const table = tableOf(s.change);
    return table && created.has(table) ? { ...s, hazards: s.hazards.filter((h) => !ROW_HAZARDS.has(h.code)) } : s;
  });
};

const tableOf = (c: Change): string | null => {
  switch (c.kind) {
    case 'add_constraint':
    case 'add_column':
    case 'alter_column':
      return K.tableKey(c.table.schema, c.table.name);
    case 'create_index':
      return K.tableKey(c.to.schema, c.to.table);
    default:
      return null;
  }
};
