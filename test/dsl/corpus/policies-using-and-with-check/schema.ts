// Corpus case: sqldef/tests_policies/CreatePolicy
import { bigint, policy, sql, table, varchar } from '../../../../src/index.js';

export const users = table('users', {
  id: bigint().primaryKey(),
  name: varchar({ length: 100 }),
}, () => [
  policy('p_users', {
    as: 'permissive',
    for: 'all',
    to: 'public',
    using: sql`id = (current_user)::integer`,
    withCheck: sql`(current_user)::integer = 1`,
  }),
]);
