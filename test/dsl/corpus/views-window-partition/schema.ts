// Corpus case: sqldef/tests_views/ViewWithWindowPartition
import { date, integer, numeric, sql, table, text, view } from '../../../../src/index.js';

export const sales = table('sales', {
  id: integer(),
  category: text(),
  amount: numeric(),
  saleDate: date(),
});

export const categoryRunningTotals = view('category_running_totals', sql`
SELECT id, category, amount, sale_date,
       SUM(amount) OVER (PARTITION BY category ORDER BY sale_date) AS running_total
FROM ${sales}`);
