// Corpus case: sqldef/tests_managed_roles/ManagedRolesColumnGrantMixedWithTable
import { bigint, grant, table, varchar } from '../../../../src/index.js';

export const users = table({ name: 'users', grants: [grant('insert', 'app_user')] }, {
  id: bigint().primaryKey().grant(grant('select', 'app_user')),
  fSecret: varchar({ length: 100 }),
});
