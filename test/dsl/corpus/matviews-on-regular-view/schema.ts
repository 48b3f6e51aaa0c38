// Corpus case: sqldef/tests_dependency_ordering/ViewDependsOnView_MaterializedOnRegular
import { date, integer, materializedView, numeric, sql, table, view } from '../../../../src/index.js';

export const sales = table('sales', {
  id: integer().primaryKey(),
  amount: numeric({ precision: 10, scale: 2 }),
  saleDate: date(),
});

export const dailySales = view('daily_sales', sql`
  SELECT sale_date, SUM(amount) as total
  FROM ${sales}
  GROUP BY sale_date`);

export const monthlySales = materializedView('monthly_sales', sql`
  SELECT DATE_TRUNC('month', sale_date) as month, SUM(total) as monthly_total
  FROM ${dailySales}
  GROUP BY DATE_TRUNC('month', sale_date)`);
