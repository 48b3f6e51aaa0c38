/**
 * SET NOT NULL on a column of a table with rows: the other column changes stay where they were (expand);
 * NULLs are filled in batches when the column declares `.backfill(sql\`…\`)`; contract enforces NOT NULL through
 * a validated CHECK, so writes go on during the scan. A type change is not split here (it keeps its one step).
 */
import type { Change } from '../../model/change.js';
import * as K from '../../model/keys.js';
import type { Step } from '../../model/plan.js';
import { alterColumnSql, typeChanged } from '../../render/column.js';
import { type RecipeContext, type RecipeResult, part, wholeStep } from './context.js';
import { backfillPart, fillTriggerPart, keyColumns, notNullParts } from './not-null.js';

export const alterColumn = (s: Step, c: Extract<Change, { kind: 'alter_column' }>, ctx: RecipeContext): RecipeResult => {
  const gainsNotNull = !c.from.notNull && c.to.notNull && c.to.identity === null;
  if (!gainsNotNull || typeChanged(c.from, c.to) || c.table.partitionOf !== null || c.table.partitionBy !== null) return [wholeStep(s, 'expand')];
  const declared = ctx.backfills.get(K.columnKey(c.table.schema, c.table.name, c.to.name));
  const canFill = declared !== undefined && keyColumns(c.table) !== null;
  const rest = { ...c.to, notNull: false };
  const sql = alterColumnSql(c.table, c.from, rest, c.viaText);
  const fill = canFill ? `(${declared})` : null;
  return [
    ...(sql.length ? [part({ phase: 'expand', purpose: 'the column changes other than NOT NULL', sql, reverse: alterColumnSql(c.table, rest, c.from, c.viaText), lock: 'access_exclusive' })] : []),
    ...(fill !== null ? [fillTriggerPart(c.table, c.to, declared!), backfillPart(c.table, c.to, fill, ctx)!] : []),
    ...notNullParts(c.table, c.to, fill !== null ? declared! : null),
  ];
};
