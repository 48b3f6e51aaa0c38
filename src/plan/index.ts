/** The planner: changes → ordered steps, each with its SQL, reverse, hazards and lock. */
import type { DiffResult } from '../diff/index.js';
import type { Plan, Step } from '../model/plan.js';
import { changeRisk } from './hazards.js';
import { stepKeys } from './keys.js';
import { orderSteps } from './order.js';
import { changeSql } from './sql.js';
import { DROPPED_BEFORE_RENAMES, namesBeforeRenames } from './before-renames.js';

export const plan = (d: DiffResult): Plan => {
  const steps: Step[] = [];
  const beforeRenames = namesBeforeRenames(d.renames);
  for (const change of d.changes) {
    const { sql, reverse } = changeSql(DROPPED_BEFORE_RENAMES.has(change.kind) ? beforeRenames(change) : change);
    if (sql.length === 0) continue;
    steps.push({ change, sql, reverse, ...changeRisk(change), ...stepKeys(change, d.currentGraph, d.desiredGraph) });
  }
  return { steps: orderSteps(steps) };
};
