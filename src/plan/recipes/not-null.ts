/** The contract half shared by the NOT NULL recipes: CHECK … NOT VALID, VALIDATE, SET NOT NULL, drop the check. */
import type { StepPart } from '../../model/plan.js';
import type { Column, Index, Table } from '../../model/schema.js';
import { batchedUpdateSql } from '../../render/backfill.js';
import { ident } from '../../render/quote.js';
import {
  dropFillTriggerSql,
  dropNotNullCheckSql,
  dropNotNullSql,
  fillTriggerSql,
  notNullCheckSql,
  setNotNullSql,
  validateNotNullSql,
} from '../../render/online.js';
import { type RecipeContext, hazard, part } from './context.js';

/** Fills NULLs in batches with `value` (`DEFAULT` or an expression over the row). */
export const backfillPart = (t: Table, c: Column, value: string, ctx: RecipeContext): StepPart | null => {
  const key = keyColumns(t);
  if (!key) return null;
  return part({
    phase: 'backfill',
    purpose: `fill ${c.name} in batches of ${ctx.batchSize} by primary key`,
    sql: [batchedUpdateSql({ table: t, key, set: `${ident(c.name)} = ${value}`, pending: `${ident(c.name)} IS NULL`, batchSize: ctx.batchSize, pause: ctx.pause })],
    reverse: [],
    transactional: false,
    hazards: [hazard('BACKFILL', `updates every row of ${t.name} whose ${c.name} is NULL, one committed batch at a time`)],
    lock: 'none',
  });
};

export const keyColumns = (t: Table): Column[] | null => {
  const pk = t.constraints.find((x) => x.type === 'primary');
  if (!pk || pk.columns.length === 0) return null;
  const cols = pk.columns.map((n) => t.columns.find((x) => x.name === n));
  return cols.every((x) => x !== undefined) ? (cols as Column[]) : null;
};

/**
 * The primary key by which a column can be moved to a `_kk_` copy online (a rename, a type change), or null when it
 * cannot: no usable key, a partitioned table or partition, a generated or identity column, or something (index,
 * constraint, view, key) depending on the column. Such changes keep their one-step form.
 */
export const onlineMoveKey = (t: Table, from: Column, to: Column, ctx: RecipeContext): Column[] | null =>
  movable(t, from, to) && !ctx.columnHasDependents(t.schema, t.name, to.name) ? keyColumns(t) : null;

const movable = (t: Table, from: Column, to: Column): boolean =>
  keyColumns(t) !== null &&
  t.partitionBy === null &&
  t.partitionOf === null &&
  t.inherits.length === 0 &&
  from.generated === null &&
  from.identity === null &&
  to.identity === null;

/**
 * `onlineMoveKey` for a move that also takes the column's plain indexes across (built on the copy, renamed at the
 * swap): the key and those indexes, or null when anything else depends on the column.
 */
export const onlineMoveWithIndexes = (t: Table, from: Column, to: Column, ctx: RecipeContext): { key: Column[]; indexes: readonly Index[] } | null => {
  const indexes = movable(t, from, to) ? ctx.columnIndexesOnly(t.schema, t.name, to.name) : null;
  return indexes === null ? null : { key: keyColumns(t)!, indexes };
};

/** A trigger keeps filling the column for writers that do not set it, until contract. */
export const fillTriggerPart = (t: Table, c: Column, expression: string): StepPart =>
  part({
    phase: 'expand',
    purpose: `a _kk_ trigger fills ${c.name} for writers that leave it NULL`,
    sql: fillTriggerSql(t, c, expression),
    reverse: dropFillTriggerSql(t, c),
    lock: 'share_row_exclusive',
  });

/** `fill`: the expression of the fill trigger to drop with the check (and to put back by the down), if any. */
export const notNullParts = (t: Table, c: Column, fill: string | null): StepPart[] => [
  part({
    phase: 'contract',
    purpose: `CHECK (${c.name} IS NOT NULL) NOT VALID: new writes must set it`,
    sql: notNullCheckSql(t, c),
    reverse: dropNotNullCheckSql(t, c),
    hazards: [hazard('BREAKS_OLD_CLIENTS', `writes that leave ${t.name}.${c.name} NULL fail from here on`)],
    lock: 'access_exclusive',
    deploy: `every running instance writes ${t.schema}.${t.name}.${c.name} (never NULL)`,
  }),
  part({
    phase: 'contract',
    purpose: 'validate the check (scans the table; reads and writes go on)',
    sql: validateNotNullSql(t, c),
    reverse: [],
    isolated: true,
    hazards: [hazard('VALIDATION_SCAN', `scans ${t.name}; fails if a row still holds NULL in ${c.name}`)],
    lock: 'share_update_exclusive',
  }),
  part({
    phase: 'contract',
    purpose: 'SET NOT NULL (uses the validated check, no second scan), then drop the check',
    sql: [...setNotNullSql(t, c), ...(fill !== null ? dropFillTriggerSql(t, c) : [])],
    reverse: [...dropNotNullSql(t, c), ...(fill !== null ? fillTriggerSql(t, c, fill) : [])],
    lock: 'access_exclusive',
  }),
];
