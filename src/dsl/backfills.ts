/**
 * `.backfill(sql\`…\`)` in code → the expressions the phased plan fills rows with, by column key. Like rename
 * hints they travel beside the schema: the shadow database never sees them.
 */
import * as K from '../model/keys.js';
import type { Declared } from './ddl/site.js';
import { fragmentSql } from './ddl/sql-text.js';
import { DSL } from './brand.js';
import type { TableData } from './table-data.js';

export const backfillExpressions = (declared: readonly Declared[]): Map<string, string> => {
  const out = new Map<string, string>();
  for (const d of declared) {
    if (d.data.kind !== 'table') continue;
    const t = d.data as unknown as TableData;
    for (const c of t.columns) if (c.column.backfill) out.set(K.columnKey(t.schema, t.name, c.name), fragmentSql(c.column.backfill[DSL]));
  }
  return out;
};
