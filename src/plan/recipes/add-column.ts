/**
 * Add a NOT NULL column to a table that has rows. A constant default is one safe step (PostgreSQL 11+ stores
 * it without rewriting). Otherwise expand adds the column nullable (a volatile default is set for new rows
 * only, so nothing is rewritten), backfill fills the existing rows in batches, and contract enforces NOT NULL
 * through a validated CHECK. Without a default the column must declare how to fill it: `.backfill(sql\`…\`)`.
 */
import type { Change } from '../../model/change.js';
import * as K from '../../model/keys.js';
import type { Step } from '../../model/plan.js';
import { addColumnSql, dropColumnSql } from '../../render/column.js';
import { ident } from '../../render/quote.js';
import { tableName } from '../../render/table.js';
import { isConstantExpression } from './constant.js';
import { type RecipeContext, type RecipeResult, hazard, part, wholeStep } from './context.js';
import { backfillPart, fillTriggerPart, keyColumns, notNullParts } from './not-null.js';

export const addColumn = (s: Step, c: Extract<Change, { kind: 'add_column' }>, ctx: RecipeContext): RecipeResult => {
  const col = c.to;
  const tableKey = K.tableKey(c.table.schema, c.table.name);
  const simple =
    !col.notNull || col.identity !== null || col.generated !== null || ctx.createdTables.has(tableKey) || c.table.partitionOf !== null;
  if (simple || (col.default !== null && isConstantExpression(col.default))) return [wholeStep(s, 'expand')];
  const where = `${c.table.schema}.${c.table.name}.${col.name}`;
  const declared = ctx.backfills.get(K.columnKey(c.table.schema, c.table.name, col.name));
  const value = col.default !== null ? 'DEFAULT' : declared !== undefined ? `(${declared})` : null;
  if (value === null)
    return {
      object: `add column ${where}`,
      message: `NOT NULL column ${where} has no default and no backfill: existing rows would hold NULL. Declare how to fill them, e.g. .backfill(sql\`…\`) on the column (an expression over the row, as in UPDATE … SET ${col.name} = …), or give it a default; --strategy simple adds it in one step (fails on a table with rows)`,
    };
  if (!keyColumns(c.table))
    return {
      object: `add column ${where}`,
      message: `NOT NULL column ${where} needs a backfill, which runs in batches by primary key, and ${c.table.name} has none: add a primary key first, or use --strategy simple`,
    };
  const nullable = { ...col, notNull: false, default: null };
  const setDefault = col.default !== null ? [`ALTER TABLE ${tableName(c.table)} ALTER COLUMN ${ident(col.name)} SET DEFAULT ${col.default};`] : [];
  const fill = col.default === null ? declared! : null;
  return [
    part({
      phase: 'expand',
      purpose: col.default !== null ? `add ${col.name} nullable; its default applies to new rows only` : `add ${col.name} nullable`,
      sql: [...addColumnSql(c.table, nullable), ...setDefault],
      reverse: dropColumnSql(c.table, col),
      lock: 'access_exclusive',
      hazards: [hazard('ACCESS_EXCLUSIVE_LOCK', `ADD COLUMN locks ${c.table.name} briefly (no rewrite)`)],
    }),
    ...(fill !== null ? [fillTriggerPart(c.table, col, fill)] : []),
    backfillPart(c.table, col, value, ctx)!,
    ...notNullParts(c.table, col, fill),
  ];
};
