/**
 * SET NOT NULL on a column of a table with rows: the other column changes stay where they were (expand);
 * NULLs are filled in batches when the column declares `.backfill(sql\`…\`)`; contract enforces NOT NULL through
 * a validated CHECK, so writes go on during the scan. A type change has its own recipe (alter-column-type.ts).
 */
import type { Change } from '../../model/change.js';
import * as K from '../../model/keys.js';
import type { Step } from '../../model/plan.js';
import { alterColumnSql, typeChanged } from '../../render/column.js';
import { archiveNullKeysSql, primaryKeyColumns, restoreNullsSql } from '../../render/archive.js';
import { alterColumnType } from './alter-column-type.js';
import { typeChangeRewrites } from '../rewrites.js';
import { type RecipeContext, type RecipeResult, part, wholeStep } from './context.js';
import { backfillPart, fillTriggerPart, keyColumns, notNullParts } from './not-null.js';

export const alterColumn = (s: Step, c: Extract<Change, { kind: 'alter_column' }>, ctx: RecipeContext): RecipeResult => {
  // A type change that only relaxes a limit is a catalog change: no copy column needed.
  if (typeChanged(c.from, c.to) && typeChangeRewrites(c)) return alterColumnType(s, c, ctx);
  const gainsNotNull = !c.from.notNull && c.to.notNull && c.to.identity === null;
  if (!gainsNotNull || c.table.partitionOf !== null || c.table.partitionBy !== null) return [wholeStep(s, 'expand')];
  const declared = ctx.backfills.get(K.columnKey(c.table.schema, c.table.name, c.to.name));
  const pk = primaryKeyColumns(c.table);
  const canFill = declared !== undefined && pk !== null && keyColumns(c.table) !== null;
  const rest = { ...c.to, notNull: false };
  const sql = alterColumnSql(c.table, c.from, rest, c.viaText);
  const fill = canFill ? `(${declared})` : null;
  return [
    ...(sql.length ? [part({ phase: 'expand', purpose: 'the column changes other than NOT NULL', sql, reverse: alterColumnSql(c.table, rest, c.from, c.viaText), lock: 'access_exclusive' })] : []),
    ...(fill !== null
      ? [
          // The keys are kept before the trigger exists (from then on any UPDATE of a row fills its NULL); in the
          // down the trigger is gone before the NULLs are put back.
          part({
            phase: 'expand',
            purpose: `keep the keys of the rows whose ${c.to.name} is NULL, so the down can clear them again`,
            sql: archiveNullKeysSql(ctx.id, c.table, c.to, pk!),
            reverse: restoreNullsSql(ctx.id, c.table, c.to, pk!),
          }),
          fillTriggerPart(c.table, c.to, declared!),
          backfillPart(c.table, c.to, fill, ctx)!,
        ]
      : []),
    ...notNullParts(c.table, c.to, fill !== null ? declared! : null),
  ];
};
