// Corpus case: sqldef/tests_partition/PartitionOfForValuesIn
import { bigint, sql, table, text } from '../../../../src/index.js';

export const orders = table({ name: 'orders', partitionBy: sql`LIST (region)` }, {
  id: bigint().notNull(),
  region: text().notNull(),
});

export const ordersUs = table({ name: 'orders_us', partitionOf: { parent: () => orders, bound: `FOR VALUES IN ('US', 'CA', 'MX')` } }, {});
