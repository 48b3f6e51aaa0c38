// Corpus case: sqldef/tests_types/EnumTypeDefaultIdempotent
import { bigint, enumType, sql, table } from '../../../../src/index.js';

export const orderStatus = enumType('order_status', ['pending', 'shipped']);

export const orders = table('orders', {
  id: bigint().generatedAlwaysAsIdentity().primaryKey(),
  status: orderStatus().notNull().default('pending'),
  statusWithCast: orderStatus().notNull().default(sql`'pending'::${orderStatus}`),
});
