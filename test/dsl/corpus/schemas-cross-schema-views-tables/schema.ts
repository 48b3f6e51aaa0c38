// Corpus case: sqldef/tests_dependency_ordering/CrossSchemaDependency_ViewReferencingTableAndViewFromDifferentSchemas
import { integer, numeric, schema, sql, text } from '../../../../src/index.js';

export const appData = schema('app_data');
export const staging = schema('staging');
export const reports = schema('reports');

export const customers = appData.table('customers', {
  id: integer().primaryKey(),
  name: text(),
  tier: text(),
});

export const orders = staging.table('orders', {
  id: integer().primaryKey(),
  customerId: integer(),
  amount: numeric({ precision: 10, scale: 2 }),
});

export const premiumCustomers = staging.view(
  'premium_customers',
  sql`SELECT id, name FROM ${customers} WHERE tier = 'premium'`,
);

export const premiumOrders = reports.view(
  'premium_orders',
  sql`SELECT o.id, c.name, o.amount
  FROM ${orders} o
  JOIN ${premiumCustomers} c ON o.customer_id = c.id`,
);
