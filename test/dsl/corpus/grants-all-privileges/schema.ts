// Corpus case: sqldef/tests_managed_roles/ManagedRolesAllPrivileges
import { bigint, grant, table, varchar } from '../../../../src/index.js';

export const users = table({ name: 'users', grants: [grant('all', 'admin_role')] }, {
  id: bigint().primaryKey(),
  name: varchar({ length: 100 }),
});
