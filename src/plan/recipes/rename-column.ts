/**
 * Rename a column while old and new code both run. Expand adds the column under its new name and a `_kk_`
 * trigger that keeps the two in step both ways; backfill copies the existing rows in batches by primary key
 * (resumable: only rows where the two differ); contract, once every instance runs the new code, enforces NOT NULL
 * on the new column the online way, then drops the trigger and the old column. Old code works from expand on;
 * new code is deployed once backfill has finished (before it, existing rows have the new column empty, and a
 * write of NULL to a row not yet copied cannot be told from no write).
 * A column something else depends on (an index, a constraint, a view, the primary key) keeps the one-step
 * RENAME: moving its dependents across is not done here.
 */
import type { Change } from '../../model/change.js';
import type { Step } from '../../model/plan.js';
import { addColumnSql, dropColumnSql } from '../../render/column.js';
import { ident } from '../../render/quote.js';
import { tableName } from '../../render/table.js';
import { batchedUpdateSql } from '../../render/backfill.js';
import { dropSyncTriggerSql, syncTriggerSql } from '../../render/online.js';
import { type RecipeContext, type RecipeResult, hazard, part, wholeStep } from './context.js';
import { notNullParts, onlineMoveKey } from './not-null.js';

export const renameColumn = (s: Step, c: Extract<Change, { kind: 'rename_column' }>, ctx: RecipeContext): RecipeResult => {
  const t = c.table;
  const key = onlineMoveKey(t, c.from, c.to, ctx);
  if (key === null) return [wholeStep(s, 'expand')];
  const table = tableName(t);
  const [A, B] = [ident(c.from.name), ident(c.to.name)];
  const added = { ...c.to, notNull: false, default: null };
  const same = (x: string) => x;
  const where = `${t.schema}.${t.name}`;
  return [
    part({
      phase: 'expand',
      purpose: `add ${c.to.name} beside ${c.from.name}, kept in step both ways by a _kk_ trigger`,
      sql: [
        ...addColumnSql(t, added),
        ...(c.to.default !== null ? [`ALTER TABLE ${table} ALTER COLUMN ${B} SET DEFAULT ${c.to.default};`] : []),
        ...syncTriggerSql(t, c.from, c.to, same, same),
      ],
      reverse: [...dropSyncTriggerSql(t, c.to), ...dropColumnSql(t, c.to)],
      lock: 'access_exclusive',
      hazards: [hazard('ACCESS_EXCLUSIVE_LOCK', `ADD COLUMN and CREATE TRIGGER lock ${t.name} briefly (no rewrite)`)],
    }),
    part({
      phase: 'backfill',
      purpose: `copy ${c.from.name} to ${c.to.name} in batches of ${ctx.batchSize} by primary key`,
      sql: [batchedUpdateSql({ table: t, key, set: `${B} = ${A}`, pending: `${B} IS DISTINCT FROM ${A}`, batchSize: ctx.batchSize, pause: ctx.pause })],
      reverse: [],
      transactional: false,
      hazards: [hazard('BACKFILL', `updates every row of ${t.name}, one committed batch at a time`)],
    }),
    ...(c.from.notNull ? notNullParts(t, c.to, null) : []),
    part({
      phase: 'contract',
      purpose: `drop the _kk_ trigger and the old column ${c.from.name}`,
      sql: [...dropSyncTriggerSql(t, c.to), ...dropColumnSql(t, c.from)],
      reverse: [
        ...addColumnSql(t, { ...c.from, notNull: false }),
        `UPDATE ${table} SET ${A} = ${B};`,
        ...(c.from.notNull ? [`ALTER TABLE ${table} ALTER COLUMN ${A} SET NOT NULL;`] : []),
        ...syncTriggerSql(t, c.from, c.to, same, same),
      ],
      lock: 'access_exclusive',
      hazards: [hazard('BREAKS_OLD_CLIENTS', `code that uses ${where}.${c.from.name} fails from here on`)],
      deploy: `every running instance reads and writes ${where}.${c.to.name}, not ${c.from.name}`,
    }),
  ];
};
