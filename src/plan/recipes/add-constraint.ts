/**
 * Constraints on tables that exist: a foreign key or CHECK is added NOT VALID in expand (new writes are checked,
 * existing rows are not scanned under the exclusive lock) and validated in backfill (a scan that lets writes go
 * on). A plain UNIQUE or PRIMARY KEY gets its index built CONCURRENTLY, then attached with ADD CONSTRAINT …
 * USING INDEX (a brief lock).
 */
import type { Change } from '../../model/change.js';
import * as K from '../../model/keys.js';
import type { Step } from '../../model/plan.js';
import { dropConstraintSql } from '../../render/constraint.js';
import { addKeyUsingIndexSql, addNotValidSql, dropIndexIfExistsConcurrentlySql, keyIndexSql, validateSql } from '../../render/online.js';
import { type RecipeContext, type RecipeResult, hazard, part, wholeStep } from './context.js';

export const addConstraint = (s: Step, c: Extract<Change, { kind: 'add_constraint' }>, ctx: RecipeContext): RecipeResult => {
  const key = K.tableKey(c.table.schema, c.table.name);
  if (ctx.createdTables.has(key) || c.table.partitionBy !== null || c.table.partitionOf !== null || !c.to.validated) return [wholeStep(s, 'expand')];
  const where = `${c.to.name} on ${c.table.name}`;
  if (c.to.type === 'foreign' || c.to.type === 'check')
    return [
      part({
        phase: 'expand',
        purpose: 'add NOT VALID: new writes are checked, existing rows are not scanned',
        sql: addNotValidSql(c.table, c.to),
        reverse: dropConstraintSql(c.table, c.to),
        lock: c.to.type === 'foreign' ? 'share_row_exclusive' : 'access_exclusive',
      }),
      part({
        phase: 'backfill',
        purpose: 'validate (scans existing rows; reads and writes go on)',
        sql: validateSql(c.table, c.to.name),
        reverse: [],
        isolated: true,
        lock: 'share_update_exclusive',
        hazards: [hazard('VALIDATION_SCAN', `scans ${c.table.name}; fails if an existing row violates ${c.to.name}`)],
      }),
    ];
  const index = c.to.type === 'primary' || c.to.type === 'unique' ? keyIndexSql(c.table, c.to) : null;
  if (index === null) return [wholeStep(s, 'expand')];
  return [
    part({
      phase: 'expand',
      purpose: 'build its unique index CONCURRENTLY',
      sql: [index],
      reverse: dropIndexIfExistsConcurrentlySql(c.table.schema, c.to.name),
      transactional: false,
      reverseTransactional: false,
      lock: 'share_update_exclusive',
      hazards: [
        hazard('INDEX_BUILD', `builds the index of ${where} with two table scans; writes go on`),
        hazard('NON_TRANSACTIONAL', 'CREATE INDEX CONCURRENTLY runs outside a transaction; a failed build leaves an invalid index to drop'),
      ],
    }),
    part({
      phase: 'expand',
      purpose: 'attach the index: ADD CONSTRAINT … USING INDEX',
      sql: addKeyUsingIndexSql(c.table, c.to),
      reverse: dropConstraintSql(c.table, c.to),
      lock: 'access_exclusive',
      completes: true,
      hazards: [hazard('ACCESS_EXCLUSIVE_LOCK', `locks ${c.table.name} briefly to attach the index`)],
    }),
  ];
};
