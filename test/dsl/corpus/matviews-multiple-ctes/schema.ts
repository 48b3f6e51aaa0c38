// Corpus case: sqldef/tests_views/MaterializedViewWithMultipleCTEs
import { doublePrecision, materializedView, sql, table, text, timestamp } from '../../../../src/index.js';

export const sessions = table('sessions', {
  userId: text().notNull(),
  duration: doublePrecision().notNull(),
  startedAt: timestamp().notNull(),
});

export const userStats = materializedView('user_stats', sql`
WITH active_users AS (
  SELECT DISTINCT user_id FROM ${sessions} WHERE duration > 0
),
user_counts AS (
  SELECT user_id, COUNT(*) as session_count FROM ${sessions} GROUP BY user_id
)
SELECT au.user_id, uc.session_count
FROM active_users au
JOIN user_counts uc ON au.user_id = uc.user_id`);
