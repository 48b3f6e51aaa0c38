// Corpus case: sqldef/tests_managed_roles/ManagedRolesGrantOptionMultiplePrivileges
import { bigint, grant, table, varchar } from '../../../../src/index.js';

export const users = table({ name: 'users', grants: [grant(['select', 'insert', 'update'], 'app_user', { withGrantOption: true })] }, {
  id: bigint().primaryKey(),
  name: varchar({ length: 100 }),
});
