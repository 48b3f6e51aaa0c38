// Corpus case: sqldef/tests_managed_roles/ManagedRolesSpecialCharacters
import { bigint, grant, table, varchar } from '../../../../src/index.js';

export const users = table({
  name: 'users',
  grants: [grant('select', 'user-with-dash'), grant('insert', 'user.with.dot'), grant('update', 'user@domain.com')],
}, {
  id: bigint().primaryKey(),
  name: varchar({ length: 100 }),
});
