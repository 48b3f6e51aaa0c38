// Corpus case: sqldef/tests_indices/PartialIndexWithWhereIn
import { integer, sql, table, text, uniqueIndex } from '../../../../src/index.js';

export const orders = table('orders', {
  id: integer(),
  status: text(),
}, (t) => [uniqueIndex('uk_orders_status').on(t.id).where(sql`status IN ('active', 'pending')`)]);
