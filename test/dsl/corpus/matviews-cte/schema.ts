// Corpus case: sqldef/tests_views/MaterializedViewWithCTE
import { bigint, boolean, materializedView, sql, table } from '../../../../src/index.js';

export const users = table('users', {
  id: bigint().primaryKey(),
  active: boolean().notNull(),
});

export const activeUsers = materializedView('active_users', sql`
WITH recent_users AS (
  SELECT id FROM ${users} WHERE active = true
)
SELECT * FROM recent_users`);
