// Corpus case: sqldef/tests_indices/CreateIndexWithUsingIncludeWhere
import { index, integer, numeric, serial, sql, table, text } from '../../../../src/index.js';

export const orders = table('orders', {
  id: serial(),
  userId: integer(),
  status: text(),
  total: numeric(),
}, (t) => [
  index('idx_active_orders').using('btree').on(t.userId, t.status).include(t.total).where(sql`${t.status} = 'active'`),
]);
