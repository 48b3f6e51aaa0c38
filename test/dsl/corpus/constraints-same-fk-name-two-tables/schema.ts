// Corpus case: sqldef/tests_constraints/SeparateTablesWithSameForeignKeyName
import { foreignKey, integer, primaryKey, table, unique } from '../../../../src/index.js';

export const accounts = table('accounts', {
  tenantId: integer().notNull(),
  id: integer().notNull(),
}, (t) => [primaryKey(t.tenantId, t.id), unique(t.id)]);

export const paymentAccounts = table('payment_accounts', {
  id: integer().primaryKey(),
});

export const orders = table('orders', {
  tenantId: integer(),
  accountId: integer(),
}, (t) => [
  foreignKey({
    name: 'shared_fk',
    columns: [t.tenantId, t.accountId],
    references: () => [accounts.tenantId, accounts.id],
    onUpdate: 'cascade',
    onDelete: 'restrict',
    deferrable: 'deferred',
  }),
]);

export const payments = table('payments', {
  accountId: integer(),
}, (t) => [
  foreignKey({
    name: 'shared_fk',
    columns: [t.accountId],
    references: () => [paymentAccounts.id],
    onUpdate: 'restrict',
    onDelete: 'set null',
  }),
]);
