// Corpus case: sqldef/tests_policies/ModifyPolicyToRestrictive
import { bigint, policy, sql, table, varchar } from '../../../../src/index.js';

export const users = table('users', {
  id: bigint().primaryKey(),
  name: varchar({ length: 100 }),
}, () => [policy('p_users', { as: 'restrictive', to: 'postgres', using: sql`id = (current_user)::integer` })]);
