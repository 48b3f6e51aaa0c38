// Corpus case: sqldef/tests_dependency_ordering/FunctionBeforeTable_PartialIndexWhere
import { bigint, fn, index, sql, table, text } from '../../../../src/index.js';

export const isActive = fn('is_active', {
  args: [{ name: 's', type: text() }],
  returns: 'boolean',
  language: 'plpgsql',
  volatility: 'immutable',
  body: ` BEGIN RETURN s = 'active'; END; `,
});

export const subscriptions = table('subscriptions', {
  id: bigint().notNull().primaryKey(),
  status: text().notNull(),
}, (t) => [index('subscriptions_active_idx').on(t.id).where(sql`${isActive}(${t.status})`)]);
