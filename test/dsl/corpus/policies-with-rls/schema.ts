// Corpus case: sqldef/tests_policies/CreatePolicyWithRowLevelSecurity
import { bigint, policy, sql, table, varchar } from '../../../../src/index.js';

export const users = table({ name: 'users', rls: true }, {
  id: bigint().primaryKey(),
  name: varchar({ length: 100 }),
}, () => [policy('p_users', { as: 'permissive', for: 'all', to: 'public', using: sql`id = (current_user)::integer` })]);
