/**
 * Drop a table (contract): its rows are copied to keikaku_archive first, so the down recreates the table and
 * inserts them back (identity values kept, sequences moved past them). A partitioned parent holds no rows of its
 * own: its partitions are archived one by one.
 */
import type { Change } from '../../model/change.js';
import type { Step } from '../../model/plan.js';
import { archiveName, archiveTableSql, restoreTableSql } from '../../render/archive.js';
import { type RecipeContext, type RecipeResult, hazard, part } from './context.js';

export const dropTable = (s: Step, c: Extract<Change, { kind: 'drop_table' }>, ctx: RecipeContext): RecipeResult => {
  const t = c.from;
  const deploy = `no running code reads or writes ${t.schema}.${t.name}`;
  if (t.partitionBy !== null) return [part({ phase: 'contract', purpose: 'drop', sql: s.sql, reverse: s.reverse, hazards: s.hazards, lock: s.lock, deploy })];
  const name = archiveName(ctx.id, t);
  return [
    part({
      phase: 'contract',
      purpose: `archive the rows in keikaku_archive."${name}", then drop`,
      sql: [...archiveTableSql(ctx.id, t), ...s.sql],
      reverse: [...s.reverse, ...restoreTableSql(ctx.id, t)],
      hazards: [{ ...hazard('DELETES_DATA', `drops ${t.schema}.${t.name}; its rows are archived in keikaku_archive."${name}"`), mitigation: 'archived first; the down restores the rows' }],
      lock: 'access_exclusive',
      deploy,
    }),
  ];
};
