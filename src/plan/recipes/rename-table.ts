/**
 * Rename a table while old and new code both run: expand renames it and leaves a view under the old name
 * (`SELECT *`, automatically updatable: old code reads and writes through it, defaults and constraints of the
 * table apply), with the table's grants; contract drops the view. A table with row-level security keeps the
 * one-step RENAME (a view reads with its owner's rights and would bypass the policies), as does a partition.
 */
import type { Change } from '../../model/change.js';
import type { Step } from '../../model/plan.js';
import { grantStatements } from '../../render/grants.js';
import { qname } from '../../render/quote.js';
import { tableName } from '../../render/table.js';
import { type RecipeResult, hazard, part, wholeStep } from './context.js';

export const renameTable = (s: Step, c: Extract<Change, { kind: 'rename_table' }>): RecipeResult => {
  if (c.from.rowSecurity || c.from.partitionOf !== null) return [wholeStep(s, 'expand')];
  const view = qname(c.from.schema, c.from.name);
  const createView = [`CREATE VIEW ${view} AS SELECT * FROM ${tableName(c.to)};`, ...grantStatements(`TABLE ${view}`, [], c.from.grants)];
  return [
    part({
      phase: 'expand',
      purpose: `rename, and leave a view ${c.from.name} for the code that still uses the old name`,
      sql: [...s.sql, ...createView],
      reverse: [`DROP VIEW IF EXISTS ${view};`, ...s.reverse],
      lock: 'access_exclusive',
      hazards: [hazard('ACCESS_EXCLUSIVE_LOCK', `RENAME locks ${c.from.name} briefly`)],
    }),
    part({
      phase: 'contract',
      purpose: `drop the view ${c.from.name}`,
      sql: [`DROP VIEW ${view};`],
      reverse: createView,
      lock: 'access_exclusive',
      hazards: [hazard('BREAKS_OLD_CLIENTS', `code that uses ${c.from.schema}.${c.from.name} fails from here on`)],
      deploy: `every running instance uses ${c.to.schema}.${c.to.name}, not ${c.from.name}`,
    }),
  ];
};
