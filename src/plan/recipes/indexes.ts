/**
 * Indexes on tables that exist (and have rows): built and dropped CONCURRENTLY, each its own non-transactional
 * step, so writes go on during the build. A table this plan creates keeps the plain CREATE INDEX in the
 * transaction; a partitioned table cannot build concurrently (Postgres refuses) and keeps it too.
 */
import type { Change } from '../../model/change.js';
import * as K from '../../model/keys.js';
import type { PhaseName, Step } from '../../model/plan.js';
import { createIndexConcurrentlySql, dropIndexConcurrentlySql } from '../../render/online.js';
import { type RecipeContext, type RecipeResult, hazard, part, wholeStep } from './context.js';

const online = (schema: string, table: string, ctx: RecipeContext): boolean => {
  const key = K.tableKey(schema, table);
  const t = ctx.currentTable(key);
  return !ctx.createdTables.has(key) && t !== undefined && t.partitionBy === null && t.partitionOf === null;
};

export const createIndex = (s: Step, c: Extract<Change, { kind: 'create_index' }>, ctx: RecipeContext): RecipeResult => {
  if (!online(c.to.schema, c.to.table, ctx)) return [wholeStep(s, 'expand')];
  return [
    part({
      phase: 'expand',
      purpose: 'build CONCURRENTLY (reads and writes go on)',
      sql: createIndexConcurrentlySql(c.to),
      reverse: dropIndexConcurrentlySql(c.to),
      transactional: false,
      reverseTransactional: false,
      lock: 'share_update_exclusive',
      hazards: [
        hazard('INDEX_BUILD', `builds ${c.to.name} on ${c.to.table} with two table scans; writes go on`),
        hazard('NON_TRANSACTIONAL', 'CREATE INDEX CONCURRENTLY runs outside a transaction; a failed build leaves an invalid index to drop'),
      ],
    }),
  ];
};

export const dropIndex = (s: Step, c: Extract<Change, { kind: 'drop_index' }>, ctx: RecipeContext, phase: PhaseName): RecipeResult => {
  if (!online(c.from.schema, c.from.table, ctx)) return [wholeStep(s, phase)];
  return [
    part({
      phase,
      purpose: 'drop CONCURRENTLY (waits for running queries instead of blocking new ones)',
      sql: dropIndexConcurrentlySql(c.from),
      reverse: createIndexConcurrentlySql(c.from),
      transactional: false,
      reverseTransactional: false,
      lock: 'share_update_exclusive',
      hazards: [hazard('NON_TRANSACTIONAL', 'DROP INDEX CONCURRENTLY runs outside a transaction')],
    }),
  ];
};
