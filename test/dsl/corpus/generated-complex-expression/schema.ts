// Corpus case: sqldef/tests_tables/GeneratedColumnComplexExpression
import { integer, numeric, sql, table } from '../../../../src/index.js';

export const orders = table('orders', {
  quantity: integer().notNull(),
  unitPrice: numeric({ precision: 10, scale: 2 }).notNull(),
  discountPct: numeric({ precision: 5, scale: 2 }).default(sql`0`),
  total: numeric({ precision: 10, scale: 2 }).generatedAlwaysAs(sql`quantity * unit_price * (1 - discount_pct / 100)`),
});
