/**
 * Change a column's type without rewriting the table under an exclusive lock. Expand adds a `_kk_` column of the
 * new type and a trigger converting every write of the column into it; backfill converts the existing rows in
 * batches (resumable: rows whose copy differs); contract enforces NOT NULL on the copy the online way, then in one
 * brief transaction drops the trigger, archives and drops the old column and gives the copy the column's name
 * (and default); the down restores the old values exactly from the archive (a narrowing cast may have cut them).
 * Every writer writes the column under its own name throughout; from contract on it has the new type. Plain
 * indexes on the column are built again on the copy during backfill and renamed at the swap. A column something
 * else depends on (a constraint, view, expression index, key) keeps the one-step ALTER TYPE with its TABLE_REWRITE
 * hazard.
 */
import { hasCast } from '../../render/casts.js';
import type { Change } from '../../model/change.js';
import type { Step } from '../../model/plan.js';
import { addColumnSql, dropColumnSql, renameColumnSql } from '../../render/column.js';
import { batchedUpdateSql } from '../../render/backfill.js';
import { archiveColumnSql, restoreValuesSql } from '../../render/archive.js';
import { ident, qname } from '../../render/quote.js';
import { tableName } from '../../render/table.js';
import { copyTriggerSql, dropCopyTriggerSql, dropIndexIfExistsConcurrentlySql, tempName, withColumnRenamed } from '../../render/online.js';
import { type RecipeContext, type RecipeResult, hazard, part, wholeStep } from './context.js';
import { notNullParts, onlineMoveWithIndexes } from './not-null.js';
import type { Index } from '../../model/schema.js';
import { createIndexSql, indexBody, renameIndexSql } from '../../render/objects.js';

export const alterColumnType = (s: Step, c: Extract<Change, { kind: 'alter_column' }>, ctx: RecipeContext): RecipeResult => {
  const t = c.table;
  const move = onlineMoveWithIndexes(t, c.from, c.to, ctx);
  if (move === null) return [wholeStep(s, 'expand')];
  const { key, indexes } = move;
  const pkNames = key.map((k) => k.name);
  const table = tableName(t);
  const tmp = tempName('new', t, c.to.name);
  const copy = { ...c.to, name: tmp, notNull: false, default: null };
  const cast = (from: string, type: string) => (x: string) => `(${x})${c.viaText || !hasCast(from, type) ? '::text' : ''}::${type}`;
  const toNew = cast(c.from.type, c.to.type);
  const toOld = cast(c.to.type, c.from.type);
  const col = ident(c.to.name);
  // Each plain index on the column is built again on the copy (backfill, CONCURRENTLY) and takes the old one's
  // name at the swap, where the old one goes with the old column.
  const moved = indexes.map((i, n) => ({ old: i, copy: { ...i, name: tempName(`ix${n}`, t, c.to.name) } }));
  const onCopy = (i: Index): string[] => [
    `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${ident(i.name)} ON ${qname(i.schema, i.table)} ${withColumnRenamed(indexBody(i), c.to.name, tmp)};`,
  ];
  return [
    part({
      phase: 'expand',
      purpose: `add ${tmp} of type ${c.to.type}, filled from every write of ${c.to.name} by a _kk_ trigger`,
      sql: [...addColumnSql(t, copy), ...copyTriggerSql(t, c.from, tmp, toNew)],
      reverse: [...dropCopyTriggerSql(t, c.from), ...dropColumnSql(t, copy)],
      lock: 'access_exclusive',
      hazards: [hazard('ACCESS_EXCLUSIVE_LOCK', `ADD COLUMN and CREATE TRIGGER lock ${t.name} briefly (no rewrite)`)],
    }),
    part({
      phase: 'backfill',
      purpose: `convert ${c.to.name} into ${tmp} in batches of ${ctx.batchSize} by primary key`,
      sql: [
        batchedUpdateSql({
          table: t,
          key,
          set: `${ident(tmp)} = ${toNew(col)}`,
          pending: `${ident(tmp)} IS DISTINCT FROM ${toNew(col)}`,
          batchSize: ctx.batchSize,
          pause: ctx.pause,
        }),
      ],
      reverse: [],
      transactional: false,
      hazards: [hazard('BACKFILL', `updates every row of ${t.name}, one committed batch at a time; fails on a value that does not convert`)],
    }),
    ...moved.map(({ old, copy }) =>
      part({
        phase: 'backfill',
        purpose: `build ${copy.name} on ${tmp} CONCURRENTLY; it becomes ${old.name} at the swap`,
        sql: onCopy(copy),
        reverse: dropIndexIfExistsConcurrentlySql(copy.schema, copy.name),
        transactional: false,
        reverseTransactional: false,
        hazards: [hazard('NON_TRANSACTIONAL', 'CREATE INDEX CONCURRENTLY runs outside a transaction; a failed build leaves an invalid index to drop')],
      }),
    ),
    ...(c.to.notNull ? notNullParts(t, copy, null) : []),
    part({
      phase: 'contract',
      purpose: `swap: drop the trigger, archive and drop the old ${c.to.name}, ${tmp} takes its name`,
      sql: [
        ...dropCopyTriggerSql(t, c.from),
        ...archiveColumnSql(ctx.id, t, c.from, pkNames),
        ...dropColumnSql(t, c.from),
        ...renameColumnSql(t, copy, c.to),
        ...(c.to.default !== null ? [`ALTER TABLE ${table} ALTER COLUMN ${col} SET DEFAULT ${c.to.default};`] : []),
        ...moved.flatMap(({ old, copy: ix }) => renameIndexSql(ix, old)),
      ],
      reverse: [
        ...moved.flatMap(({ old, copy: ix }) => renameIndexSql(old, ix)),
        ...renameColumnSql(t, c.to, copy),
        ...(c.to.default !== null ? [`ALTER TABLE ${table} ALTER COLUMN ${ident(tmp)} DROP DEFAULT;`] : []),
        ...addColumnSql(t, { ...c.from, notNull: false }),
        // Rows written since contract come back by casting; the others exactly as they were (a narrowing type
        // may have cut them), from the archive.
        `UPDATE ${table} SET ${ident(c.from.name)} = ${toOld(ident(tmp))};`,
        ...restoreValuesSql(ctx.id, t, c.from, pkNames),
        ...(c.from.notNull ? [`ALTER TABLE ${table} ALTER COLUMN ${ident(c.from.name)} SET NOT NULL;`] : []),
        ...moved.flatMap(({ old }) => createIndexSql(old)),
        ...copyTriggerSql(t, c.from, tmp, toNew),
      ],
      lock: 'access_exclusive',
      // Its down builds the moved indexes again on the old column, in its transaction (a rollback blocks writes).
      hazards: [hazard('BREAKS_OLD_CLIENTS', `${t.schema}.${t.name}.${c.to.name} has type ${c.to.type} from here on`)],
      deploy: `every running instance works with ${t.schema}.${t.name}.${c.to.name} as ${c.to.type}`,
    }),
  ];
};
